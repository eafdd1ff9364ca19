// What an on-call engineer and a calling service experience (issues 4 and 5), end to end against
// the dev server, real workers and the emulator: dry run, the approval gate, cancellation mid-flight,
// idempotent start, start time and postpone, selectors with their safety rails, and the history
// bound of a 10,000-resource teardown.
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ResourcesPage, TeardownReport, TeardownRequestInput } from '../../src/contract';
import { teardownDataConverter } from '../../src/codec';
import type { CallLogEntry } from '../../src/emulator/types';
import { FIXTURES } from '../helpers/kinds';
import { eventually, FAST_DURATIONS, startStack, testId, type Stack } from '../helpers/stack';
import { TEST_NAMESPACE, testServerAddress } from '../helpers/temporal';

const fx = FIXTURES['alibabacloud.ecs.instance'];
const KIND = fx.kind;
const REGION = fx.region!;
const OPTIONS = { pollInterval: '300ms', deadline: '3m' } as const;
const HOUR = 3_600_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'experience' });
});

afterAll(async () => {
  await stack?.stop();
});

// ---- helpers ----------------------------------------------------------------------------------

interface SeedSpec {
  status?: string;
  attributes?: Record<string, unknown>;
  tags?: Record<string, string>;
  name?: string;
  createdAt?: string;
}

/** Seeds `count` ECS instances (Stopped, pay-as-you-go unless told otherwise); returns their ids. */
function seed(count: number, spec: SeedSpec = {}): string[] {
  const ids = Array.from({ length: count }, () => fx.newId());
  for (let i = 0; i < ids.length; i += 2_000) {
    stack.emulator.seed(
      ids.slice(i, i + 2_000).map((id) => ({
        type: KIND,
        region: REGION,
        id,
        status: spec.status ?? 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid', ...spec.attributes },
        ...(spec.tags ? { tags: spec.tags } : {}),
        ...(spec.name ? { name: spec.name } : {}),
        ...(spec.createdAt ? { createdAt: spec.createdAt } : {}),
      })),
    );
  }
  return ids;
}

function request(ids: string[], options: Record<string, unknown> = {}): TeardownRequestInput {
  return { resources: [fx.group(ids)], options: { ...OPTIONS, ...options }, requestedBy: 'jest' };
}

async function run(
  req: TeardownRequestInput,
  label = 'exp',
): Promise<{ id: string; report: TeardownReport }> {
  const id = testId(label);
  await stack.teardown.startTeardown(id, req);
  return { id, report: await stack.teardown.waitForReport(id) };
}

/** The instance ids a logged call names (InstanceId.N or the JSON InstanceIds list). */
function idsOf(call: CallLogEntry): string[] {
  const ids = Object.entries(call.params)
    .filter(([k]) => /^InstanceId\.\d+$/.test(k))
    .map(([, v]) => String(v));
  if (typeof call.params.InstanceIds === 'string') {
    try {
      ids.push(...(JSON.parse(call.params.InstanceIds) as string[]));
    } catch {
      // not a JSON list: not ours
    }
  }
  return ids;
}

function touching(calls: CallLogEntry[], ids: Iterable<string>): CallLogEntry[] {
  const wanted = new Set(ids);
  return calls.filter((c) => idsOf(c).some((id) => wanted.has(id)));
}

const isDryRun = (c: CallLogEntry) => String(c.params.DryRun).toLowerCase() === 'true';

/** Calls that could change these instances: deletes (not dry runs), stops and conversions. */
function mutatingCalls(ids: Iterable<string>): CallLogEntry[] {
  const all = stack.emulator.calls({});
  return touching(all, ids).filter(
    (c) =>
      (c.action === 'DeleteInstances' && !isDryRun(c)) ||
      c.action === 'StopInstances' ||
      c.action === 'ModifyInstanceChargeType',
  );
}

function existing(ids: Iterable<string>): Set<string> {
  const wanted = new Set(ids);
  return new Set(
    stack.emulator
      .resources(KIND)
      .filter((r) => wanted.has(r.id))
      .map((r) => r.id),
  );
}

function outcomeOf(report: TeardownReport, id: string) {
  const found = report.resources.find((r) => r.id === id);
  if (!found)
    throw new Error(`${id} missing from the report: ${JSON.stringify(report.resources.map((r) => r.id))}`);
  return found;
}

/** Polls `progress` until the report satisfies `done`. */
function progressUntil(
  id: string,
  done: (r: TeardownReport) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<TeardownReport> {
  return eventually(
    async () => {
      const report = await stack.teardown.getProgress(id);
      return done(report) ? report : undefined;
    },
    what,
    timeoutMs,
  );
}

/** The update's refusal, as the caller sees it (the workflow's validator message is the cause). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

// ---- dry run ----------------------------------------------------------------------------------

describe('dry run', () => {
  it('deletes nothing and reports would-delete, not-found, skipped and failed per instance', async () => {
    const [stopped] = seed(1);
    const [running] = seed(1, { status: 'Running' });
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const [prepaid] = seed(1, { attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future } });
    const [protectedId] = seed(1, { attributes: { DeletionProtection: true } });
    const gone = fx.newId();
    const ids = [stopped!, running!, prepaid!, protectedId!, gone];

    const { report } = await run(request(ids, { dryRun: true }), 'dry');

    expect(report.status).toBe('dry-run');
    expect(report.phase).toBe('done');
    expect(outcomeOf(report, stopped!).outcome).toBe('would-delete');
    expect(outcomeOf(report, running!)).toMatchObject({
      outcome: 'would-delete',
      message: expect.stringMatching(/stop/),
    });
    // Never listed by the provider: not found (not "already gone", which needs us to have seen it).
    expect(outcomeOf(report, gone).outcome).toBe('not-found');
    expect(outcomeOf(report, prepaid!)).toMatchObject({
      outcome: 'skipped',
      errorCode: 'ChargeTypeViolation',
    });
    expect(outcomeOf(report, prepaid!).message).toMatch(/convertPrepaid/);
    expect(outcomeOf(report, protectedId!)).toMatchObject({
      outcome: 'failed',
      errorCode: 'InvalidOperation.DeletionProtection',
    });
    expect(report.totals).toMatchObject({
      requested: 5,
      wouldDelete: 2,
      alreadyGone: 0,
      notFound: 1,
      skipped: 1,
      failed: 1,
      deleted: 0,
      pending: 0,
    });

    // The provider's own preflight ran (DryRun=true answers DryRunOperation) ...
    const dryDeletes = touching(stack.emulator.calls({ action: 'DeleteInstances' }), [stopped!]);
    expect(dryDeletes.length).toBeGreaterThanOrEqual(1);
    expect(dryDeletes.every((c) => isDryRun(c) && c.errorCode === 'DryRunOperation')).toBe(true);
    // ... and nothing that changes an instance was sent; every instance is still there, unchanged.
    expect(mutatingCalls(ids)).toEqual([]);
    expect(existing(ids)).toEqual(new Set([stopped, running, prepaid, protectedId]));
    expect(stack.emulator.resources(KIND).find((r) => r.id === running)?.status).toBe('Running');
  });
});

// ---- approval ---------------------------------------------------------------------------------

describe('approval gate', () => {
  it('waits in awaiting-approval with the preflight report, and deletes once approved', async () => {
    const ids = seed(2);
    const id = testId('approve');
    await stack.teardown.startTeardown(id, request(ids, { requireApproval: true }));

    const waiting = await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');
    expect(waiting.phase).toBe('awaiting-approval');
    expect(waiting.resources.map((r) => [r.id, r.outcome]).sort()).toEqual(
      ids.map((i) => [i, 'would-delete']).sort(),
    );
    expect(mutatingCalls(ids)).toEqual([]);
    expect(existing(ids).size).toBe(2);

    const approved = await stack.teardown.approve(id, { approvedBy: 'alice', comment: 'go' });
    expect(approved.resources).toHaveLength(2);
    // A second decision is refused: the first one stands.
    expect(await refusal(stack.teardown.approve(id, { approvedBy: 'mallory' }))).toMatch(
      /already been decided/,
    );
    expect(await refusal(stack.teardown.reject(id, { rejectedBy: 'mallory', reason: 'too late' }))).toMatch(
      /already been decided/,
    );

    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: 2, deleted: 2 });
    expect(report.message).toMatch(/approved by alice/);
    expect(existing(ids).size).toBe(0);
  });

  it('is cancelled by a rejection that names who and why, deleting nothing', async () => {
    const ids = seed(2);
    const id = testId('reject');
    await stack.teardown.startTeardown(id, request(ids, { requireApproval: true }));
    await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');

    // A rejection must say why.
    expect(await refusal(stack.teardown.reject(id, { rejectedBy: 'bob', reason: ' ' }))).toMatch(/reason/);
    await stack.teardown.reject(id, { rejectedBy: 'bob', reason: 'prod freeze until Monday' });

    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('cancelled');
    expect(report.message).toMatch(/bob/);
    expect(report.message).toMatch(/prod freeze until Monday/);
    for (const r of report.resources) expect(r.outcome).toBe('skipped');
    expect(report.totals.deleted).toBe(0);
    expect(mutatingCalls(ids)).toEqual([]);
    expect(existing(ids).size).toBe(2);
  });

  it('refuses approve on a teardown started without requireApproval, with a clear reason', async () => {
    const ids = seed(1);
    const id = testId('noapproval');
    // Held in its start-time wait so it is still running when the approval arrives.
    await stack.teardown.startTeardown(
      id,
      request(ids, { startAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    try {
      await progressUntil(id, (r) => r.phase === 'waiting', 'waiting');
      expect(await refusal(stack.teardown.approve(id, { approvedBy: 'alice' }))).toMatch(
        /without requireApproval/,
      );
      expect(await refusal(stack.teardown.approve(id, { approvedBy: '' }))).toMatch(/approvedBy/);
    } finally {
      await stack.teardown.cancel(id);
    }
    expect((await stack.teardown.waitForReport(id)).status).toBe('cancelled');
    expect(existing(ids).size).toBe(1);
  });
});

// ---- cancellation -----------------------------------------------------------------------------

describe('cancellation mid-flight', () => {
  it('lets the in-flight delete batches finish, sends no later batch, and completes with a cancelled report', async () => {
    // One group (500 ids), five batches of 100; four are sent at a time, each held 1.5 s by the provider.
    const ids = seed(500);
    stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 1_500 } });
    const id = testId('cancel');
    try {
      await stack.teardown.startTeardown(id, request(ids));
      await eventually(
        () => (stack.emulator.inFlight().some((c) => c.action === 'DeleteInstances') ? true : undefined),
        'the first DeleteInstances in flight',
        30_000,
        10,
      );
      await stack.teardown.cancel(id);
      const report = await stack.teardown.waitForReport(id);

      // The workflow itself completed (it was not just marked cancelled) and returned the report.
      expect((await stack.teardown.handle(id).describe()).status.name).toBe('COMPLETED');
      expect(report.status).toBe('cancelled');
      expect(report.phase).toBe('done');
      expect(report.message).toMatch(/cancel/);

      const deletes = touching(stack.emulator.calls({ action: 'DeleteInstances' }), ids).filter(
        (c) => !isDryRun(c),
      );
      const sent = new Set(deletes.filter((c) => !c.errorCode).flatMap(idsOf));
      expect(deletes.filter((c) => c.errorCode)).toEqual([]);
      // At least one batch was in flight and finished; at least one later batch was never sent.
      expect(sent.size).toBeGreaterThanOrEqual(100);
      expect(sent.size).toBeLessThanOrEqual(400);
      expect(sent.size % 100).toBe(0);

      // Every id of a finished delete call is reported deleted (the provider accepted it and it is gone) ...
      await eventually(
        () => (existing(sent).size === 0 ? true : undefined),
        'the accepted deletions to finish',
        10_000,
      );
      for (const i of sent) expect(outcomeOf(report, i).outcome).toBe('deleted');
      // ... and every id never sent is pending, says why, and still exists.
      const unsent = ids.filter((i) => !sent.has(i));
      for (const i of unsent) {
        expect(outcomeOf(report, i)).toMatchObject({
          outcome: 'pending',
          message: expect.stringMatching(/cancel/),
        });
      }
      expect(existing(unsent).size).toBe(unsent.length);
      expect(report.totals).toMatchObject({
        requested: 500,
        deleted: sent.size,
        pending: unsent.length,
        failed: 0,
      });
    } finally {
      stack.emulator.setSettings({ latencyByAction: { DeleteInstances: 0 } });
    }
  });
});

// ---- idempotent start -------------------------------------------------------------------------

describe('idempotent start', () => {
  async function runsOf(workflowId: string): Promise<string[]> {
    const runs: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
      runs.push(wf.runId);
    return runs;
  }

  it('starts one teardown per id, whether the first is running or finished, even when two starts race', async () => {
    const ids = seed(1);
    const id = testId('idem');
    const [a, b] = await Promise.all([
      stack.teardown.startTeardown(id, request(ids)),
      stack.teardown.startTeardown(id, request(ids)),
    ]);
    expect([a.started, b.started].sort()).toEqual([false, true]);
    const first = a.started ? a : b;
    expect(first.workflowId).toBe(`teardown-${id}`);
    expect((a.started ? b : a).runId).toBe(first.runId);

    const again = await stack.teardown.startTeardown(id, request(ids));
    expect(again).toEqual({ workflowId: first.workflowId, runId: first.runId, started: false });

    expect((await stack.teardown.waitForReport(id)).status).toBe('completed');
    const afterCompletion = await stack.teardown.startTeardown(id, request(ids));
    expect(afterCompletion).toEqual({ workflowId: first.workflowId, runId: first.runId, started: false });
    // The same id with another request is a conflict, not a silent "already exists".
    await expect(stack.teardown.startTeardown(id, request(seed(1)))).rejects.toMatchObject({
      name: 'TeardownConflictError',
      workflowId: first.workflowId,
    });

    const runs = await eventually(async () => {
      const found = await runsOf(first.workflowId);
      return found.length > 0 ? found : undefined;
    }, 'the run in visibility');
    expect(runs).toEqual([first.runId]);
    expect(mutatingCalls(ids).filter((c) => c.action === 'DeleteInstances' && !c.errorCode)).toHaveLength(1);
  });
});

// ---- start time -------------------------------------------------------------------------------

describe('start time', () => {
  it('waits until startAt, can be postponed while waiting, and starts at the new time', async () => {
    const ids = seed(2);
    const id = testId('startat');
    // An hour away, so the postpones below always find it waiting however slow the machine is.
    const startAt = Date.now() + HOUR;
    await stack.teardown.startTeardown(id, request(ids, { startAt: new Date(startAt).toISOString() }));

    const waiting = await progressUntil(id, (r) => r.phase === 'waiting', 'waiting');
    expect(waiting.status).toBe('running');
    // The progress report carries the start time (other clients read it there, not from history).
    expect(waiting.startAt).toBe(new Date(startAt).toISOString());
    expect(await stack.teardown.scheduledStart(id)).toEqual(new Date(startAt));

    expect(await refusal(stack.teardown.postpone(id, new Date(Date.now() - 60_000)))).toMatch(/future/);
    await expect(stack.teardown.postpone(id, 'next tuesday')).rejects.toThrow(/ISO 8601/);

    const newStart = Date.now() + 2_000;
    const postponed = await stack.teardown.postpone(id, new Date(newStart));
    expect(postponed.phase).toBe('waiting');
    expect(postponed.startAt).toBe(new Date(newStart).toISOString());
    expect(await stack.teardown.scheduledStart(id)).toEqual(new Date(newStart));

    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('completed');
    expect(report.totals.deleted).toBe(2);
    const calls = touching(stack.emulator.calls({}), ids);
    const firstCall = Math.min(...calls.map((c) => c.at));
    expect(firstCall).toBeGreaterThanOrEqual(newStart);
    const firstDelete = Math.min(...calls.filter((c) => c.action === 'DeleteInstances').map((c) => c.at));
    expect(firstDelete).toBeGreaterThanOrEqual(newStart);
  });

  it('refuses to postpone a teardown that already started', async () => {
    const ids = seed(1);
    const id = testId('postpone-late');
    await stack.teardown.startTeardown(
      id,
      request(ids, { requireApproval: true, startAt: new Date(Date.now() + 1_000).toISOString() }),
    );
    await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');
    expect(await refusal(stack.teardown.postpone(id, new Date(Date.now() + HOUR)))).toMatch(
      /already started/,
    );
    await stack.teardown.reject(id, { rejectedBy: 'jest', reason: 'only testing postpone' });
    expect((await stack.teardown.waitForReport(id)).status).toBe('cancelled');
  });

  it('is cancelled while waiting, deleting nothing and saying what was not deleted', async () => {
    const ids = seed(2);
    const id = testId('cancel-waiting');
    await stack.teardown.startTeardown(
      id,
      request(ids, { startAt: new Date(Date.now() + HOUR).toISOString() }),
    );
    const waiting = await progressUntil(id, (r) => r.phase === 'waiting', 'waiting');
    await stack.teardown.cancel(id);
    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('cancelled');
    expect(report.message).toMatch(/cancel/);
    expect(touching(stack.emulator.calls({}), ids)).toEqual([]);
    expect(existing(ids).size).toBe(2);
    // While waiting, the report already names what will be deleted; once cancelled it says what was not.
    expect(waiting.resources.map((r) => [r.id, r.outcome]).sort()).toEqual(
      ids.map((i) => [i, 'pending']).sort(),
    );
    expect(report.totals).toMatchObject({ requested: 2, pending: 2, deleted: 0 });
    for (const i of ids)
      expect(outcomeOf(report, i)).toMatchObject({
        outcome: 'pending',
        message: expect.stringMatching(/cancel/),
      });
  });
});

// ---- selectors --------------------------------------------------------------------------------

describe('selectors', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  it('deletes the old ci- instances and reports the protected and young ones as excluded, with reasons', async () => {
    const batch = testId('sel');
    const tags = { env: 'ci', run: batch };
    const [old1] = seed(1, { tags, name: 'ci-runner-1', createdAt: ago(6 * HOUR) });
    const [old2] = seed(1, { tags, name: 'ci-runner-2', createdAt: ago(5 * HOUR) });
    const [guarded] = seed(1, {
      tags: { ...tags, 'teardown:protect': 'true' },
      name: 'ci-runner-3',
      createdAt: ago(6 * HOUR),
    });
    const [young] = seed(1, { tags, name: 'ci-runner-4', createdAt: ago(10 * 60_000) });
    const [otherName] = seed(1, { tags, name: 'db-primary', createdAt: ago(6 * HOUR) });
    const [otherTag] = seed(1, {
      tags: { env: 'prod', run: batch },
      name: 'ci-runner-5',
      createdAt: ago(6 * HOUR),
    });

    const { report } = await run_({
      resources: [],
      selectors: [
        { kind: KIND, region: REGION, tags: ['env=ci', `run=${batch}`], namePrefix: 'ci-', olderThan: '4h' },
      ],
      options: OPTIONS,
    });

    expect(report.status).toBe('completed');
    expect(report.resources.map((r) => [r.id, r.outcome]).sort()).toEqual(
      [
        [old1, 'deleted'],
        [old2, 'deleted'],
      ].sort(),
    );
    expect(report.discovery).toHaveLength(1);
    const discovery = report.discovery![0]!;
    expect(discovery).toMatchObject({ selector: 0, kind: KIND, region: REGION, matched: 2 });
    const excluded = new Map(discovery.excluded.map((e) => [e.id, e]));
    expect(excluded.get(guarded!)).toMatchObject({
      name: 'ci-runner-3',
      reason: expect.stringMatching(/protected by tag teardown:protect=true/),
    });
    expect(excluded.get(young!)).toMatchObject({
      name: 'ci-runner-4',
      reason: expect.stringMatching(/not older than 4h/),
    });
    expect(excluded.size).toBe(2);
    expect(existing([old1!, old2!]).size).toBe(0);
    expect(existing([guarded!, young!, otherName!, otherTag!]).size).toBe(4);
    expect(mutatingCalls([guarded!, young!, otherName!, otherTag!])).toEqual([]);
  });

  it('refuses a run whose selectors match more than maxResources, deleting nothing', async () => {
    const batch = testId('cap');
    const ids = seed(3, { tags: { run: batch }, createdAt: ago(HOUR) });
    const { report } = await run_({
      resources: [],
      selectors: [{ kind: KIND, region: REGION, tags: [`run=${batch}`] }],
      options: { ...OPTIONS, maxResources: 2 },
    });
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(
      /matched 3 resources, more than maxResources \(2\): refused, nothing was deleted/,
    );
    expect(report.discovery?.[0]?.matched).toBe(3);
    expect(report.totals.deleted).toBe(0);
    expect(touching(stack.emulator.calls({ action: 'DeleteInstances' }), ids)).toEqual([]);
    expect(mutatingCalls(ids)).toEqual([]);
    expect(existing(ids).size).toBe(3);
  });

  it('stops listing once a selector alone matches more than maxResources (100 a page)', async () => {
    const batch = testId('cap-early');
    const ids = seed(250, { tags: { run: batch }, createdAt: ago(HOUR) });
    const { report } = await run_({
      resources: [],
      selectors: [{ kind: KIND, region: REGION, tags: [`run=${batch}`] }],
      options: { ...OPTIONS, maxResources: 50 },
    });
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(/matched at least 100 resources, more than maxResources \(50\)/);
    expect(report.discovery?.[0]?.matched).toBe(100);
    expect(mutatingCalls(ids)).toEqual([]);
    expect(existing(ids).size).toBe(250);
  });

  it('completes quickly, saying so, when the selectors match nothing', async () => {
    // "Quickly": the deadline is far beyond the test's timeout, so a teardown that waited fails it.
    const { report } = await run_({
      resources: [],
      selectors: [{ kind: KIND, region: REGION, tags: [`run=${testId('nothing')}`] }],
      options: { ...OPTIONS, deadline: '6h' },
    });
    expect(report.status).toBe('completed');
    expect(report.message).toMatch(/^selectors matched nothing/);
    expect(report.totals.requested).toBe(0);
    expect(report.discovery).toEqual([{ selector: 0, kind: KIND, region: REGION, matched: 0, excluded: [] }]);
  });

  async function run_(req: TeardownRequestInput) {
    return run({ requestedBy: 'jest', ...req }, 'sel');
  }
});

// ---- scale ------------------------------------------------------------------------------------

const PAYLOAD_LIMIT = 512 * 1024;

/** A parent's history pages can exceed gRPC's default 4 MB receive limit (every child's report is in it). */
async function fetchLargeHistory(workflowId: string): Promise<temporal.api.history.v1.IHistory> {
  const connection = await Connection.connect({
    address: testServerAddress(),
    channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
  });
  try {
    const client = new Client({
      connection,
      namespace: TEST_NAMESPACE,
      dataConverter: teardownDataConverter,
    });
    return await client.workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

/**
 * Every public payload of a finished 10,000-resource teardown is plain JSON under 512 KB: its input
 * and result as stored in history, the `progress` query (the same report every update answers) and
 * each page of the `resources` query, which together list every id.
 */
async function expectPlainPayloads(
  workflowId: string,
  history: temporal.api.history.v1.IHistory,
  ids: string[],
  label: string,
): Promise<void> {
  const events = history.events ?? [];
  const input = events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  const result = events.find((e) => e.workflowExecutionCompletedEventAttributes)!
    .workflowExecutionCompletedEventAttributes!.result!.payloads![0]!;
  const sizes: Record<string, number> = {};
  for (const [name, payload] of [
    ['input', input],
    ['result', result],
  ] as const) {
    expect({ name, encoding: new TextDecoder().decode(payload.metadata!.encoding!) }).toEqual({
      name,
      encoding: 'json/plain',
    });
    sizes[name] = payload.data!.length;
  }
  const handle = stack.client.workflow.getHandle(workflowId);
  sizes.progress = JSON.stringify(await handle.query<TeardownReport>('progress')).length;
  const seen = new Set<string>();
  let largestPage = 0;
  for (let offset = 0; ; offset += 1_000) {
    const page = await handle.query<ResourcesPage, [unknown]>('resources', { offset, limit: 1_000 });
    largestPage = Math.max(largestPage, JSON.stringify(page).length);
    for (const r of page.resources) seen.add(r.id);
    if (offset + 1_000 >= page.total) break;
  }
  sizes.resourcesPage = largestPage;
  process.stderr.write(
    `[payloads] ${label}: ${Object.entries(sizes)
      .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`)
      .join(', ')} (limit 512 KB, json/plain)\n`,
  );
  for (const [name, bytes] of Object.entries(sizes))
    expect({ name, under: bytes < PAYLOAD_LIMIT }).toEqual({ name, under: true });
  expect(seen.size).toBe(ids.length);
}

describe('scale', () => {
  it(
    'tears down 10,000 instances in one request with every history under 10,000 events',
    async () => {
      stack.emulator.setSettings({
        durations: {
          'alibabacloud.ecs.delete': 200,
          'alibabacloud.ecs.stop': 200,
          'alibabacloud.ecs.convert': 200,
        },
      });
      try {
        const ids = seed(10_000);
        const id = testId('scale');
        const started = Date.now();
        const { workflowId } = await stack.teardown.startTeardown(id, request(ids, { deadline: '15m' }));
        const report = await stack.teardown.waitForReport(id);
        const seconds = (Date.now() - started) / 1_000;

        expect(report.status).toBe('completed');
        expect(report.totals).toMatchObject({ requested: 10_000, deleted: 10_000, failed: 0, pending: 0 });
        expect(existing(ids).size).toBe(0);
        expect(stack.emulator.calls({}).filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toEqual(
          [],
        );

        // The parent and every child: found through visibility by the parent's id prefix.
        const workflowIds = await eventually(async () => {
          const found: string[] = [];
          for await (const wf of stack.client.workflow.list({
            query: `WorkflowId = "${workflowId}" OR WorkflowId STARTS_WITH "${workflowId}/"`,
          }))
            found.push(wf.workflowId);
          return found.length >= 21 ? found : undefined;
        }, 'the parent and its children in visibility');
        expect(workflowIds).toContain(workflowId);
        const children = workflowIds.filter((w) => w !== workflowId);
        expect(children.length).toBeGreaterThanOrEqual(20);
        expect(children.every((w) => w.startsWith(`${workflowId}/`))).toBe(true);

        // The parent's history pages are larger than gRPC's default 4 MB receive limit (every child's
        // report is in it): read them over a connection that accepts bigger messages.
        const connection = await Connection.connect({
          address: testServerAddress(),
          channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
        });
        const lengths = new Map<string, { events: number; bytes: number }>();
        let parentHistory: temporal.api.history.v1.IHistory | undefined;
        try {
          const client = new Client({
            connection,
            namespace: TEST_NAMESPACE,
            dataConverter: teardownDataConverter,
          });
          for (const w of workflowIds) {
            const history = await client.workflow.getHandle(w).fetchHistory();
            if (w === workflowId) parentHistory = history;
            lengths.set(w, {
              events: history.events?.length ?? 0,
              bytes: temporal.api.history.v1.History.encode(history).finish().length,
            });
          }
        } finally {
          await connection.close();
        }
        const maxEvents = Math.max(...[...lengths.values()].map((l) => l.events));
        const maxChildBytes = Math.max(
          ...[...lengths].filter(([w]) => w !== workflowId).map(([, l]) => l.bytes),
        );
        const parent = lengths.get(workflowId)!;
        process.stderr.write(
          `[scale] 10,000 instances: ${seconds.toFixed(1)} s; ${lengths.size} workflows; history events: parent ${parent.events}, max ${maxEvents}; ` +
            `history bytes: parent ${(parent.bytes / 1e6).toFixed(1)} MB, largest child ${(maxChildBytes / 1e6).toFixed(2)} MB; ` +
            `report JSON ${(JSON.stringify(report).length / 1e6).toFixed(2)} MB\n`,
        );
        for (const [w, l] of lengths) expect([w, l.events < 10_000]).toEqual([w, true]);
        await expectPlainPayloads(workflowId, parentHistory!, ids, '10,000 deleted');
      } finally {
        stack.emulator.setSettings({ durations: FAST_DURATIONS });
      }
    },
    15 * 60_000,
  );

  it(
    'reports 10,000 refused instances (the report must fit in one payload)',
    async () => {
      // Every instance refused at preflight (deletion protection): each entry carries a code and a
      // message, ~3.3 MB in full; the report keeps what fits its budget in full and lists the rest by
      // id (grouped by code and message), so it stays one plain JSON payload under 512 KB.
      const ids = seed(10_000, { attributes: { DeletionProtection: true } });
      const id = testId('scale-refused');
      await stack.teardown.startTeardown(id, request(ids, { deadline: '15m' }));
      try {
        const report = await Promise.race([
          stack.teardown.waitForReport(id),
          new Promise<never>((_, reject) =>
            setTimeout(
              () =>
                reject(new Error('no report within 90 s: is the final report over the 2 MB payload limit?')),
              90_000,
            ),
          ),
        ]);
        expect(report.status).toBe('failed');
        expect(report.totals).toMatchObject({ requested: 10_000, failed: 10_000, deleted: 0 });
        expect(mutatingCalls(ids.slice(0, 100))).toEqual([]);
        const { workflowId } = await stack.teardown.handle(id).describe();
        await expectPlainPayloads(workflowId, await fetchLargeHistory(workflowId), ids, '10,000 refused');
      } finally {
        const { status } = await stack.teardown.handle(id).describe();
        if (status.name === 'RUNNING') await stack.teardown.handle(id).terminate('test cleanup');
      }
    },
    5 * 60_000,
  );
});
