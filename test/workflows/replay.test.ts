// Determinism: histories recorded from real runs (parent and children, with prepare steps,
// retries, faults and bisection) replay against the current workflow code without errors.
import { Worker } from '@temporalio/worker';
import { EMULATOR_ACCOUNTS } from '../../src/emulator/accounts';
import { startStack, testId, type Stack } from '../helpers/stack';
import { workflowBundle } from '../helpers/temporal';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'replay' });
});

afterAll(async () => {
  await stack?.stop();
});

it('replays recorded teardown histories without non-determinism', async () => {
  const region = 'cn-hangzhou';
  const stamp = Date.now().toString(36);
  const ids = ['run', 'stp', 'pre', 'pro', 'flt'].map((s) => `i-bp1rep${s}${stamp}`);
  const [running, stopped, prepaid, protectedId, faulty] = ids as [string, string, string, string, string];
  stack.emulator.seed([
    {
      type: 'alibabacloud.ecs.instance',
      region,
      id: running,
      status: 'Running',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
    {
      type: 'alibabacloud.ecs.instance',
      region,
      id: stopped,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
    {
      type: 'alibabacloud.ecs.instance',
      region,
      id: prepaid,
      status: 'Running',
      attributes: {
        InstanceChargeType: 'PrePaid',
        ExpiredTime: new Date(Date.now() + 86_400_000 * 10).toISOString(),
      },
    },
    {
      type: 'alibabacloud.ecs.instance',
      region,
      id: protectedId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid', DeletionProtection: true },
    },
    {
      type: 'alibabacloud.ecs.instance',
      region,
      id: faulty,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
  ]);
  stack.emulator.injectFault({
    provider: 'alibabacloud',
    action: 'DeleteInstances',
    code: 'InternalError',
    httpStatus: 500,
    count: 1,
  });
  stack.emulator.injectFault({
    provider: 'alibabacloud',
    action: 'DeleteInstances',
    code: 'DependencyViolation.RouteEntry',
    httpStatus: 400,
    count: 100,
    resourceId: faulty,
  });

  const teardownIds = [testId('replay'), testId('replay-dry')];
  await stack.teardown.startTeardown(teardownIds[0]!, {
    resources: [{ kind: 'alibabacloud.ecs.instance', region, ids: [...ids, `i-bp1repgone${stamp}`] }],
    options: { convertPrepaid: true, pollInterval: '300ms' },
  });
  await stack.teardown.startTeardown(teardownIds[1]!, {
    resources: [{ kind: 'alibabacloud.ecs.instance', region, ids: [stopped] }],
    options: { dryRun: true, pollInterval: '300ms' },
  });
  const reports = await Promise.all(teardownIds.map((id) => stack.teardown.waitForReport(id)));
  stack.emulator.clearFaults();
  expect(reports[0]!.status).toBe('partially-failed');
  expect(reports[1]!.status).toBe('dry-run');

  const histories = stack.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` }).intoHistories();
  const secrets = EMULATOR_ACCOUNTS.flatMap((a) => [a.accessKeySecret, a.accessKeyId]);
  const recorded: Array<{ workflowId: string; history: unknown }> = [];
  for await (const h of histories) recorded.push(h);
  // No credential (key id or secret) ever appears in a workflow history.
  for (const { workflowId, history } of recorded) {
    const text = JSON.stringify(history);
    for (const secret of secrets)
      expect({ workflowId, leaks: text.includes(secret) }).toEqual({ workflowId, leaks: false });
  }
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, recorded)) {
    expect(result.error).toBeUndefined();
    replayed++;
  }
  // Two parents, and a child per group (the approval-free runs have one group each; dry-run has one).
  expect(replayed).toBeGreaterThanOrEqual(4);
});
