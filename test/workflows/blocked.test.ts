// Blocked is a first-class state (issue 9): a delete the emulator keeps refusing with
// ServiceUnavailable sets TeardownBlockedOn on the child holding the resource and on the parent
// before the next try (checked by event order, not by wall clock), one list query finds each, the
// parent's current details name the call, code and id, and everything clears when the fault is
// removed. Also `approval` while waiting for one, `operator` for a needs-operator refusal, the
// failed count kept current, and the report's attempts, last error and per-class counts.
import type { HistoryEvent } from '../helpers/history-events';
import { historyEvents, searchAttributeUpserts } from '../helpers/history-events';
import type { TeardownReport } from '../../src/contract';
import { EXIT_CODES } from '../../src/client/format';
import { BLOCKED_AFTER } from '../../src/workflows/group/blocked';
import { runCli } from '../client/cli-harness';
import { FIXTURES } from '../helpers/kinds';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';

const fx = FIXTURES['alibabacloud.ecs.instance'];
const DELETE = 'DeleteInstances';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'blocked' });
  stack.emulator.setSettings({ quotaPerSecond: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

async function ids(query: string): Promise<string[]> {
  const found: string[] = [];
  for await (const wf of stack.client.workflow.list({ query })) found.push(wf.workflowId);
  return found.sort();
}

/** The workflow's current details (what the UI shows on its page). */
async function currentDetails(workflowId: string): Promise<string> {
  const meta = await stack.client.workflow
    .getHandle(workflowId)
    .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return meta.currentDetails ?? '';
}

function refusals(id: string): number {
  return stack.emulator
    .calls({ action: DELETE })
    .filter((c) => c.errorCode === 'ServiceUnavailable' && JSON.stringify(c.params).includes(id)).length;
}

/** Events before the first upsert that sets TeardownBlockedOn to `on` (throws if there is none). */
function before(events: HistoryEvent[], on: string): HistoryEvent[] {
  const at = searchAttributeUpserts(events).find((u) => u.values.TeardownBlockedOn === on);
  if (!at) throw new Error(`no upsert of TeardownBlockedOn = ${on}`);
  return events.slice(0, at.index);
}

function scheduledDeletes(events: HistoryEvent[]): number {
  return events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deleteResources',
  ).length;
}

it('a delete refused again and again blocks child and parent before its next try; clearing the fault clears them', async () => {
  const [stuck, protectedId] = [fx.newId(), fx.newId()];
  fx.seed(stack, stuck);
  stack.emulator.seed([
    {
      type: fx.kind,
      region: fx.region!,
      id: protectedId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid', DeletionProtection: true },
    },
  ]);
  stack.emulator.injectFault({
    action: DELETE,
    code: 'ServiceUnavailable',
    probability: 1,
    resourceId: stuck,
  });
  const tid = testId('blocked');
  const { workflowId: wid } = await stack.teardown.startTeardown(tid, {
    resources: [fx.group([stuck, protectedId])],
    options: { pollInterval: '300ms', deadline: '10m' },
  });

  // One query each finds the parent and its child, with the failed count already current.
  const query = `TeardownBlockedOn = "ServiceUnavailable" AND TeardownFailedCount = 1 AND TeardownStatus = "running"`;
  const found = await eventually(
    async () => {
      const [parent, child] = await Promise.all([
        ids(`${query} AND WorkflowId = "${wid}"`),
        ids(`${query} AND WorkflowType = "deleteResourceGroup" AND WorkflowId STARTS_WITH "${wid}/"`),
      ]);
      return parent.length === 1 && child.length === 1 ? { parent: parent[0]!, child: child[0]! } : undefined;
    },
    'the blocked parent and child in visibility',
    120_000,
  );
  expect(found.parent).toBe(wid);

  // Set within one retry interval: after the BLOCKED_AFTER-th refused delete, before the next one.
  const childEvents = await historyEvents(stack.client, found.child);
  expect(scheduledDeletes(before(childEvents, 'ServiceUnavailable'))).toBe(BLOCKED_AFTER);
  const toldParent = before(childEvents, 'ServiceUnavailable').length;
  const signalled = childEvents.findIndex(
    (e, i) => i > toldParent && e.signalExternalWorkflowExecutionInitiatedEventAttributes,
  );
  expect(signalled).toBeGreaterThan(0);
  expect(scheduledDeletes(childEvents.slice(0, signalled))).toBe(BLOCKED_AFTER);
  const parentEvents = await historyEvents(stack.client, wid);
  const parentBefore = before(parentEvents, 'ServiceUnavailable');
  // The parent upserts in the workflow task that handles that signal.
  const lastSignal = parentBefore.map((e) => !!e.workflowExecutionSignaledEventAttributes).lastIndexOf(true);
  expect(lastSignal).toBeGreaterThan(0);
  expect(parentBefore.slice(lastSignal).filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(
    1,
  );

  // The page and the report say why.
  const progress = await stack.teardown.getProgress(tid);
  expect(progress.blocked).toMatchObject({ on: 'ServiceUnavailable', ids: [stuck] });
  expect(progress.blocked!.details).toMatch(
    new RegExp(
      `^1 ${fx.kind} in ${fx.region} blocked: ${DELETE} answered ServiceUnavailable \\d+ times since \\d\\d:\\d\\d:\\d\\d; next try \\d\\d:\\d\\d:\\d\\d; ${stuck}$`,
    ),
  );
  expect(await currentDetails(wid)).toContain(progress.blocked!.details);
  expect(await currentDetails(found.child)).toContain(`answered ServiceUnavailable`);
  const pending = progress.resources.find((r) => r.id === stuck)!;
  expect(pending).toMatchObject({ outcome: 'pending', lastErrorCode: 'ServiceUnavailable' });
  expect(Date.parse(pending.lastErrorAt!)).not.toBeNaN();
  expect(progress.attempts?.throttled).toBeGreaterThanOrEqual(BLOCKED_AFTER);

  // The CLI's status says the same, and the resource's last error.
  const status = await runCli(['status', tid], () => Promise.resolve(stack.teardown));
  expect(status.stdout).toContain(
    `blocked on ServiceUnavailable: ${progress.blocked!.details.split(';')[0]}`,
  );
  expect(status.stdout).toMatch(new RegExp(`${stuck}\\s+pending\\s+ServiceUnavailable`));

  // Progress resumes: the block clears; what is left needs a person (the protected instance,
  // refused at preflight, which already showed before the delete blocked).
  stack.emulator.clearFaults();
  const report: TeardownReport = await stack.teardown.waitForReport(tid);
  const refused = refusals(stuck);
  expect(report.status).toBe('partially-failed');
  const deleted = report.resources.find((r) => r.id === stuck)!;
  expect(deleted.outcome).toBe('deleted');
  expect(deleted.lastErrorCode).toBeUndefined();
  expect(deleted.attempts).toBe(refused + 1);
  expect(report.attempts?.throttled).toBe(refused);
  expect(report.blocked).toMatchObject({ on: 'operator', ids: [protectedId] });
  for (const events of [
    await historyEvents(stack.client, wid),
    await historyEvents(stack.client, found.child),
  ]) {
    const values = searchAttributeUpserts(events).map((u) => u.values.TeardownBlockedOn);
    expect(values.filter((v) => v !== undefined)).toEqual(['operator', 'ServiceUnavailable', 'operator']);
  }
  // watch ends with the teardown, non-zero because it ended badly, naming what waits for a person.
  const watched = await runCli(['watch', tid], () => Promise.resolve(stack.teardown));
  expect(watched.exitCode).toBe(EXIT_CODES.partiallyFailed);
  expect(watched.stdout).toContain(`blocked on operator: 1 ${fx.kind} in ${fx.region} need a person`);
  const operator = `TeardownBlockedOn = "operator" AND WorkflowId STARTS_WITH "${wid}"`;
  const both = await eventually(async () => {
    const listed = await ids(operator);
    return listed.length === 2 ? listed : undefined;
  }, 'parent and child blocked on operator');
  expect(both).toEqual([wid, found.child].sort());
});

it('a teardown waiting for approval is blocked on approval until approved, then not blocked', async () => {
  const id = fx.newId();
  fx.seed(stack, id);
  const tid = testId('approval');
  const { workflowId: wid } = await stack.teardown.startTeardown(tid, {
    resources: [fx.group([id])],
    options: { pollInterval: '300ms', deadline: '10m', requireApproval: true },
  });
  await eventually(
    async () =>
      (await ids(`TeardownBlockedOn = "approval" AND WorkflowId = "${wid}"`)).length ? true : undefined,
    'the teardown blocked on approval',
  );
  expect((await stack.teardown.getProgress(tid)).blocked).toMatchObject({ on: 'approval', ids: [id] });
  await stack.teardown.approve(tid, { approvedBy: 'oncall-test' });
  const report = await stack.teardown.waitForReport(tid);
  expect(report.status).toBe('completed');
  expect(report.blocked).toBeUndefined();
  const values = searchAttributeUpserts(await historyEvents(stack.client, wid)).map(
    (u) => u.values.TeardownBlockedOn,
  );
  // Set, then removed (null) when the decision came.
  expect(values.filter((v) => v !== undefined)).toEqual(['approval', null]);
});
