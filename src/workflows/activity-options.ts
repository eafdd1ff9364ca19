// The one place workflow code builds activity stubs: each provider action of a kind has its own
// task queue (src/task-queues.ts), rate limited by the server across workers at that action's
// quota, with the retry and heartbeat settings every call shares. With workflow-visible retries
// (./group/retries.ts) each call is one attempt and the workflow decides the next try.
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { TeardownActivities } from '../activities';
import type { KindName } from '../kinds';
import { actionTaskQueue, type KindStep } from '../task-queues';

/** Activity options of workflow-visible retries: Temporal gives every failure back at once. */
export const ONE_ATTEMPT: Partial<ActivityOptions> = { retry: { maximumAttempts: 1 } };

/** `account`: the named account's own queue (its own quota); absent, the default account's. */
export function kindActivities(
  kind: KindName,
  step: KindStep,
  extra: Partial<ActivityOptions> = {},
  account?: string,
) {
  return proxyActivities<TeardownActivities>({
    taskQueue: actionTaskQueue(workflowInfo().taskQueue, kind, step, account),
    startToCloseTimeout: '30s',
    // Activities heartbeat during their one call: a dead worker is noticed within seconds.
    heartbeatTimeout: '5s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
    ...extra,
  });
}
