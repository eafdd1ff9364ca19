// On the production stack (temporal-server on PostgreSQL, scripts/prod-stack.sh): a mixed teardown
// of 1,000 resources by three worker processes from the built JavaScript on the same task queues,
// with the server SIGKILLed and restarted mid-teardown and one worker SIGKILLed later. Every
// resource is deleted, each batch went out under one ClientToken only, and the emulator's quotas
// held across the three workers (the per-queue rate limit is the server's, not each worker's).
import { Client, Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { teardownDataConverter } from '../../src/codec';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { CallLogEntry } from '../../src/emulator/types';
import { FAST_DURATIONS } from '../helpers/stack';
import { mixedFleet, sentIds, type Fleet } from './fleet';
import { readStack, restartStack, serverPid, startWorker, type WorkerProcess } from './stack';

const stack = readStack();
let emulator: Emulator;
let connection: Connection | undefined;
const workers: WorkerProcess[] = [];

/** Emulator quota per account and action, and the workers' per-queue limit below it. */
const QUOTA_PER_SECOND = 10;
const QUEUE_ACTIVITIES_PER_SECOND = 8;
const DELETE_LATENCY_MS = 1_500;

beforeAll(async () => {
  emulator = await startEmulator({
    settings: {
      durations: FAST_DURATIONS,
      quotaPerSecond: QUOTA_PER_SECOND,
      latencyByAction: {
        'alibabacloud.ecs.DeleteInstances': DELETE_LATENCY_MS,
        'volcengine.ecs.DeleteInstances': DELETE_LATENCY_MS,
        'tencentcloud.gaap.DestroyProxies': DELETE_LATENCY_MS,
        'tencentcloud.ms.DeleteScanInstances': DELETE_LATENCY_MS,
        'alibabacloud.sae.DeleteInstances': DELETE_LATENCY_MS,
      },
    },
  });
  connection = await Connection.connect({ address: stack.address });
});

afterAll(async () => {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await connection?.close();
  await emulator?.close();
});

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isDelete(call: CallLogEntry): boolean {
  return ['DeleteInstances', 'DestroyProxies', 'DeleteScanInstances'].includes(call.action);
}

/** Most calls answered (throttled ones included) in any one-second window, per account and action. */
function peakCallsPerSecond(calls: CallLogEntry[]): number {
  const byKey = new Map<string, number[]>();
  for (const c of calls) {
    const key = `${c.account}/${c.provider}.${c.service}.${c.action}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c.at]);
  }
  let peak = 0;
  for (const times of byKey.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
  }
  return peak;
}

it('tears down 1,000 mixed resources through a server SIGKILL and a worker SIGKILL', async () => {
  const fleet: Fleet = mixedFleet(Date.now().toString(36));
  emulator.seed(fleet.seed);
  expect(fleet.total).toBe(1000);

  const taskQueue = `prod-stack-${Date.now().toString(36)}`;
  const workerEnv = {
    ...emulatorCredentialsEnv(emulator),
    TEMPORAL_ADDRESS: stack.address,
    TEMPORAL_NAMESPACE: stack.namespace,
    TEARDOWN_WORKFLOW_BUNDLE: stack.workflowBundle,
    TEARDOWN_TASK_QUEUE: taskQueue,
    TEARDOWN_REQUEST_TIMEOUT_MS: '10000',
    TEARDOWN_ALIBABACLOUD_ACTIVITIES_PER_SECOND: String(QUEUE_ACTIVITIES_PER_SECOND),
    TEARDOWN_TENCENTCLOUD_ACTIVITIES_PER_SECOND: String(QUEUE_ACTIVITIES_PER_SECOND),
    TEARDOWN_VOLCENGINE_ACTIVITIES_PER_SECOND: String(QUEUE_ACTIVITIES_PER_SECOND),
  };
  workers.push(...(await Promise.all([1, 2, 3].map((n) => startWorker(workerEnv, `#${n}`)))));

  const client = new Client({
    connection: connection!,
    namespace: stack.namespace,
    dataConverter: teardownDataConverter,
  });
  const teardown = new TeardownClient(client, taskQueue);
  const id = `prod-stack-${Date.now().toString(36)}`;
  const startedAt = Date.now();
  await teardown.startTeardown(id, {
    resources: fleet.groups,
    options: { pollInterval: '500ms', deadline: '30m', convertPrepaid: true },
    requestedBy: 'test:prod-stack',
  });

  // Mid-teardown (some batches deleted, deletes in flight): SIGKILL the server, then start it again.
  await until(() => emulator.calls({}).filter(isDelete).length >= 3, 'the first delete calls');
  const pid = serverPid(stack);
  process.kill(pid, 'SIGKILL');
  await until(() => !processAlive(pid), 'the server to die', 10_000);
  const deletesAtServerKill = emulator.calls({}).filter(isDelete).length;
  expect(deletesAtServerKill).toBeLessThan(fleet.batchesAtLeast);
  const restartLog = await restartStack();
  expect(restartLog).toMatch(/starting temporal-server/);
  expect(serverPid(stack)).not.toBe(pid);

  // Later, SIGKILL one of the three workers; the other two finish.
  await until(
    () => emulator.calls({}).filter(isDelete).length >= deletesAtServerKill + 3,
    'deletes after the restart',
  );
  workers[0]!.child.kill('SIGKILL');
  expect(await workers[0]!.exited).toBe('SIGKILL');

  const report = await teardown.waitForReport(id);
  expect(report.status).toBe('completed');
  expect(report.totals).toMatchObject({ requested: 1000, deleted: 1000, failed: 0, pending: 0 });
  for (const kind of fleet.kinds) {
    const left = emulator.resources(kind).filter((r) => fleet.ids.has(r.id));
    expect({ kind, left: left.map((r) => r.id) }).toEqual({ kind, left: [] });
  }

  // One token per batch: a token always carried the same ids, and every id went out under one token.
  const deletes = emulator.calls({}).filter(isDelete);
  const idsByToken = new Map<string, string>();
  const tokenById = new Map<string, string>();
  for (const call of deletes) {
    if (!call.clientToken) continue; // MS and SAE take no token (the same ids / one change order guard them)
    const ids = sentIds(call).sort().join(',');
    expect(idsByToken.get(call.clientToken) ?? ids).toBe(ids);
    idsByToken.set(call.clientToken, ids);
    for (const resource of ids.split(',')) {
      expect(tokenById.get(resource) ?? call.clientToken).toBe(call.clientToken);
      tokenById.set(resource, call.clientToken);
    }
  }
  expect(tokenById.size).toBe(fleet.tokenCarryingIds);

  // Quotas held across three workers: never throttled, never over the quota in any second.
  const calls = emulator.calls({});
  expect(emulator.stats().quotaBreaches).toMatchObject({ total: 0 });
  expect(peakCallsPerSecond(calls)).toBeLessThanOrEqual(QUOTA_PER_SECOND);
  expect(emulator.stats().idempotentParameterMismatches).toBe(0);
  // Figures for docs/scaling.md.
  process.stdout.write(
    `prod-stack teardown: 1000 resources in ${Math.round((Date.now() - startedAt) / 1000)} s through a server ` +
      `and a worker SIGKILL; ${calls.length} provider calls, ${deletes.length} deletes, ` +
      `peak ${peakCallsPerSecond(calls)} calls/s per account and action (quota ${QUOTA_PER_SECOND})\n`,
  );
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
