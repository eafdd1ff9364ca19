// The `teardown` workflow of the public contract (design.md section 2): validates the request,
// then registers its handlers over a TeardownRun (./teardown-run.ts), which waits for the start
// time, resolves selectors, runs a child workflow per group and keeps the live report.
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  formatIssues,
  teardownRequestSchema,
  type TeardownReport,
  type TeardownRequestInput,
} from '../contract';
import type { DecisionKind } from './decision';
import {
  approveSignal,
  approveUpdate,
  groupProgressSignal,
  postponeUpdate,
  progressQuery,
  rejectSignal,
  rejectUpdate,
  resourcesQuery,
} from './messages';
import { TeardownRun } from './teardown-run';

export { GROUP_SIZE } from './groups';

export async function teardown(rawRequest: TeardownRequestInput): Promise<TeardownReport> {
  const parsed = teardownRequestSchema.safeParse(rawRequest);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid teardown request:\n${formatIssues(parsed.error)}`,
      'InvalidTeardownRequest',
    );
  }
  const run = new TeardownRun(parsed.data, workflowInfo().workflowId);

  setHandler(progressQuery, () => run.snapshot());
  setHandler(resourcesQuery, (arg) => run.resourcesPage(arg));
  setHandler(groupProgressSignal, (progress) => run.onProgress(progress));
  handleDecision(run, 'approve', approveUpdate, approveSignal);
  handleDecision(run, 'reject', rejectUpdate, rejectSignal);
  setHandler(
    postponeUpdate,
    ({ until }) => {
      run.postpone(until);
      return run.snapshot();
    },
    { validator: (arg) => run.checkPostpone(arg) },
  );
  return run.run();
}

/**
 * A decision as update (refused when invalid) and as signal (design.md allows either; a signal
 * cannot be refused, so an invalid one is logged and ignored).
 */
function handleDecision<Arg>(
  run: TeardownRun,
  kind: DecisionKind,
  update: UpdateDefinition<TeardownReport, [Arg]>,
  signal: SignalDefinition<[Arg]>,
): void {
  setHandler(
    update,
    (arg) => {
      run.decide(kind, arg);
      return run.snapshot();
    },
    { validator: (arg) => void run.checkDecision(kind, arg) },
  );
  setHandler(signal, (arg) => {
    try {
      run.checkDecision(kind, arg);
      run.decide(kind, arg);
    } catch (err) {
      log.warn(`${kind} signal ignored: ${(err as Error).message}`);
    }
  });
}
