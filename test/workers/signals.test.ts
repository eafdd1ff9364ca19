// The worker process and signals (src/workers/main.ts): SIGTERM lets an in-flight delete finish
// and report before the process exits; `npm run worker` passes SIGTERM on, and a worker whose npm
// was SIGKILLed stops by itself instead of polling on as an orphan; /healthz says when all task
// queues poll.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { FAST_DURATIONS, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const ROOT = resolve(__dirname, '../..');
let emulator: Emulator;
let client: Client;
let connection: Connection | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    settings: { durations: FAST_DURATIONS, latencyByAction: { 'alibabacloud.ecs.DeleteInstances': 3_000 } },
  });
  ({ client, connection } = await connectTestClient());
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await connection?.close();
  await emulator?.close();
});

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...emulatorCredentialsEnv(emulator),
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEARDOWN_WORKFLOW_BUNDLE: workflowBundle().codePath,
      TEARDOWN_METRICS_ADDRESS: '127.0.0.1:0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | string>((res) =>
    child.once('exit', (code, sig) => res(code ?? sig ?? -1)),
  );
  return new Promise((res, rej) => {
    const timer = setInterval(() => {
      if (!output.includes('ready: all')) return;
      clearInterval(timer);
      res({ child, output: () => output, exited });
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      rej(new Error(`exited before ready (${code}):\n${output}`));
    });
  });
}

const nodeWorker = (env: NodeJS.ProcessEnv) =>
  start(process.execPath, ['--import', 'tsx', 'src/workers/main.ts'], env);

function workerPid(output: string): number {
  const match = /worker pid (\d+) /.exec(output);
  if (!match) throw new Error(`no pid in the worker's output:\n${output}`);
  return Number(match[1]);
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('serves /healthz once every task queue polls', async () => {
  const worker = await nodeWorker({ TEARDOWN_TASK_QUEUE: uniqueTaskQueue('health') });
  const url = /health (http:\/\/\S+\/healthz)/.exec(worker.output())?.[1];
  expect(url).toBeDefined();
  const res = await fetch(url!);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { ready: boolean; queues: Array<{ state: string; polled: boolean }> };
  expect(body.ready).toBe(true);
  expect(body.queues.length).toBeGreaterThan(1);
  expect(body.queues.every((q) => q.state === 'RUNNING' && q.polled)).toBe(true);
  expect((await fetch(url!.replace('/healthz', '/nope'))).status).toBe(404);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

it('SIGTERM lets the in-flight delete finish and report: it is never sent again', async () => {
  const taskQueue = uniqueTaskQueue('sigterm');
  const ids = Array.from({ length: 5 }, (_, i) => `i-bp1sigterm${Date.now().toString(36)}${i}`);
  emulator.seed(
    ids.map((id) => ({
      type: 'alibabacloud.ecs.instance',
      region: 'cn-hangzhou',
      id,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    })),
  );
  const mine = (call: { action: string; params: Record<string, unknown> }) =>
    call.action === 'DeleteInstances' && Object.values(call.params).includes(ids[0]);
  // Only this case deletes ECS instances here.
  const deleting = () =>
    emulator.inFlight().some((c) => c.service === 'ecs' && c.action === 'DeleteInstances');
  const first = await nodeWorker({ TEARDOWN_TASK_QUEUE: taskQueue, TEARDOWN_SHUTDOWN_GRACE_MS: '20000' });
  const teardown = new TeardownClient(client, taskQueue);
  const id = testId('sigterm');
  await teardown.startTeardown(id, {
    resources: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids }],
    options: { pollInterval: '300ms' },
  });
  const until = Date.now() + 60_000;
  while (!deleting() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(deleting()).toBe(true);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  // Answered before the process exited (the emulator logs a call when it answers it).
  expect(emulator.calls({}).filter(mine)).toHaveLength(1);

  await nodeWorker({ TEARDOWN_TASK_QUEUE: taskQueue });
  const report = await teardown.waitForReport(id);
  expect(report.totals).toMatchObject({ requested: 5, deleted: 5, failed: 0 });
  expect(emulator.calls({}).filter(mine)).toHaveLength(1);
});

it.concurrent('`npm run worker` passes SIGTERM to the worker, which stops', async () => {
  const npm = await start('npm', ['run', '--silent', 'worker'], {
    TEARDOWN_TASK_QUEUE: uniqueTaskQueue('npm-term'),
  });
  const pid = workerPid(npm.output());
  expect(pid).not.toBe(npm.child.pid);
  npm.child.kill('SIGTERM');
  await npm.exited;
  expect(await gone(pid, 30_000)).toBe(true);
  expect(npm.output()).toContain('worker stopped');
});

it.concurrent(
  'a worker whose `npm run worker` was SIGKILLed stops instead of polling as an orphan',
  async () => {
    const npm = await start('npm', ['run', '--silent', 'worker'], {
      TEARDOWN_TASK_QUEUE: uniqueTaskQueue('npm-kill'),
    });
    const pid = workerPid(npm.output());
    npm.child.kill('SIGKILL');
    expect(await npm.exited).toBe('SIGKILL');
    expect(await gone(pid, 30_000)).toBe(true);
  },
);
