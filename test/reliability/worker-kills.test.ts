// Worker killed repeatedly (issue 12): one 300-resource mixed teardown (two kinds found by selectors,
// three named by id) whose worker process is SIGKILLed at five points, each seen in the emulator's
// calls in flight (every call is answered after a delay, so each point lasts long enough to be
// seen): discovery, preflight, prepare, a delete, polling. A new worker is started after each kill.
// Truth from the report and the call log: all deleted, each batch under exactly one ClientToken,
// nothing deleted twice, no token misused.
import type { Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { CallLogEntry } from '../../src/emulator/types';
import { KINDS, type KindMeta } from '../../src/kinds';
import { spawnTs, waitForOutput, type Proc } from '../../scripts/bench/processes';
import { exampleGroup, exampleSeeds, idsInCall } from '../helpers/kinds';
import { fastDurations, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const PER_KIND = 60;
const CALL_LATENCY_MS = 1_000;
const SELECTED = new Set(['alibabacloud.ecs.instance', 'volcengine.ecs.instance']);
const kinds = Object.values(KINDS);
const key = (c: { provider: string; service: string; action: string }) =>
  `${c.provider}.${c.service}.${c.action}`;
const actionKey = (meta: KindMeta, action: string) => `${meta.cloud}.${meta.service}.${action}`;

let emulator: Emulator;
let clientConnection: Connection | undefined;
const workers: Proc[] = [];

beforeAll(async () => {
  const latencyByAction: Record<string, number> = {};
  for (const meta of kinds) {
    const { describe, delete: del, poll, discover, prepare } = meta.calls;
    for (const action of [describe, del, poll, discover, ...Object.values(prepare ?? {})])
      latencyByAction[actionKey(meta, action)] = CALL_LATENCY_MS;
  }
  emulator = await startEmulator({ settings: { durations: fastDurations(), latencyByAction } });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await emulator?.close();
  await clientConnection?.close();
});

/** Calls in flight sent by the current worker (the killed one's are still being answered). */
let startedAt = 0;
const fresh = () => emulator.inFlight().filter((c) => c.since >= startedAt);

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

const KILL_POINTS: Array<{ point: string; seen: (calls: CallLogEntry[]) => boolean }> = [
  {
    point: 'discovery',
    seen: () =>
      fresh().some((c) =>
        kinds.some((m) => SELECTED.has(m.kind) && key(c) === actionKey(m, m.calls.discover)),
      ),
  },
  {
    point: 'preflight',
    seen: () =>
      fresh().some((c) =>
        kinds.some((m) => !SELECTED.has(m.kind) && key(c) === actionKey(m, m.calls.describe)),
      ),
  },
  {
    point: 'prepare',
    seen: () =>
      fresh().some((c) =>
        kinds.some((m) => Object.values(m.calls.prepare ?? {}).some((a) => key(c) === actionKey(m, a))),
      ),
  },
  {
    point: 'delete',
    seen: () => fresh().some((c) => kinds.some((m) => key(c) === actionKey(m, m.calls.delete))),
  },
  {
    point: 'polling',
    // A poll of a kind one of whose deletes was already accepted.
    seen: (calls) =>
      fresh().some((c) =>
        kinds.some(
          (m) =>
            key(c) === actionKey(m, m.calls.poll) &&
            calls.some((d) => key(d) === actionKey(m, m.calls.delete) && !d.errorCode),
        ),
      ),
  },
];

it('a 300-resource mixed teardown survives SIGKILLs of its worker at five points', async () => {
  const stamp = Date.now().toString(36);
  const run = `kills-${stamp}`;
  const groups = kinds.map((meta) => {
    const ids = Array.from({ length: PER_KIND }, (_, i) => `${meta.example.idPrefix}kill${stamp}${i}`);
    // Alibaba Cloud ECS instances run, so their teardown stops them first (the prepare step).
    const status = meta.kind === 'alibabacloud.ecs.instance' ? 'Running' : undefined;
    emulator.seed(
      exampleSeeds(meta, ids, { status }).map((s) => (s.type === meta.kind ? { ...s, tags: { run } } : s)),
    );
    return { meta, ids };
  });
  const requested = new Set(groups.flatMap((g) => g.ids));
  const taskQueue = uniqueTaskQueue('worker-kills');
  const startWorker = async () => {
    const worker = spawnTs('test/helpers/worker-process.ts', [], {
      ...emulatorCredentialsEnv(emulator),
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
      TEARDOWN_TASK_QUEUE: taskQueue,
      TEARDOWN_REQUEST_TIMEOUT_MS: '10000',
    });
    workers.push(worker);
    startedAt = Date.now();
    await waitForOutput(worker, /worker ready/);
    return worker;
  };
  let worker = await startWorker();
  const { client, connection } = await connectTestClient();
  clientConnection = connection;
  const teardown = new TeardownClient(client, taskQueue);
  const id = testId('worker-kills');
  await teardown.startTeardown(id, {
    resources: groups.filter((g) => !SELECTED.has(g.meta.kind)).map((g) => exampleGroup(g.meta, g.ids)),
    selectors: groups
      .filter((g) => SELECTED.has(g.meta.kind))
      .map((g) => ({ kind: g.meta.kind, region: g.meta.example.region, tags: [`run=${run}`] })),
    options: { pollInterval: '300ms', deadline: '30m' },
  });

  const kills: string[] = [];
  for (const { point, seen } of KILL_POINTS) {
    await until(() => seen(emulator.calls({})));
    const inFlight = emulator.inFlight().map(key);
    worker.child.kill('SIGKILL');
    await new Promise((r) =>
      worker.child.exitCode !== null || worker.child.signalCode !== null
        ? r(0)
        : worker.child.once('exit', r),
    );
    kills.push(`${point} (${inFlight.length} in flight: ${[...new Set(inFlight)].join(', ')})`);
    process.stderr.write(`worker kills: killed at ${kills.at(-1)}\n`);
    worker = await startWorker();
  }

  const report = await teardown.waitForReport(id);
  expect(report.status).toBe('completed');
  expect(report.totals).toMatchObject({
    requested: requested.size,
    deleted: requested.size,
    failed: 0,
    pending: 0,
  });
  const left = kinds.flatMap((m) => emulator.resources(m.kind)).filter((r) => requested.has(r.id));
  expect(left).toEqual([]);

  const calls = emulator.calls({});
  expect(calls.filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toEqual([]);
  let batches = 0;
  let resent = 0;
  for (const { meta, ids } of groups) {
    const deletes = calls.filter((c) => key(c) === actionKey(meta, meta.calls.delete));
    // Nothing deleted twice: per id, the accepted deletes all re-send one request, the same token
    // or (kinds whose delete takes none, answered again for an id already gone) the same batch.
    const acceptedUnder = new Map<string, Set<string>>();
    for (const call of deletes.filter((c) => !c.errorCode)) {
      const batch = idsInCall(call.params);
      for (const sent of batch) {
        expect(ids).toContain(sent);
        const under = acceptedUnder.get(sent) ?? new Set<string>();
        under.add(meta.deleteTakesClientToken ? call.clientToken! : batch.join(','));
        acceptedUnder.set(sent, under);
      }
    }
    resent +=
      deletes.filter((c) => !c.errorCode).length -
      new Set([...acceptedUnder.values()].flatMap((u) => [...u])).size;
    for (const resource of ids) expect([resource, acceptedUnder.get(resource)?.size]).toEqual([resource, 1]);
    if (!meta.deleteTakesClientToken) continue;
    // Each batch under exactly one token: a token always names the same ids, an id one token.
    const idsByToken = new Map<string, string>();
    for (const call of deletes) {
      const sent = idsInCall(call.params).join(',');
      const token = call.clientToken!;
      expect(token).toBeTruthy();
      expect(idsByToken.get(token) ?? sent).toBe(sent);
      idsByToken.set(token, sent);
    }
    expect(idsByToken.size).toBe(Math.ceil(ids.length / meta.batchLimit));
    batches += idsByToken.size;
  }
  console.log(
    `worker kills: ${requested.size} resources, ${kills.length} SIGKILLs at ${kills.join('; ')}; ` +
      `${calls.length} provider calls, ${batches} token-carrying delete batches, one token each; ${resent} accepted deletes were re-sends`,
  );
  expect(kills).toHaveLength(5);
});
