// Emulator restarted (issue 12): the fake cloud, as its own process with --state-file, is stopped
// mid-teardown (SIGTERM: it closes, then writes its state) and started again on the same port
// from that file, as a real cloud that does not forget. The teardown spanning the restart
// completes: every resource deleted once, under one token per batch, nothing lost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import type { CallLogEntry } from '../../src/emulator/types';
import { KINDS } from '../../src/kinds';
import { EmulatorAdmin, spawnTs, waitForOutput, type Proc } from '../../scripts/bench/processes';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { exampleGroup, exampleSeeds, idsInCall } from '../helpers/kinds';
import { fastDurations, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const PER_KIND = 30;
let dir: string;
let emulator: EmulatorProcess | undefined;
let worker: Proc | undefined;
let clientConnection: Connection | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-restart-'));
});
afterAll(async () => {
  await worker?.stop();
  await emulator?.stop('SIGKILL');
  await clientConnection?.close();
  await rm(dir, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deletes = new Set(Object.values(KINDS).map((m) => `${m.cloud}.${m.service}.${m.calls.delete}`));
const isDelete = (c: CallLogEntry) => deletes.has(`${c.provider}.${c.service}.${c.action}`);

it('a teardown spanning a restart of the emulator from its state file completes', async () => {
  const stateFile = join(dir, 'state.json');
  emulator = await startEmulatorProcess(['--port', '0', '--state-file', stateFile]);
  const port = new URL(emulator.url).port;
  const admin = new EmulatorAdmin(emulator.url);
  await admin.request('POST', 'settings', { durations: fastDurations() });

  const kinds = Object.values(KINDS);
  const stamp = Date.now().toString(36);
  const groups = kinds.map((meta) => {
    const ids = Array.from({ length: PER_KIND }, (_, i) => `${meta.example.idPrefix}restart${stamp}${i}`);
    return { meta, ids, group: exampleGroup(meta, ids), seeds: exampleSeeds(meta, ids) };
  });
  await admin.request('POST', 'resources', { resources: groups.flatMap((g) => g.seeds) });
  const requested = new Set(groups.flatMap((g) => g.ids));

  const taskQueue = uniqueTaskQueue('emulator-restart');
  worker = spawnTs('test/helpers/worker-process.ts', [], {
    ...emulatorCredentialsEnv(emulator),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
    TEARDOWN_TASK_QUEUE: taskQueue,
    TEARDOWN_REQUEST_TIMEOUT_MS: '5000',
  });
  await waitForOutput(worker, /worker ready/);
  const { client, connection } = await connectTestClient();
  clientConnection = connection;
  const teardown = new TeardownClient(client, taskQueue);
  const id = testId('emulator-restart');
  await teardown.startTeardown(id, {
    resources: groups.map((g) => g.group),
    options: { pollInterval: '300ms', deadline: '30m' },
  });

  // Restart once the first deletes were accepted and before every kind was deleted.
  const callsOf = async (a: EmulatorAdmin) =>
    (await a.request<{ calls: CallLogEntry[] }>('GET', 'calls')).calls;
  const before = await until(async () => {
    const calls = await callsOf(admin);
    return calls.some((c) => isDelete(c) && !c.errorCode) ? calls : undefined;
  });
  expect(await emulator.stop('SIGTERM')).toBe(0);
  expect(emulator.output()).toContain(`state saved to ${stateFile}`);
  emulator = await startEmulatorProcess(['--port', port, '--state-file', stateFile]);
  expect(new URL(emulator.url).port).toBe(port);
  const resumed = Number(/\((\d+) resources resumed\)/.exec(emulator.output())?.[1]);
  expect(resumed).toBeGreaterThan(0);

  const report = await teardown.waitForReport(id);
  expect(report.status).toBe('completed');
  expect(report.totals).toMatchObject({
    requested: requested.size,
    deleted: requested.size,
    failed: 0,
    pending: 0,
  });
  const restarted = new EmulatorAdmin(emulator.url);
  const left = (await restarted.request<{ resources: Array<{ id: string }> }>('GET', 'resources')).resources;
  expect(left.filter((r) => requested.has(r.id))).toEqual([]);

  // The resumed call log still holds the calls before the restart; every id was deleted under one
  // token (kinds that send one), and no token was misused.
  const calls = await callsOf(restarted);
  const seqs = new Set(calls.map((c) => c.seq));
  for (const c of before) expect(seqs).toContain(c.seq);
  expect(calls.filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toEqual([]);
  const tokenById = new Map<string, string>();
  for (const call of calls.filter((c) => isDelete(c) && c.clientToken)) {
    for (const sent of idsInCall(call.params)) {
      if (tokenById.has(sent)) expect(tokenById.get(sent)).toBe(call.clientToken);
      tokenById.set(sent, call.clientToken!);
    }
  }
  const acceptedBefore = before.filter((c) => isDelete(c) && !c.errorCode).length;
  console.log(
    `emulator restart: ${requested.size} resources, ${resumed} resumed from the state file, ` +
      `${acceptedBefore} deletes accepted before the restart, ${calls.length} calls in the resumed log`,
  );
});
