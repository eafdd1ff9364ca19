// A full stack for end-to-end tests: an in-process emulator, teardown workers on a unique task
// queue (connected to the dev server started by the global setup) and a TeardownClient.
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TeardownClient } from '../../src/client';
import { loadWorkerConfig } from '../../src/config';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { Tracing } from '../../src/observability/tracing';
import { createTeardownWorkers, type TeardownWorkers } from '../../src/workers/worker';
import { connectTestClient, testNativeConnection, uniqueTaskQueue, workflowBundle } from './temporal';

export interface Stack {
  emulator: Emulator;
  client: Client;
  teardown: TeardownClient;
  taskQueue: string;
  workers: TeardownWorkers;
  /** Runs until stop(). */
  running: Promise<void>;
  /** Extra workers on the same queue (e.g. with other credentials) are started with this. */
  startWorkers(
    envOverrides?: NodeJS.ProcessEnv,
    taskQueue?: string,
  ): Promise<{ workers: TeardownWorkers; running: Promise<void> }>;
  stop(): Promise<void>;
}

/** Emulator transition durations short enough for tests, long enough to be observed. */
export const FAST_DURATIONS: Record<string, number> = {
  'alibabacloud.ecs.stop': 400,
  'alibabacloud.ecs.delete': 400,
  'alibabacloud.ecs.convert': 400,
  'alibabacloud.sae.changeOrderStep': 400,
  'volcengine.ecs.stop': 400,
  'volcengine.ecs.delete': 400,
  'volcengine.ecs.convert': 400,
  'tencentcloud.ms.delete': 400,
  'tencentcloud.gaap.destroy': 400,
};

export async function startStack(
  options: { prefix?: string; env?: NodeJS.ProcessEnv; tracing?: Tracing } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ settings: { durations: FAST_DURATIONS } });
  const { client, connection: clientConnection } = await connectTestClient();
  const connection: NativeConnection = await testNativeConnection();
  const taskQueue = uniqueTaskQueue(options.prefix ?? 'teardown');
  const extra: Array<{ workers: TeardownWorkers; running: Promise<void> }> = [];

  const startWorkers = async (envOverrides: NodeJS.ProcessEnv = {}, queue = taskQueue) => {
    const config = loadWorkerConfig({
      ...emulatorCredentialsEnv(emulator),
      TEARDOWN_TASK_QUEUE: queue,
      TEARDOWN_REQUEST_TIMEOUT_MS: '5000',
      ...envOverrides,
    });
    const workers = await createTeardownWorkers({
      connection,
      config,
      workflowBundle: workflowBundle(),
      tracing: options.tracing,
    });
    return { workers, running: workers.run() };
  };

  const main = await startWorkers(options.env);
  return {
    emulator,
    client,
    teardown: new TeardownClient(client, taskQueue),
    taskQueue,
    workers: main.workers,
    running: main.running,
    async startWorkers(envOverrides, queue) {
      const started = await startWorkers(envOverrides, queue);
      extra.push(started);
      return started;
    },
    async stop() {
      for (const w of [main, ...extra]) w.workers.shutdown();
      await Promise.allSettled([main.running, ...extra.map((w) => w.running)]);
      await connection.close();
      await clientConnection.close();
      await emulator.close();
    },
  };
}

let counter = 0;
/** A unique caller id per test (workflow ids are teardown-<id>). */
export function testId(label: string): string {
  counter++;
  return `${label}-${Date.now().toString(36)}-${counter}`;
}

/** Polls until `probe` returns a value (visibility and schedule listing lag on the dev server). */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
