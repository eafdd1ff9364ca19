// Server restarted (issue 12): a Temporal dev server of this test's own, persisting to a
// --db-filename, is SIGKILLed while deletes are in flight and started again on the same port from
// the same file. The worker process and the test's client were connected before and are never
// told: they reconnect by themselves, and the teardown completes with nothing lost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { KINDS } from '../../src/kinds';
import { spawnTs, waitForOutput, type Proc } from '../../scripts/bench/processes';
import { freePort, startOwnDevServer, type OwnDevServer } from '../../scripts/own-dev-server';
import { exampleGroup, exampleSeeds, idsInCall } from '../helpers/kinds';
import { fastDurations, testId } from '../helpers/stack';
import { TEST_NAMESPACE, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const PER_KIND = 40;
const DELETE_LATENCY_MS = 1_000;
const kinds = Object.values(KINDS);

let dir: string;
let emulator: Emulator;
let server: OwnDevServer | undefined;
let worker: Proc | undefined;
let connection: Connection | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'server-restart-'));
  const latencyByAction = Object.fromEntries(
    kinds.map((m) => [`${m.cloud}.${m.service}.${m.calls.delete}`, DELETE_LATENCY_MS]),
  );
  emulator = await startEmulator({ settings: { durations: fastDurations(), latencyByAction } });
});
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await server?.stop();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

it('a teardown completes across a SIGKILL and restart of its Temporal server', async () => {
  const port = await freePort();
  const dbFile = join(dir, 'temporal.db');
  server = await startOwnDevServer({ port, dbFile });
  const address = server.address;

  const stamp = Date.now().toString(36);
  const groups = kinds.map((meta) => {
    const ids = Array.from({ length: PER_KIND }, (_, i) => `${meta.example.idPrefix}srv${stamp}${i}`);
    emulator.seed(exampleSeeds(meta, ids));
    return { meta, ids, group: exampleGroup(meta, ids) };
  });
  const requested = new Set(groups.flatMap((g) => g.ids));
  const taskQueue = uniqueTaskQueue('server-restart');
  worker = spawnTs('test/helpers/worker-process.ts', [], {
    ...emulatorCredentialsEnv(emulator),
    TEMPORAL_ADDRESS: address,
    TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
    TEARDOWN_TASK_QUEUE: taskQueue,
    TEARDOWN_REQUEST_TIMEOUT_MS: '10000',
  });
  await waitForOutput(worker, /worker ready/);
  connection = await Connection.connect({ address });
  const teardown = new TeardownClient(new Client({ connection, namespace: TEST_NAMESPACE }), taskQueue);
  const id = testId('server-restart');
  await teardown.startTeardown(id, {
    resources: groups.map((g) => g.group),
    options: { pollInterval: '300ms', deadline: '30m' },
  });
  const result = teardown.waitForReport(id);

  // Kill the server while a delete is in flight.
  const isDelete = (c: { provider: string; service: string; action: string }) =>
    kinds.some((m) => c.provider === m.cloud && c.service === m.service && c.action === m.calls.delete);
  while (!emulator.inFlight().some(isDelete)) await new Promise((r) => setTimeout(r, 20));
  const killed = server.process;
  killed.kill('SIGKILL');
  await server.env.teardown().catch(() => undefined);
  await new Promise((r) =>
    killed.exitCode !== null || killed.signalCode !== null ? r(0) : killed.once('exit', r),
  );
  const deletesBefore = emulator.calls({}).filter(isDelete).length;
  server = await startOwnDevServer({ port, dbFile });

  const report = await result;
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
  // Every id was sent under one token (kinds that send one), however often its batch was re-sent.
  const tokenById = new Map<string, string>();
  for (const call of calls.filter((c) => isDelete(c) && c.clientToken)) {
    for (const sent of idsInCall(call.params)) {
      expect(tokenById.get(sent) ?? call.clientToken).toBe(call.clientToken);
      tokenById.set(sent, call.clientToken!);
    }
  }
  expect(worker.child.exitCode).toBeNull();
  console.log(
    `server restart: ${requested.size} resources, server SIGKILLed with ${deletesBefore} deletes answered ` +
      `and one in flight, restarted on port ${port} from ${dbFile}; ${calls.filter(isDelete).length} delete calls in all`,
  );
});
