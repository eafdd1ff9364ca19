// The four kinds beyond Alibaba ECS end to end (real dev server, real workers, the official SDKs,
// the emulator), then all five kinds in one request: per-id outcomes, what went over the wire
// (actions, ClientTokens, flags) and the report totals.
import type { CallLogEntry } from '../../src/emulator/types';
import { TeardownClient, type ResourceReport, type TeardownReport } from '../../src/client';
import type { KindName } from '../../src/kinds';
import { FIXTURES, idsInCall } from '../helpers/kinds';
import { startStack, testId, type Stack } from '../helpers/stack';

let stack: Stack;

const OPTIONS = { pollInterval: '300ms', deadline: '2m' };
/** For "without waiting for the deadline": far longer than any test's timeout, so waiting fails it. */
const FAR_DEADLINE = { deadline: '6h' };

beforeAll(async () => {
  stack = await startStack({ prefix: 'kinds' });
});

afterAll(async () => {
  await stack?.stop();
});

/** Seeds `count` fresh resources of a kind and returns their ids. */
function seeded(
  kind: KindName,
  count: number,
  attributes: Record<string, unknown> = {},
  status?: string,
): string[] {
  const fixture = FIXTURES[kind];
  return Array.from({ length: count }, () => {
    const id = fixture.newId();
    fixture.seed(stack, id, attributes, status);
    return id;
  });
}

async function run(
  groups: Array<ReturnType<(typeof FIXTURES)[KindName]['group']>>,
  options: Record<string, unknown> = {},
  client: TeardownClient = stack.teardown,
  /** Runs while the teardown runs (before its report is awaited). */
  meanwhile?: () => Promise<void>,
): Promise<{ report: TeardownReport; workflowId: string }> {
  const id = testId('kinds');
  const { workflowId } = await client.startTeardown(id, {
    resources: groups,
    options: { ...OPTIONS, ...options },
    requestedBy: 'jest',
  });
  await meanwhile?.();
  const report = await client.waitForReport(id);
  return { report, workflowId };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function outcomeOf(report: TeardownReport, id: string): ResourceReport {
  const found = report.resources.find((r) => r.id === id);
  if (!found) throw new Error(`${id} missing from the report`);
  return found;
}

/** The resource ids a provider call named, whatever the wire shape. */
/** The ids a call named. */
const idsOf = (call: CallLogEntry): string[] => idsInCall(call.params);

/** MS listings (DescribeScanInstances names no AppSid: it pages the whole listing). */
function msListings(): CallLogEntry[] {
  return stack.emulator.calls({ action: 'DescribeScanInstances' }).filter((c) => c.service === 'ms');
}

/** Calls of an action (of one provider product) that named any of `ids`. */
function callsFor(provider: string, service: string, action: string, ids: string[]): CallLogEntry[] {
  return stack.emulator
    .calls({ action })
    .filter(
      (c) => c.provider === provider && c.service === service && idsOf(c).some((id) => ids.includes(id)),
    );
}

function exists(kind: string, id: string): boolean {
  return stack.emulator.resources(kind).some((r) => r.id === id);
}

/**
 * Runs `body` with some emulator settings changed, then restores them. Workflow timers on the dev
 * server fire with about one second of granularity, so a transition meant to be seen in progress
 * must last longer than that.
 */
async function withSettings<T>(
  patch: { durations?: Record<string, number>; latencyByAction?: Record<string, number> },
  body: () => Promise<T>,
): Promise<T> {
  const before = stack.emulator.settings();
  stack.emulator.setSettings(patch);
  try {
    return await body();
  } finally {
    const restore = (now: Record<string, number>, keys: Record<string, number> | undefined) =>
      Object.fromEntries(Object.keys(keys ?? {}).map((k) => [k, now[k] ?? 0]));
    stack.emulator.setSettings({
      durations: restore(before.durations, patch.durations),
      latencyByAction: restore(before.latencyByAction, patch.latencyByAction),
    });
  }
}

function noTokenMisuse(): void {
  const bad = stack.emulator
    .calls({})
    .filter(
      (c) =>
        c.errorCode === 'IdempotentParameterMismatch' || c.errorCode === 'FailedOperation.DuplicatedRequest',
    );
  expect(bad).toEqual([]);
}

// ---- volcengine.ecs.instance --------------------------------------------------------------------

describe('volcengine.ecs.instance', () => {
  const KIND = 'volcengine.ecs.instance';
  const fixture = FIXTURES[KIND];

  it('reads one DeleteInstances answer per instance: deleted, vanished meanwhile, refused', async () => {
    const [deleted] = seeded(KIND, 1);
    const [refused] = seeded(KIND, 1, { failDelete: 'InvalidParameter' });
    // Alive at preflight, gone by the time the delete is handled: removed while the (slow) delete
    // call is in flight, so the delete answers InvalidInstance.NotFound for it inside an HTTP 200.
    const [vanishing] = seeded(KIND, 1);
    const { report } = await withSettings(
      { latencyByAction: { 'volcengine.ecs.DeleteInstances': 1_500 } },
      () =>
        run([fixture.group([deleted!, vanishing!, refused!])], {}, stack.teardown, async () => {
          await waitFor(
            () =>
              stack.emulator
                .inFlight()
                .some((c) => c.provider === 'volcengine' && c.action === 'DeleteInstances'),
            'a DeleteInstances call in flight',
          );
          stack.emulator.store.remove(KIND, 'default', vanishing!);
        }),
    );
    const ids = [deleted!, vanishing!, refused!];

    const deletes = callsFor('volcengine', 'ecs', 'DeleteInstances', ids);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.errorCode).toBeUndefined();
    expect(deletes[0]!.httpStatus).toBe(200);
    expect(idsOf(deletes[0]!)).toEqual([...ids].sort());
    expect(deletes[0]!.clientToken).toMatch(/^ct-[0-9a-f]{61}$/);

    expect(outcomeOf(report, deleted!)).toMatchObject({ outcome: 'deleted', attempts: 1 });
    expect(outcomeOf(report, vanishing!).outcome).toBe('already-gone');
    expect(outcomeOf(report, refused!)).toMatchObject({
      outcome: 'failed',
      errorCode: 'InvalidParameter',
      attempts: 1,
    });
    expect(report.status).toBe('partially-failed');
    expect(report.totals).toMatchObject({
      requested: 3,
      deleted: 1,
      alreadyGone: 1,
      failed: 1,
      skipped: 0,
      pending: 0,
    });
    expect(exists(KIND, deleted!)).toBe(false);
    expect(exists(KIND, refused!)).toBe(true);
  });

  it('converts an unexpired prepaid instance with convertPrepaid, and skips it without', async () => {
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const [skipped] = seeded(KIND, 1, { InstanceChargeType: 'PrePaid', ExpiredAt: future });
    const first = await run([fixture.group([skipped!])]);
    expect(outcomeOf(first.report, skipped!)).toMatchObject({
      outcome: 'skipped',
      errorCode: 'InvalidInstanceChargeType.Unsupported',
    });
    expect(outcomeOf(first.report, skipped!).message).toMatch(/convertPrepaid/);
    expect(first.report.totals).toMatchObject({ requested: 1, skipped: 1, deleted: 0, failed: 0 });
    expect(callsFor('volcengine', 'ecs', 'ModifyInstanceChargeType', [skipped!])).toHaveLength(0);
    expect(callsFor('volcengine', 'ecs', 'DeleteInstances', [skipped!])).toHaveLength(0);
    expect(exists(KIND, skipped!)).toBe(true);

    const [converted] = seeded(KIND, 1, { InstanceChargeType: 'PrePaid', ExpiredAt: future });
    const second = await run([fixture.group([converted!])], { convertPrepaid: true });
    expect(second.report.status).toBe('completed');
    expect(outcomeOf(second.report, converted!).outcome).toBe('deleted');
    const modify = callsFor('volcengine', 'ecs', 'ModifyInstanceChargeType', [converted!]);
    expect(modify.length).toBeGreaterThanOrEqual(1);
    for (const call of modify) {
      expect(call.params.InstanceChargeType).toBe('PostPaid');
      expect(call.clientToken).toMatch(/^ct-/);
      expect(call.errorCode).toBeUndefined();
    }
    const deletes = callsFor('volcengine', 'ecs', 'DeleteInstances', [converted!]);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.seq).toBeGreaterThan(modify[0]!.seq);
    // Converting and deleting are different calls: never the same token.
    expect(modify.map((c) => c.clientToken)).not.toContain(deletes[0]!.clientToken);
    expect(exists(KIND, converted!)).toBe(false);
    noTokenMisuse();
  });

  it('counts every provider call in `attempts` when a delete ends failed after retries', async () => {
    // Busy until the deadline: the dedicated host refuses the delete (retried with back-off, the
    // same ClientToken) until the call's window closes; the id is then reported failed.
    const ids = seeded(KIND, 1);
    stack.emulator.injectFault({
      provider: 'volcengine',
      action: 'DeleteInstances',
      code: 'InvalidDedicatedHostStatus.Unsupported',
      count: 1_000,
      resourceId: ids[0]!,
    });
    try {
      const { report } = await run([fixture.group(ids)], { deadline: '10s' });
      const deletes = callsFor('volcengine', 'ecs', 'DeleteInstances', ids);
      expect(deletes.length).toBeGreaterThan(1);
      expect(new Set(deletes.map((c) => c.clientToken)).size).toBe(1);
      // The deadline comes either during a try (its code stands) or during the wait before the next
      // one (DeadlineExceeded naming the last answer): which depends on the machine, not the code.
      const failed = outcomeOf(report, ids[0]!);
      expect(failed.outcome).toBe('failed');
      expect(['InvalidDedicatedHostStatus.Unsupported', 'DeadlineExceeded']).toContain(failed.errorCode);
      expect(`${failed.errorCode} ${failed.message} ${failed.lastErrorCode ?? ''}`).toContain(
        'InvalidDedicatedHostStatus.Unsupported',
      );
      // The report's attempts are "provider calls (including retries) that carried this id's delete".
      expect(outcomeOf(report, ids[0]!).attempts).toBe(deletes.length);
    } finally {
      stack.emulator.clearFaults();
    }
  });

  it('fails fast on a wrong secret key: the code on every id, exactly one refused call', async () => {
    const queue = `${stack.taskQueue}-volc-badkey`;
    const bad = await stack.startWorkers({ VOLCENGINE_SECRET_KEY: 'wrong' }, queue);
    try {
      const ids = seeded(KIND, 2);
      const before = Math.max(0, ...stack.emulator.calls({}).map((c) => c.seq));
      // A deadline far beyond the test's timeout: a teardown that waited for it fails the test.
      const { report } = await run(
        [fixture.group(ids)],
        FAR_DEADLINE,
        new TeardownClient(stack.client, queue),
      );
      expect(report.status).toBe('failed');
      for (const id of ids)
        expect(outcomeOf(report, id)).toMatchObject({
          outcome: 'failed',
          errorCode: 'SignatureDoesNotMatch',
        });
      const after = stack.emulator.calls({ provider: 'volcengine' }).filter((c) => c.seq > before);
      expect(after.map((c) => c.errorCode)).toEqual(['SignatureDoesNotMatch']);
      for (const id of ids) expect(exists(KIND, id)).toBe(true);
    } finally {
      bad.workers.shutdown();
      await bad.running;
    }
  });
});

// ---- alibabacloud.sae.instance ------------------------------------------------------------------

describe('alibabacloud.sae.instance', () => {
  const KIND = 'alibabacloud.sae.instance';
  const fixture = FIXTURES[KIND];
  /** Each of 0 -> 1 -> final lasts this long in the first test (longer than a timer's granularity). */
  const STEP_MS = 2_000;

  function saeCalls(action: string, ids: string[]) {
    return callsFor('alibabacloud', 'sae', action, ids);
  }

  function ordersPolled(deleteCall: CallLogEntry): CallLogEntry[] {
    return stack.emulator
      .calls({ action: 'DescribeChangeOrder' })
      .filter((c) => c.provider === 'alibabacloud' && c.service === 'sae' && c.seq > deleteCall.seq);
  }

  it('deletes three instances of one application with one change order, polled to status 2', async () => {
    const appId = `app-${fixture.newId()}`;
    const ids = seeded(KIND, 3, { AppId: appId });
    const { report } = await withSettings(
      { durations: { 'alibabacloud.sae.changeOrderStep': STEP_MS } },
      () => run([fixture.group(ids)]),
    );

    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: 3, deleted: 3, failed: 0, pending: 0 });
    const deletes = saeCalls('DeleteInstances', ids);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.errorCode).toBeUndefined();
    expect(deletes[0]!.params.AppId).toBe(appId);
    expect(idsOf(deletes[0]!)).toEqual([...ids].sort());

    // Every poll followed this one change order, and polling went on until it reached 2
    // (2 x step after the delete) and stopped there.
    const polls = ordersPolled(deletes[0]!).filter((c) => !c.errorCode);
    const orderIds = new Set(polls.map((c) => c.params.ChangeOrderId));
    expect(orderIds.size).toBe(1);
    const [orderId] = [...orderIds] as string[];
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls[polls.length - 1]!.at - deletes[0]!.at).toBeGreaterThanOrEqual(2 * STEP_MS);
    expect(orderId).toBeTruthy();
    for (const id of ids) {
      expect(outcomeOf(report, id).outcome).toBe('deleted');
      expect(exists(KIND, id)).toBe(false);
    }
  });

  it('reports a change order waiting for a manual batch confirmation (8) as needs-operator, without waiting for the deadline', async () => {
    const ids = seeded(KIND, 2, { changeOrderOutcome: 8 });
    // Both in one application (the first one's).
    const appId = fixture.group(ids.slice(0, 1)).appId!;
    for (const id of ids.slice(1)) fixture.seed(stack, id, { AppId: appId, changeOrderOutcome: 8 });
    const { report } = await run([fixture.group(ids)], FAR_DEADLINE);

    expect(report.status).toBe('failed');
    const deletes = saeCalls('DeleteInstances', ids);
    expect(deletes).toHaveLength(1);
    const orderId = ordersPolled(deletes[0]!)[0]!.params.ChangeOrderId as string;
    for (const id of ids) {
      const r = outcomeOf(report, id);
      expect(r).toMatchObject({ outcome: 'failed', errorCode: 'ChangeOrder.AwaitingBatchConfirmation' });
      expect(r.message).toContain(orderId);
      expect(r.message).toMatch(/manual batch confirmation/);
      expect(exists(KIND, id)).toBe(true);
    }
    // Reported as soon as the order reached 8: the deadline (FAR_DEADLINE) outlasts the test.
  });

  it('fails the instances of a change order that ends failed (3)', async () => {
    const ids = seeded(KIND, 1, { changeOrderOutcome: 3 });
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('failed');
    expect(outcomeOf(report, ids[0]!)).toMatchObject({ outcome: 'failed', errorCode: 'ChangeOrder.Failed' });
    expect(outcomeOf(report, ids[0]!).message).toMatch(/failed/);
    expect(saeCalls('DeleteInstances', ids)).toHaveLength(1);
    expect(exists(KIND, ids[0]!)).toBe(true);
  });

  it('waits while another change order runs on the application, then deletes', async () => {
    const ids = seeded(KIND, 1);
    stack.emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'Application.ChangerOrderRunning',
      httpStatus: 400,
      count: 2,
      resourceId: ids[0]!,
    });
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, ids[0]!)).toMatchObject({ outcome: 'deleted', attempts: 3 });
    const deletes = saeCalls('DeleteInstances', ids);
    expect(deletes.map((c) => c.errorCode ?? 'ok')).toEqual([
      'Application.ChangerOrderRunning',
      'Application.ChangerOrderRunning',
      'ok',
    ]);
    // Waited (busy back-off), not hammered.
    expect(deletes[2]!.at - deletes[0]!.at).toBeGreaterThan(2_000);
    expect(exists(KIND, ids[0]!)).toBe(false);
  });
});

// ---- tencentcloud.ms.scan -----------------------------------------------------------------------

describe('tencentcloud.ms.scan', () => {
  const KIND = 'tencentcloud.ms.scan';
  const fixture = FIXTURES[KIND];

  it('deletes scans: one DeleteScanInstances (Progress 2), confirmed gone by DescribeScanInstances', async () => {
    const ids = seeded(KIND, 2);
    // The task runs 3 s (Progress 2, the scans' TaskStatus 2), then ends in 1 and the scans go.
    const TASK_MS = 3_000;
    const { report } = await withSettings({ durations: { 'tencentcloud.ms.delete': TASK_MS } }, () =>
      run([fixture.group(ids)]),
    );
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: 2, deleted: 2, failed: 0 });
    const deletes = callsFor('tencentcloud', 'ms', 'DeleteScanInstances', ids);
    expect(deletes).toHaveLength(1);
    expect(idsOf(deletes[0]!)).toEqual([...ids].sort());
    // Polled while the task was processing, and confirmed by a describe after it finished.
    const polls = msListings().filter((c) => c.seq > deletes[0]!.seq);
    expect(polls.some((c) => c.at - deletes[0]!.at < TASK_MS)).toBe(true);
    expect(polls[polls.length - 1]!.at - deletes[0]!.at).toBeGreaterThanOrEqual(TASK_MS);
    for (const id of ids) {
      expect(outcomeOf(report, id).outcome).toBe('deleted');
      expect(exists(KIND, id)).toBe(false);
    }
  });

  it('describes a group of 45 scans with one listing a round, not one per 20 AppSids', async () => {
    const before = Math.max(0, ...stack.emulator.calls({}).map((c) => c.seq));
    const ids = seeded(KIND, 45);
    const { report } = await run([fixture.group(ids)]);
    expect(report.totals).toMatchObject({ requested: 45, deleted: 45 });
    const deletes = callsFor('tencentcloud', 'ms', 'DeleteScanInstances', ids);
    expect(deletes).toHaveLength(3);
    // A listing starts at Offset 0; preflight read one before the first delete (it was 3 batches of 20).
    const starts = msListings().filter((c) => c.seq > before && c.params.Offset === 0);
    expect(starts.filter((c) => c.seq < deletes[0]!.seq)).toHaveLength(1);
  });

  it('re-issues a delete task that timed out (Progress 4), then deletes', async () => {
    const ids = seeded(KIND, 1, { failDelete: 'timeout' });
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, ids[0]!).outcome).toBe('deleted');
    const deletes = callsFor('tencentcloud', 'ms', 'DeleteScanInstances', ids);
    expect(deletes).toHaveLength(2);
    expect(deletes.every((c) => !c.errorCode)).toBe(true);
    // The re-issue came after a poll that saw the timeout.
    const between = msListings().filter((c) => c.seq > deletes[0]!.seq && c.seq < deletes[1]!.seq);
    expect(between.length).toBeGreaterThanOrEqual(1);
    expect(exists(KIND, ids[0]!)).toBe(false);
  });

  it('fails a scan whose delete task ends in error (Progress 3), without re-issuing', async () => {
    const ids = seeded(KIND, 1, { failDelete: 'error' });
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('failed');
    expect(outcomeOf(report, ids[0]!)).toMatchObject({ outcome: 'failed', errorCode: 'TaskStatus.Error' });
    expect(callsFor('tencentcloud', 'ms', 'DeleteScanInstances', ids)).toHaveLength(1);
    expect(exists(KIND, ids[0]!)).toBe(true);
  });
});

// ---- tencentcloud.gaap.proxy --------------------------------------------------------------------

describe('tencentcloud.gaap.proxy', () => {
  const KIND = 'tencentcloud.gaap.proxy';
  const fixture = FIXTURES[KIND];

  function destroys(ids: string[]) {
    return callsFor('tencentcloud', 'gaap', 'DestroyProxies', ids);
  }

  it('destroys RUNNING and CLOSED proxies in one call, with a ClientToken and Force=0', async () => {
    const running = seeded(KIND, 1, {}, 'RUNNING');
    const closed = seeded(KIND, 1, {}, 'CLOSED');
    const ids = [...running, ...closed];
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: 2, deleted: 2 });
    const calls = destroys(ids);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params.Force).toBe(0);
    expect(calls[0]!.clientToken).toMatch(/^ct-/);
    expect(idsOf(calls[0]!)).toEqual([...ids].sort());
    for (const id of ids) expect(exists(KIND, id)).toBe(false);
  });

  it('reports a proxy with bound origin servers as needs-operator without force, and still destroys the rest of its batch', async () => {
    const [bound] = seeded(KIND, 1, { boundRealServers: true });
    const others = [...seeded(KIND, 2, {}, 'RUNNING'), ...seeded(KIND, 1, {}, 'CLOSED')];
    const ids = [bound!, ...others];
    const { report } = await run([fixture.group(ids)]);

    expect(report.status).toBe('partially-failed');
    expect(report.totals).toMatchObject({ requested: 4, deleted: 3, failed: 1, pending: 0 });
    const r = outcomeOf(report, bound!);
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'FailedOperation.RealServerAlreadyBound' });
    expect(r.message).toMatch(/force/);
    for (const id of others) expect(outcomeOf(report, id).outcome).toBe('deleted');
    expect(exists(KIND, bound!)).toBe(true);

    const calls = destroys(ids);
    // The first call named all four; the workflow split it until only the bound proxy was refused.
    expect(idsOf(calls[0]!)).toEqual([...ids].sort());
    expect(calls[0]!.errorCode).toBe('FailedOperation.RealServerAlreadyBound');
    expect(calls.every((c) => c.params.Force === 0)).toBe(true);
    const refusedAlone = calls.filter((c) => c.errorCode && idsOf(c).length === 1);
    expect(refusedAlone.map((c) => idsOf(c))).toEqual([[bound]]);
    for (const id of others)
      expect(calls.filter((c) => !c.errorCode && idsOf(c).includes(id))).toHaveLength(1);
    expect(calls.some((c) => !c.errorCode && idsOf(c).includes(bound!))).toBe(false);
    // Every sub-batch under its own token.
    const tokens = calls.map((c) => c.clientToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    noTokenMisuse();
  });

  it('destroys a proxy with bound origin servers when force is set (Force=1 on the wire)', async () => {
    const ids = seeded(KIND, 1, { boundRealServers: true });
    const { report } = await run([fixture.group(ids)], { force: true });
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, ids[0]!).outcome).toBe('deleted');
    const calls = destroys(ids);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params.Force).toBe(1);
    expect(calls[0]!.errorCode).toBeUndefined();
    expect(exists(KIND, ids[0]!)).toBe(false);
  });

  it('re-issues a proxy in OperationFailedInstanceSet under a new ClientToken each time, then destroys it', async () => {
    const ids = seeded(KIND, 1, { failDestroy: 2 });
    const { report } = await run([fixture.group(ids)]);
    expect(report.status).toBe('completed');
    expect(outcomeOf(report, ids[0]!)).toMatchObject({ outcome: 'deleted', attempts: 3 });
    const calls = destroys(ids);
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => !c.errorCode)).toBe(true);
    // Same parameters each time: only the generation in the token tells the re-issues apart
    // (the same token would replay the first "failed" answer forever).
    expect(new Set(calls.map((c) => JSON.stringify({ ...c.params, ClientToken: undefined }))).size).toBe(1);
    expect(new Set(calls.map((c) => c.clientToken)).size).toBe(3);
    expect(exists(KIND, ids[0]!)).toBe(false);
    noTokenMisuse();
  });

  it('fails fast on a wrong secret key with an AuthFailure code, exactly one refused call', async () => {
    const queue = `${stack.taskQueue}-gaap-badkey`;
    const bad = await stack.startWorkers({ TENCENTCLOUD_SECRET_KEY: 'wrong' }, queue);
    try {
      const ids = seeded(KIND, 2);
      const before = Math.max(0, ...stack.emulator.calls({}).map((c) => c.seq));
      // A deadline far beyond the test's timeout: a teardown that waited for it fails the test.
      const { report } = await run(
        [fixture.group(ids)],
        FAR_DEADLINE,
        new TeardownClient(stack.client, queue),
      );
      expect(report.status).toBe('failed');
      const codes = new Set(ids.map((id) => outcomeOf(report, id).errorCode));
      expect(codes.size).toBe(1);
      expect([...codes][0]).toMatch(/^AuthFailure\./);
      for (const id of ids) expect(outcomeOf(report, id).outcome).toBe('failed');
      const after = stack.emulator.calls({ provider: 'tencentcloud' }).filter((c) => c.seq > before);
      expect(after.map((c) => c.errorCode)).toEqual([[...codes][0]]);
      for (const id of ids) expect(exists(KIND, id)).toBe(true);
    } finally {
      bad.workers.shutdown();
      await bad.running;
    }
  });
});

// ---- all five kinds in one request --------------------------------------------------------------

describe('all five kinds in one teardown', () => {
  it('reports every id, runs the kinds in parallel, keeps every history small', async () => {
    const ecs = FIXTURES['alibabacloud.ecs.instance'];
    const volc = FIXTURES['volcengine.ecs.instance'];
    const sae = FIXTURES['alibabacloud.sae.instance'];
    const ms = FIXTURES['tencentcloud.ms.scan'];
    const gaap = FIXTURES['tencentcloud.gaap.proxy'];
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();

    const ecsRunning = seeded('alibabacloud.ecs.instance', 1, {}, 'Running'); // stopped first (no force)
    const ecsProtected = seeded('alibabacloud.ecs.instance', 1, { DeletionProtection: true });
    const volcPrepaid = seeded('volcengine.ecs.instance', 1, {
      InstanceChargeType: 'PrePaid',
      ExpiredAt: future,
    }); // converted
    const volcPlain = seeded('volcengine.ecs.instance', 1);
    const saeApp = `app-${sae.newId()}`;
    const saeOk = seeded('alibabacloud.sae.instance', 2, { AppId: saeApp });
    const saeManual = seeded('alibabacloud.sae.instance', 1, { changeOrderOutcome: 8 }); // its own application
    const msScans = [
      ...seeded('tencentcloud.ms.scan', 1, { failDelete: 'timeout' }),
      ...seeded('tencentcloud.ms.scan', 1),
    ];
    const gaapOk = [
      ...seeded('tencentcloud.gaap.proxy', 1, {}, 'RUNNING'),
      ...seeded('tencentcloud.gaap.proxy', 1, {}, 'CLOSED'),
    ];
    const gaapBound = seeded('tencentcloud.gaap.proxy', 1, { boundRealServers: true });

    const { report, workflowId } = await run(
      [
        ecs.group([...ecsRunning, ...ecsProtected]),
        volc.group([...volcPrepaid, ...volcPlain]),
        sae.group(saeOk),
        sae.group(saeManual),
        ms.group(msScans),
        gaap.group([...gaapOk, ...gaapBound]),
      ],
      { convertPrepaid: true },
    );

    const expected: Record<string, { outcome: string; errorCode?: string }> = {};
    for (const id of [...ecsRunning, ...volcPrepaid, ...volcPlain, ...saeOk, ...msScans, ...gaapOk])
      expected[id] = { outcome: 'deleted' };
    expected[ecsProtected[0]!] = { outcome: 'failed', errorCode: 'InvalidOperation.DeletionProtection' };
    expected[saeManual[0]!] = { outcome: 'failed', errorCode: 'ChangeOrder.AwaitingBatchConfirmation' };
    expected[gaapBound[0]!] = { outcome: 'failed', errorCode: 'FailedOperation.RealServerAlreadyBound' };

    expect(report.resources).toHaveLength(Object.keys(expected).length);
    for (const [id, want] of Object.entries(expected)) expect(outcomeOf(report, id)).toMatchObject(want);
    expect(report.status).toBe('partially-failed');
    expect(report.totals).toMatchObject({
      requested: 12,
      deleted: 9,
      alreadyGone: 0,
      failed: 3,
      skipped: 0,
      pending: 0,
    });

    // The prepare steps did run.
    expect(callsFor('alibabacloud', 'ecs', 'StopInstances', ecsRunning).length).toBeGreaterThanOrEqual(1);
    expect(
      callsFor('volcengine', 'ecs', 'ModifyInstanceChargeType', volcPrepaid).length,
    ).toBeGreaterThanOrEqual(1);
    expect(callsFor('tencentcloud', 'ms', 'DeleteScanInstances', msScans)).toHaveLength(2);

    // One child per kind / region / application, all started before the first one finished.
    let children: Array<{ workflowId: string; startTime: Date; closeTime?: Date; historyLength: number }> =
      [];
    const until = Date.now() + 60_000; // visibility lags under load
    do {
      children = [];
      for await (const wf of stack.client.workflow.list({ query: `ParentWorkflowId = "${workflowId}"` })) {
        children.push({
          workflowId: wf.workflowId,
          startTime: wf.startTime,
          closeTime: wf.closeTime,
          historyLength: wf.historyLength,
        });
      }
      if (children.length === 6 && children.every((c) => c.closeTime)) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < until);
    expect(children).toHaveLength(6);
    const lastStart = Math.max(...children.map((c) => c.startTime.getTime()));
    const firstClose = Math.min(...children.map((c) => c.closeTime!.getTime()));
    expect(lastStart).toBeLessThan(firstClose);

    for (const id of [workflowId, ...children.map((c) => c.workflowId)]) {
      const history = await stack.client.workflow.getHandle(id).fetchHistory();
      expect(history.events?.length ?? 0).toBeGreaterThan(5);
      expect(history.events!.length).toBeLessThan(1_000);
    }
    noTokenMisuse();
  });
});
