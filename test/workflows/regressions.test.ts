// Regressions found in review: each case once reported a resource wrongly or sent calls it should
// not have. Sequential on purpose: some cases change the emulator's latency for all calls.
import type { TeardownReport, TeardownRequestInput } from '../../src/contract';
import { FIXTURES } from '../helpers/kinds';
import { startStack, testId, type Stack } from '../helpers/stack';

const ecs = FIXTURES['alibabacloud.ecs.instance'];
const KIND = ecs.kind;
const REGION = ecs.region!;
let stack: Stack;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function seed(status: string, attributes: Record<string, unknown> = {}): string {
  const id = ecs.newId();
  ecs.seed(stack, id, attributes, status);
  return id;
}

async function start(ids: string[], options: NonNullable<TeardownRequestInput['options']>): Promise<string> {
  const id = testId('regression');
  await stack.teardown.startTeardown(id, {
    resources: [ecs.group(ids)],
    options: { pollInterval: '300ms', ...options },
  });
  return id;
}

/** Waits for a condition (a generous limit: it only bounds a broken run, never a slow one). */
async function waitUntil(check: () => boolean, what: string): Promise<void> {
  const limit = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const outcome = (report: TeardownReport, id: string) => report.resources.find((r) => r.id === id)!;
const exists = (id: string) => stack.emulator.resources(KIND).some((r) => r.id === id);

beforeAll(async () => {
  stack = await startStack({ prefix: 'regression' });
});

afterEach(() => {
  stack.emulator.clearFaults();
  stack.emulator.setSettings({
    latencyByAction: { DeleteInstances: 0, DescribeInstances: 0, ModifyInstanceChargeType: 0 },
  });
});

afterAll(async () => {
  await stack?.stop();
});

it('deletes the ready instances while another stays stuck, and fails only the stuck one at the deadline', async () => {
  const ready = seed('Stopped');
  const stuck = seed('Stopping'); // never leaves Stopping: nothing scheduled
  const report = await stack.teardown.waitForReport(await start([ready, stuck], { deadline: '20s' }));
  expect(outcome(report, ready).outcome).toBe('deleted');
  expect(exists(ready)).toBe(false);
  expect(outcome(report, stuck)).toMatchObject({ outcome: 'failed', errorCode: 'DeadlineExceeded' });
  expect(report.status).toBe('partially-failed');
});

it('signals its parent only when something changed, not on every poll', async () => {
  const stuck = seed('Stopping');
  const id = await start([stuck], { deadline: '10s' });
  await stack.teardown.waitForReport(id);
  const child = await stack.client.workflow
    .getHandle(`teardown-${id}/delete/${KIND}/${REGION}/0`)
    .fetchHistory();
  const events = child.events ?? [];
  const polls = events.filter((e) => e.activityTaskScheduledEventAttributes).length;
  const signals = events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length;
  expect(polls).toBeGreaterThanOrEqual(4); // it kept describing the stuck instance...
  expect(signals).toBeLessThanOrEqual(3); // ...but told the parent only of real changes
});

it('does not blame a whole dry-run batch for one id the provider refuses', async () => {
  const vanishing = seed('Stopped');
  const fine = seed('Stopped');
  stack.emulator.injectFault({
    action: 'DeleteInstances',
    code: 'InvalidInstanceId.NotFound',
    httpStatus: 404,
    count: 10,
    resourceId: vanishing,
  });
  const report = await stack.teardown.waitForReport(await start([vanishing, fine], { dryRun: true }));
  expect(report.status).toBe('dry-run');
  expect(outcome(report, fine).outcome).toBe('would-delete');
  expect(outcome(report, vanishing).outcome).toBe('already-gone');
});

it('reports deleted, not failed, when the delete worked but its answer was lost and the retries failed', async () => {
  const id = seed('Stopped');
  // The first call outlives the SDK's 5 s request timeout (its answer is lost) but deletes the
  // instance; every retry then meets InternalError until the activity gives up.
  stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 6_000 } });
  const tid = await start([id], { deadline: '2m' });
  await waitUntil(
    () => stack.emulator.inFlight().some((c) => c.action === 'DeleteInstances'),
    'a delete in flight',
  );
  stack.emulator.injectFault({
    action: 'DeleteInstances',
    code: 'InternalError',
    httpStatus: 500,
    count: 50,
    resourceId: id,
  });
  // The first call deletes the instance when its latency is over; the retries meet the faults.
  await waitUntil(() => !exists(id), 'the first delete handled');
  stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 0 } });
  const report = await stack.teardown.waitForReport(tid);
  expect(exists(id)).toBe(false);
  expect(outcome(report, id).outcome).toBe('deleted');
}, 120_000);

it('sends no further stop/convert calls once cancelled', async () => {
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const ids = Array.from({ length: 60 }, () =>
    seed('Stopped', { InstanceChargeType: 'PrePaid', ExpiredTime: future }),
  );
  // Long enough for the cancel to reach the workflow before the in-flight conversion returns,
  // short of the 5 s request timeout (a timed-out call is retried).
  stack.emulator.setSettings({ latencyByAction: { ModifyInstanceChargeType: 3_000 } });
  const tid = await start(ids, { convertPrepaid: true, deadline: '2m' });
  await waitUntil(
    () => stack.emulator.inFlight().some((c) => c.action === 'ModifyInstanceChargeType'),
    'a conversion in flight',
  );
  await stack.teardown.cancel(tid);
  const report = await stack.teardown.waitForReport(tid);
  expect(report.status).toBe('cancelled');
  // 60 ids are three conversion calls of 20; only the one in flight at the cancel was sent.
  expect(
    stack.emulator
      .calls({ action: 'ModifyInstanceChargeType' })
      .filter((c) => ids.some((id) => JSON.stringify(c.params).includes(id))),
  ).toHaveLength(1);
  expect(
    stack.emulator
      .calls({ action: 'DeleteInstances' })
      .filter((c) => ids.some((id) => JSON.stringify(c.params).includes(id))),
  ).toHaveLength(0);
});

it('never reports as not deleted an instance whose delete was in flight at a cancel', async () => {
  const ids = Array.from({ length: 200 }, () => seed('Stopped'));
  // One batch is refused (so the workflow re-describes it, slowly) while the other is in flight.
  stack.emulator.injectFault({
    action: 'DeleteInstances',
    code: 'InvalidParameter',
    httpStatus: 400,
    count: 1,
    resourceId: ids[0],
  });
  stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 3_000, DescribeInstances: 1_500 } });
  const tid = await start(ids, { deadline: '2m' });
  const mine = (c: { params: Record<string, unknown> }) => JSON.stringify(c.params).includes(`"${ids[0]}"`);
  await waitUntil(() => stack.emulator.calls({ action: 'DeleteInstances' }).some(mine), 'the refused batch');
  // Cancel while the other batch is in flight (3 s latency), not after a guessed pause.
  await waitUntil(
    () => stack.emulator.inFlight().some((c) => c.action === 'DeleteInstances'),
    'the other batch in flight',
  );
  await stack.teardown.cancel(tid);
  const report = await stack.teardown.waitForReport(tid);
  expect(report.status).toBe('cancelled');
  // The other batch was in flight at the cancel: its instances are gone and reported deleted.
  expect(report.totals.deleted).toBeGreaterThan(0);
  const left = new Set(stack.emulator.resources(KIND).map((r) => r.id));
  const pendingButGone = report.resources.filter((r) => r.outcome === 'pending' && !left.has(r.id));
  expect(pendingButGone).toEqual([]);
}, 120_000);

it('reports an instance gone by itself as already-gone and one restarted mid-way as failed, never pending', async () => {
  const vanishes = ecs.newId();
  const fine = ecs.newId();
  const restarts = ecs.newId();
  for (const id of [vanishes, fine, restarts]) ecs.seed(stack, id, {}, 'Stopped');
  // The changes happen while the first delete is in flight, i.e. after the preflight saw all three
  // Stopped and before the emulator handles the delete (it waits out its latency first). Waiting
  // for the call in flight instead of for a timed transition makes the order certain however slow
  // the machine is; the latency only has to outlast the test's own reaction.
  stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 3_000 } });
  const tid = await start([vanishes, fine, restarts], { deadline: '1m' });
  await waitUntil(
    () => stack.emulator.inFlight().some((c) => c.action === 'DeleteInstances'),
    'the first delete in flight',
  );
  stack.emulator.store.remove(KIND, 'default', vanishes);
  ecs.seed(stack, restarts, {}, 'Running');
  stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 0 } });
  const report = await stack.teardown.waitForReport(tid);
  expect(outcome(report, vanishes).outcome).toBe('already-gone');
  expect(outcome(report, fine).outcome).toBe('deleted');
  expect(outcome(report, restarts)).toMatchObject({ outcome: 'failed', errorCode: 'StateChanged' });
  expect(report.totals.pending).toBe(0);
}, 120_000);
