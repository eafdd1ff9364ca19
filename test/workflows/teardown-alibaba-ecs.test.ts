// alibabacloud.ecs.instance end to end: real dev server, real worker, the official Alibaba SDK,
// and the emulator. Every branch of design.md section 4 for this kind, plus the error classes.
import type { TeardownReport } from '../../src/contract';
import { startStack, testId, type Stack } from '../helpers/stack';

const REGION = 'cn-hangzhou';
const KIND = 'alibabacloud.ecs.instance';
let stack: Stack;
let seq = 0;

/** A fresh, unique instance id (ids are per test so tests never see each other's resources). */
function newId(): string {
  seq++;
  return `i-bp1${Date.now().toString(36)}${String(seq).padStart(5, '0')}`;
}

function seed(id: string, status: string, attributes: Record<string, unknown> = {}): string {
  stack.emulator.seed([
    { type: KIND, region: REGION, id, status, attributes: { InstanceChargeType: 'PostPaid', ...attributes } },
  ]);
  return id;
}

async function run(ids: string[], options: Record<string, unknown> = {}): Promise<TeardownReport> {
  const id = testId('ecs');
  await stack.teardown.startTeardown(id, {
    resources: [{ kind: KIND, region: REGION, ids }],
    options: { pollInterval: '300ms', deadline: '2m', ...options },
    requestedBy: 'jest',
  });
  return stack.teardown.waitForReport(id);
}

function callsFor(action: string, id: string) {
  return stack.emulator.calls({ action }).filter((c) => JSON.stringify(c.params).includes(id));
}

function outcomeOf(report: TeardownReport, id: string) {
  const found = report.resources.find((r) => r.id === id);
  if (!found) throw new Error(`${id} missing from the report`);
  return found;
}

beforeAll(async () => {
  stack = await startStack({ prefix: 'ecs' });
});

afterAll(async () => {
  await stack?.stop();
});

describe('alibabacloud.ecs.instance teardown', () => {
  it('deletes a running instance with force, without stopping it', async () => {
    const id = seed(newId(), 'Running');
    const report = await run([id], { force: true });
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, id).outcome).toBe('deleted');
    expect(callsFor('StopInstances', id)).toHaveLength(0);
    const deletes = callsFor('DeleteInstances', id).filter((c) => !c.errorCode);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.params.Force).toBe('true');
    expect(stack.emulator.resources(KIND).some((r) => r.id === id)).toBe(false);
  });

  it('stops a running instance first when force is not set, then deletes it', async () => {
    const id = seed(newId(), 'Running');
    const report = await run([id]);
    expect(outcomeOf(report, id).outcome).toBe('deleted');
    const stop = callsFor('StopInstances', id);
    expect(stop.length).toBeGreaterThanOrEqual(1);
    const del = callsFor('DeleteInstances', id).filter((c) => !c.errorCode);
    expect(del).toHaveLength(1);
    expect(del[0]!.seq).toBeGreaterThan(stop[0]!.seq);
    expect(del[0]!.params.Force).toBe('false');
  });

  it('skips an unexpired prepaid instance unless convertPrepaid is set', async () => {
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const skipped = seed(newId(), 'Stopped', { InstanceChargeType: 'PrePaid', ExpiredTime: future });
    const report = await run([skipped]);
    expect(outcomeOf(report, skipped)).toMatchObject({ outcome: 'skipped' });
    expect(outcomeOf(report, skipped).message).toMatch(/convertPrepaid/);
    expect(callsFor('DeleteInstances', skipped)).toHaveLength(0);

    const converted = seed(newId(), 'Stopped', { InstanceChargeType: 'PrePaid', ExpiredTime: future });
    const report2 = await run([converted], { convertPrepaid: true });
    expect(outcomeOf(report2, converted).outcome).toBe('deleted');
    const modify = callsFor('ModifyInstanceChargeType', converted);
    expect(modify.length).toBeGreaterThanOrEqual(1);
    expect(modify[0]!.params.InstanceChargeType).toBe('PostPaid');
  });

  it('reports a deletion-protected instance as needing an operator, without a retry loop', async () => {
    const id = seed(newId(), 'Stopped', { DeletionProtection: true });
    const report = await run([id]);
    expect(report.status).toBe('failed');
    expect(outcomeOf(report, id)).toMatchObject({
      outcome: 'failed',
      errorCode: 'InvalidOperation.DeletionProtection',
    });
    expect(callsFor('DeleteInstances', id)).toHaveLength(0);
    expect(callsFor('DescribeInstances', id)).toHaveLength(1);
  });

  it('reports an id the provider never listed as not-found, next to one deleted; the run completes', async () => {
    const real = seed(newId(), 'Stopped');
    const never = newId();
    const report = await run([real, never]);
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, real).outcome).toBe('deleted');
    expect(outcomeOf(report, never).outcome).toBe('not-found');
    expect(report.totals).toMatchObject({ deleted: 1, notFound: 1, alreadyGone: 0, failed: 0 });
  });

  it('fails every group in which no id exists with NothingFound, and the teardown ends failed', async () => {
    const [a, b] = [newId(), newId()];
    const id = testId('ecs-nothing');
    await stack.teardown.startTeardown(id, {
      resources: [
        { kind: KIND, region: REGION, ids: [a] },
        { kind: KIND, region: 'cn-shanghai', ids: [b] },
      ],
      options: { pollInterval: '300ms', deadline: '2m' },
    });
    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('failed');
    for (const [rid, region] of [
      [a, REGION],
      [b, 'cn-shanghai'],
    ] as const) {
      const r = outcomeOf(report, rid);
      expect(r).toMatchObject({ outcome: 'failed', errorCode: 'NothingFound' });
      expect(r.message).toContain(`${KIND} ids exists in region ${region}`);
      expect(r.message).toMatch(/Check the ids, the region and the account.*allowMissing/);
    }
    expect(callsFor('DeleteInstances', a)).toHaveLength(0);
  });

  it('a group that found nothing fails while another is deleted: partially failed', async () => {
    const real = seed(newId(), 'Stopped');
    const never = newId();
    const id = testId('ecs-nothing-partial');
    await stack.teardown.startTeardown(id, {
      resources: [
        { kind: KIND, region: REGION, ids: [real] },
        { kind: KIND, region: 'cn-shanghai', ids: [never] },
      ],
      options: { pollInterval: '300ms', deadline: '2m' },
    });
    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('partially-failed');
    expect(outcomeOf(report, never)).toMatchObject({ outcome: 'failed', errorCode: 'NothingFound' });
  });

  it('accepts a group where nothing exists with options.allowMissing', async () => {
    const never = newId();
    const report = await run([never], { allowMissing: true });
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, never).outcome).toBe('not-found');
  });

  it('retries an InternalError burst with the same ClientToken', async () => {
    const id = seed(newId(), 'Stopped');
    stack.emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'InternalError',
      httpStatus: 500,
      count: 2,
      resourceId: id,
    });
    const report = await run([id]);
    expect(outcomeOf(report, id)).toMatchObject({ outcome: 'deleted', attempts: 3 });
    const deletes = callsFor('DeleteInstances', id);
    expect(deletes.map((c) => c.errorCode ?? 'ok')).toEqual(['InternalError', 'InternalError', 'ok']);
    expect(new Set(deletes.map((c) => c.clientToken)).size).toBe(1);
  });

  it('backs off on a throttling burst and completes', async () => {
    const id = seed(newId(), 'Stopped');
    stack.emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'Throttling.User',
      httpStatus: 400,
      count: 3,
      resourceId: id,
    });
    const report = await run([id]);
    expect(outcomeOf(report, id)).toMatchObject({ outcome: 'deleted', attempts: 4 });
    const deletes = callsFor('DeleteInstances', id);
    expect(deletes.filter((c) => c.errorCode === 'Throttling.User')).toHaveLength(3);
    // Backed off: the successful call came after a growing wait, not immediately.
    expect(deletes[3]!.at - deletes[0]!.at).toBeGreaterThan(1_000);
  });

  it('re-sends the same token on IdempotentProcessing', async () => {
    const id = seed(newId(), 'Stopped');
    stack.emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'IdempotentProcessing',
      httpStatus: 409,
      count: 2,
      resourceId: id,
    });
    const report = await run([id]);
    expect(outcomeOf(report, id).outcome).toBe('deleted');
    const deletes = callsFor('DeleteInstances', id);
    expect(deletes).toHaveLength(3);
    expect(new Set(deletes.map((c) => c.clientToken)).size).toBe(1);
  });

  it('deletes 150 instances in two batches, each under exactly one token, with no mismatch', async () => {
    const ids = Array.from({ length: 150 }, () => seed(newId(), 'Stopped'));
    const report = await run(ids);
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: 150, deleted: 150, failed: 0 });
    const deletes = stack.emulator
      .calls({ action: 'DeleteInstances' })
      .filter((c) => ids.some((id) => JSON.stringify(c.params).includes(`"${id}"`)));
    const okDeletes = deletes.filter((c) => !c.errorCode);
    expect(okDeletes).toHaveLength(2);
    expect(new Set(okDeletes.map((c) => c.clientToken)).size).toBe(2);
    expect(
      stack.emulator.calls({}).filter((c) => c.errorCode === 'IdempotentParameterMismatch'),
    ).toHaveLength(0);
  });

  it('isolates the one refused instance of a batch by splitting it', async () => {
    const ok = Array.from({ length: 3 }, () => seed(newId(), 'Stopped'));
    const refused = seed(newId(), 'Stopped');
    // Refused at delete time only (preflight cannot see it): the provider fails the whole batch.
    stack.emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'DependencyViolation.RouteEntry',
      httpStatus: 400,
      count: 1000,
      resourceId: refused,
    });
    try {
      const report = await run([...ok, refused]);
      expect(report.status).toBe('partially-failed');
      for (const id of ok) expect(outcomeOf(report, id).outcome).toBe('deleted');
      expect(outcomeOf(report, refused)).toMatchObject({
        outcome: 'failed',
        errorCode: 'DependencyViolation.RouteEntry',
      });
    } finally {
      stack.emulator.clearFaults();
    }
  });

  it('fails fast on a wrong access key secret, with no retry storm', async () => {
    const queue = `${stack.taskQueue}-badkey`;
    const bad = await stack.startWorkers({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret' }, queue);
    try {
      const ids = [seed(newId(), 'Stopped'), seed(newId(), 'Stopped')];
      const before = Math.max(0, ...stack.emulator.calls({}).map((c) => c.seq));
      const client = new (stack.teardown.constructor as typeof import('../../src/client').TeardownClient)(
        stack.client,
        queue,
      );
      const tid = testId('ecs-badkey');
      await client.startTeardown(tid, {
        resources: [{ kind: KIND, region: REGION, ids }],
        options: { pollInterval: '300ms' },
      });
      const report = await client.waitForReport(tid);
      expect(report.status).toBe('failed');
      for (const id of ids)
        expect(outcomeOf(report, id)).toMatchObject({
          outcome: 'failed',
          errorCode: 'SignatureDoesNotMatch',
        });
      // One refused describe, then nothing more: the group stops at the first auth refusal.
      const refused = stack.emulator.calls({}).filter((c) => c.seq > before);
      expect(refused.map((c) => c.errorCode)).toEqual(['SignatureDoesNotMatch']);
    } finally {
      bad.workers.shutdown();
      await bad.running;
    }
  });
});
