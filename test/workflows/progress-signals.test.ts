// A child tells its parent at phase ends only (issue 11: a 100,000-resource parent with 333
// children must stay far under 10,000 events): preflight done and first deletes sent, nothing per
// prepare or poll round, and at the end nothing when nothing blocked or failed (its result carries
// the reports). Counted in the histories, not timed.
import { historyEvents, type HistoryEvent } from '../helpers/history-events';
import { startStack, testId, type Stack } from '../helpers/stack';

const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'signals' });
});

afterAll(async () => {
  await stack?.stop();
});

const count = (events: HistoryEvent[], pick: (e: HistoryEvent) => unknown) => events.filter(pick).length;

it('running instances (stop rounds, poll rounds) cost their parent two signals, and the report is whole', async () => {
  const ids = ['a', 'b', 'c'].map((x) => `i-bp1sig${Date.now().toString(36)}${x}`);
  stack.emulator.seed(
    ids.map((id) => ({
      type: KIND,
      region: REGION,
      id,
      status: 'Running',
      attributes: { InstanceChargeType: 'PostPaid' },
    })),
  );
  const { workflowId: wid } = await stack.teardown.startTeardown(testId('signals'), {
    resources: [{ kind: KIND, region: REGION, ids }],
    options: { pollInterval: '300ms', deadline: '2m' },
    requestedBy: 'jest',
  });
  const report = await stack.teardown.waitForReport(wid);
  expect(report.status).toBe('completed');
  expect(report.resources.map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'deleted']);

  const parent = await historyEvents(stack.client, wid);
  const childId = parent.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)!
    .startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!;
  const child = await historyEvents(stack.client, childId);
  // The child went through more rounds than it signalled: it stopped, deleted and polled.
  const activities = count(child, (e) => e.activityTaskScheduledEventAttributes);
  expect(activities).toBeGreaterThanOrEqual(4);
  expect(count(child, (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes)).toBe(2);
  expect(count(parent, (e) => e.workflowExecutionSignaledEventAttributes)).toBe(2);
});
