// Long waits in seconds of real time, on the time-skipping test server: a start time a week away,
// the 24-hour approval window (lapsing, and approved near its end), and a 7-day deadline on a
// resource that never becomes deletable, whose polling stays within the ~500-round cap.
import type { TeardownReport } from '../../src/contract';
import { approveSignal } from '../../src/workflows/messages';
import { FIXTURES } from '../helpers/kinds';
import { testId } from '../helpers/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/time-skipping';

const ecs = FIXTURES['alibabacloud.ecs.instance'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** MAX_POLL_ROUNDS of src/workflows/groups.ts (not exported: the workflow's own tuning). */
const MAX_POLL_ROUNDS = 500;

let stack: TimeSkippingStack;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

function seed(status = 'Stopped'): string {
  const id = ecs.newId();
  ecs.seed(stack, id, {}, status);
  return id;
}

const exists = (id: string) => stack.emulator.resources(ecs.kind).some((r) => r.id === id);

/** Starts a teardown of one instance; `meanwhile` runs before its report is awaited. */
async function run(
  label: string,
  instance: string,
  options: Record<string, unknown>,
  meanwhile?: (id: string) => Promise<void>,
): Promise<{ id: string; report: TeardownReport }> {
  const id = testId(label);
  await stack.teardown.startTeardown(id, { resources: [ecs.group([instance])], options });
  await meanwhile?.(id);
  return { id, report: await stack.teardown.waitForReport(id) };
}

/** How long the teardown took by the server's (skipped) clock. */
async function serverDurationMs(id: string): Promise<number> {
  const d = await stack.teardown.handle(id).describe();
  return d.closeTime!.getTime() - d.startTime.getTime();
}

it('waits for a start time a week away, then deletes', async () => {
  const instance = seed();
  const startAt = new Date((await stack.env.currentTimeMs()) + 7 * DAY).toISOString();
  const { id, report } = await run('week-away', instance, { startAt, deadline: '1h', pollInterval: '1s' });
  expect(report.status).toBe('completed');
  expect(report.resources).toEqual([expect.objectContaining({ id: instance, outcome: 'deleted' })]);
  expect(exists(instance)).toBe(false);
  expect(await serverDurationMs(id)).toBeGreaterThanOrEqual(7 * DAY);
}, 120_000);

it('gives up an approval not given within 24 hours: skipped, nothing deleted', async () => {
  const instance = seed();
  const { id, report } = await run('approval-lapses', instance, {
    requireApproval: true,
    pollInterval: '1s',
  });
  expect(report.status).toBe('cancelled');
  expect(report.message).toBe('no approval before the deadline');
  expect(report.resources).toEqual([expect.objectContaining({ id: instance, outcome: 'skipped' })]);
  expect(exists(instance)).toBe(true);
  const took = await serverDurationMs(id);
  expect(took).toBeGreaterThanOrEqual(DAY);
  expect(took).toBeLessThan(DAY + HOUR);
}, 120_000);

it('deletes after an approval given 23 hours in (by the approve signal)', async () => {
  const instance = seed();
  const { id, report } = await run(
    'approved-late',
    instance,
    { requireApproval: true, pollInterval: '1s' },
    async (started) => {
      await stack.env.sleep('23h');
      await stack.teardown.handle(started).signal(approveSignal, { approvedBy: 'jest', comment: 'late' });
    },
  );
  expect(report.status).toBe('completed');
  expect(report.message).toContain('approved by jest');
  expect(report.resources).toEqual([expect.objectContaining({ id: instance, outcome: 'deleted' })]);
  expect(exists(instance)).toBe(false);
  expect(await serverDurationMs(id)).toBeGreaterThanOrEqual(23 * HOUR);
}, 120_000);

it('fails a resource stuck for its whole 7-day deadline, polling it at most ~500 rounds', async () => {
  const stuck = seed('Stopping'); // never leaves Stopping: nothing is scheduled for it
  const { id, report } = await run('seven-days', stuck, { deadline: '7d' });
  expect(report.status).toBe('failed');
  expect(report.resources).toEqual([
    expect.objectContaining({ id: stuck, outcome: 'failed', errorCode: 'DeadlineExceeded' }),
  ]);
  expect(await serverDurationMs(id)).toBeGreaterThanOrEqual(7 * DAY);
  // Rounds are the describes the emulator answered (its quota runs on real time, so some calls of
  // this fast-forwarded week are throttled and retried: those are not rounds).
  const rounds = stack.emulator
    .calls({ action: 'DescribeInstances' })
    .filter((c) => !c.errorCode && JSON.stringify(c.params).includes(stuck)).length;
  // The backoff from the 3 s default reaches deadline / MAX_POLL_ROUNDS within a dozen rounds.
  expect(rounds).toBeGreaterThan(MAX_POLL_ROUNDS - 50);
  expect(rounds).toBeLessThanOrEqual(MAX_POLL_ROUNDS + 20);
}, 300_000);
