// The one place workflow code builds activity stubs: each kind's calls go to its own task queue
// (rate limited per cloud by the worker), with the retry and heartbeat settings every call shares.
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { TeardownActivities } from '../activities';
import type { KindName } from '../kinds';

export function kindActivities(kind: KindName, extra: Partial<ActivityOptions> = {}) {
  return proxyActivities<TeardownActivities>({
    taskQueue: `${workflowInfo().taskQueue}.${kind}`,
    startToCloseTimeout: '30s',
    // Activities heartbeat during their one call: a dead worker is noticed within seconds.
    heartbeatTimeout: '5s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
    ...extra,
  });
}
