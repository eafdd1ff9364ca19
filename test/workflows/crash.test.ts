// Killing the worker (SIGKILL) mid-teardown loses nothing, deletes nothing twice, and never
// produces IdempotentParameterMismatch (design.md section 10).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { FAST_DURATIONS, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const ROOT = resolve(__dirname, '../..');
let emulator: Emulator;
let client: Client;
const children: ChildProcess[] = [];

function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
  // tsx as a loader (not its CLI, which forks): SIGKILL must hit the worker process itself.
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/helpers/worker-process.ts')], {
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
  });
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

beforeAll(async () => {
  emulator = await startEmulator({
    settings: { durations: FAST_DURATIONS, latencyByAction: { DeleteInstances: 2_000 } },
  });
  ({ client } = await connectTestClient());
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await emulator?.close();
});

it('survives a SIGKILL of the worker while deletions are in flight', async () => {
  const taskQueue = uniqueTaskQueue('crash');
  const ids = Array.from({ length: 230 }, (_, i) => `i-bp1crash${Date.now().toString(36)}${String(i).padStart(4, '0')}`);
  emulator.seed(ids.map((id) => ({ type: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', id, status: 'Stopped', attributes: { InstanceChargeType: 'PostPaid' } })));

  const first = await startWorkerProcess(taskQueue);
  const teardown = new TeardownClient(client, taskQueue);
  const id = testId('crash');
  await teardown.startTeardown(id, {
    resources: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids }],
    options: { pollInterval: '300ms', deadline: '5m' },
  });

  // Deletions are in flight (the emulator answers each after 2 s): kill the worker now.
  await waitFor(() => emulator.inFlight().some((c) => c.action === 'DeleteInstances'), 60_000, 'a DeleteInstances call in flight');
  expect(emulator.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const inFlightAtKill = emulator.inFlight().filter((c) => c.action === 'DeleteInstances').length;

  await startWorkerProcess(taskQueue);
  const report = await teardown.waitForReport(id);

  expect(report.status).toBe('completed');
  expect(report.totals).toMatchObject({ requested: 230, deleted: 230, failed: 0, pending: 0 });
  expect(emulator.resources('alibabacloud.ecs.instance').filter((r) => ids.includes(r.id))).toHaveLength(0);

  const deletes = emulator.calls({ action: 'DeleteInstances' });
  // The calls in flight at the kill were answered to nobody; the new worker re-sent them.
  expect(deletes.length).toBeGreaterThan(inFlightAtKill);
  expect(inFlightAtKill).toBeGreaterThanOrEqual(1);
  // Each token always carried the same ids, and every id was sent under exactly one token.
  const idsByToken = new Map<string, string>();
  const tokenById = new Map<string, string>();
  for (const call of deletes) {
    const sent = Object.entries(call.params).filter(([k]) => k.startsWith('InstanceId.')).map(([, v]) => String(v)).sort().join(',');
    const token = call.clientToken!;
    expect(token).toBeTruthy();
    if (idsByToken.has(token)) expect(idsByToken.get(token)).toBe(sent);
    idsByToken.set(token, sent);
    for (const instance of sent.split(',')) {
      if (tokenById.has(instance)) expect(tokenById.get(instance)).toBe(token);
      tokenById.set(instance, token);
    }
  }
  expect(idsByToken.size).toBe(3); // 230 ids -> batches of 100, 100, 30
  expect(emulator.calls({}).filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toHaveLength(0);
});
