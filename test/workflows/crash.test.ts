// Killing the worker (SIGKILL) mid-teardown loses nothing, deletes nothing twice, and never
// produces IdempotentParameterMismatch (design.md section 10). One case per kind, run side by side
// (each with its own task queue and worker process): the kind's delete call answers after 2 s, the
// worker is killed while it is in flight, and a new worker finishes the teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { CallLogEntry, CloudProvider, SeedResource } from '../../src/emulator/types';
import { KINDS, type KindMeta, type KindName } from '../../src/kinds';
import { exampleGroup, exampleSeeds, idsInCall } from '../helpers/kinds';
import { FAST_DURATIONS, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const ROOT = resolve(__dirname, '../..');
let emulator: Emulator;
let client: Client;
let clientConnection: Connection | undefined;
const children: ChildProcess[] = [];

function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
  // tsx as a loader (not its CLI, which forks): SIGKILL must hit the worker process itself.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'test/helpers/worker-process.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...emulatorCredentialsEnv(emulator),
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
        TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
        TEARDOWN_TASK_QUEUE: taskQueue,
        TEARDOWN_REQUEST_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('worker ready')) res(child);
    });
    child.on('exit', (code) => rej(new Error(`worker exited early (${code}): ${stderr}`)));
  });
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const DELETE_LATENCY_MS = 2_000;

beforeAll(async () => {
  emulator = await startEmulator({
    settings: {
      durations: FAST_DURATIONS,
      latencyByAction: Object.fromEntries(
        Object.values(KINDS).map((m) => [`${m.cloud}.${m.service}.${m.calls.delete}`, DELETE_LATENCY_MS]),
      ),
    },
  });
  let connection;
  ({ client, connection } = await connectTestClient());
  clientConnection = connection;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await emulator?.close();
  await clientConnection?.close();
});

interface CrashCase {
  kind: KindName;
  provider: CloudProvider;
  service: string;
  deleteAction: string;
  count: number;
  /** Delete calls the ids need (batch limit), i.e. ClientTokens for kinds that send one. */
  batches: number;
  /** Whether the delete call carries a ClientToken. */
  tokens: boolean;
  ids(stamp: string): string[];
  seed(ids: string[]): SeedResource[];
  group(ids: string[]): { kind: KindName; region?: string; appId?: string; ids: string[] };
  /** The ids one delete call named, from its wire parameters. */
  sent(call: CallLogEntry): string[];
}

const numbered = (prefix: string, count: number, stamp: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${stamp}${String(i).padStart(4, '0')}`);

/** One case per registered kind: a full batch and a part one, so two delete calls are in play. */
function crashCase(meta: KindMeta): CrashCase {
  const count = meta.batchLimit + Math.ceil(meta.batchLimit / 5);
  return {
    kind: meta.kind,
    provider: meta.cloud,
    service: meta.service,
    deleteAction: meta.calls.delete,
    count,
    batches: Math.ceil(count / meta.batchLimit),
    tokens: meta.deleteTakesClientToken,
    ids: (stamp) => numbered(`${meta.example.idPrefix}crash`, count, stamp),
    seed: (ids) => exampleSeeds(meta, ids),
    group: (ids) => exampleGroup(meta, ids),
    sent: (call) => idsInCall(call.params),
  };
}

const CASES: CrashCase[] = Object.values(KINDS).map(crashCase);

it.concurrent.each(CASES.map((c) => [c.kind, c] as const))(
  '%s: survives a SIGKILL of the worker while deletions are in flight',
  async (_kind, c) => {
    const taskQueue = uniqueTaskQueue('crash');
    const ids = c.ids(Date.now().toString(36));
    emulator.seed(c.seed(ids));
    const mine = (call: { provider: string; service: string; action: string }) =>
      call.provider === c.provider && call.service === c.service && call.action === c.deleteAction;

    const first = await startWorkerProcess(taskQueue);
    const teardown = new TeardownClient(client, taskQueue);
    const id = testId(`crash-${c.service}`);
    await teardown.startTeardown(id, {
      resources: [c.group(ids)],
      options: { pollInterval: '300ms', deadline: '5m' },
    });

    // A delete is in flight (the emulator answers it after 2 s) and none answered yet: kill now.
    await waitFor(() => emulator.inFlight().some(mine), 60_000, `a ${c.deleteAction} call in flight`);
    expect(emulator.calls({}).filter(mine)).toHaveLength(0);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const inFlightAtKill = emulator.inFlight().filter(mine).length;
    expect(inFlightAtKill).toBeGreaterThanOrEqual(1);

    await startWorkerProcess(taskQueue);
    const report = await teardown.waitForReport(id);

    // Reported deleted (not failed, not already-gone), and really gone.
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ requested: c.count, deleted: c.count, failed: 0, pending: 0 });
    expect(emulator.resources(c.kind).filter((r) => ids.includes(r.id))).toHaveLength(0);

    const deletes = emulator.calls({}).filter(mine);
    // The calls in flight at the kill were answered to nobody; the new worker re-sent them.
    expect(deletes.length).toBeGreaterThan(inFlightAtKill);
    for (const call of deletes) for (const sent of c.sent(call)) expect(ids).toContain(sent);
    expect(new Set(deletes.flatMap(c.sent))).toEqual(new Set(ids));

    if (c.tokens) {
      // Each token always carried the same ids, and every id was sent under exactly one token.
      const idsByToken = new Map<string, string>();
      const tokenById = new Map<string, string>();
      for (const call of deletes) {
        const sent = c.sent(call).sort().join(',');
        const token = call.clientToken!;
        expect(token).toBeTruthy();
        if (idsByToken.has(token)) expect(idsByToken.get(token)).toBe(sent);
        idsByToken.set(token, sent);
        for (const resource of sent.split(',')) {
          if (tokenById.has(resource)) expect(tokenById.get(resource)).toBe(token);
          tokenById.set(resource, token);
        }
      }
      expect(idsByToken.size).toBe(c.batches);
    }
    if (c.kind === 'alibabacloud.sae.instance') {
      // At most one change order per batch did the deleting: one accepted DeleteInstances each
      // (the others were refused), and every poll followed those orders. (Only this case uses SAE.)
      expect(deletes.filter((call) => !call.errorCode).length).toBeLessThanOrEqual(c.batches);
      const polled = emulator
        .calls({ action: 'DescribeChangeOrder' })
        .filter((call) => call.service === 'sae');
      expect(new Set(polled.map((call) => call.params.ChangeOrderId)).size).toBeLessThanOrEqual(c.batches);
    }
    const misuse = emulator
      .calls({})
      .filter(
        (call) =>
          call.errorCode === 'IdempotentParameterMismatch' ||
          call.errorCode === 'FailedOperation.DuplicatedRequest',
      );
    expect(misuse).toEqual([]);
  },
);
