// A full stack for end-to-end tests: an in-process emulator, teardown workers on a unique task
// queue (connected to the dev server started by the global setup) and a TeardownClient.
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TeardownClient } from '../../src/client';
import { loadWorkerConfig } from '../../src/config';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { PRODUCTS } from '../../src/emulator/registry';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { productDurations } from '../../src/emulator/settings';
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

/** Every registered kind's emulator durations, short enough for tests, long enough to be observed. */
export function fastDurations(): Record<string, number> {
  return Object.fromEntries(Object.keys(productDurations(PRODUCTS)).map((name) => [name, 400]));
}

export const FAST_DURATIONS: Record<string, number> = fastDurations();

export async function startStack(
  options: {
    prefix?: string;
    env?: NodeJS.ProcessEnv;
    /** Default: the bundle the global setup built (src/workflows). */
    workflowBundle?: { codePath: string };
    tracing?: Tracing;
  } = {},
): Promise<Stack> {
  // Each part started registers how to stop it; a step that throws stops what already started,
  // so a failed start leaks no emulator, connection or worker. Workers stop first, all at once
  // (each waits out its shutdown grace), then the connections and the emulator, newest first.
  const workerSets: Array<{ workers: TeardownWorkers; running: Promise<void> }> = [];
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    const stopping = workerSets.splice(0);
    for (const w of stopping) w.workers.shutdown();
    await Promise.allSettled(stopping.map((w) => w.running));
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const emulator = await startEmulator({ settings: { durations: fastDurations() } });
    stops.push(() => emulator.close());
    const { client, connection: clientConnection } = await connectTestClient();
    stops.push(() => clientConnection.close());
    const connection: NativeConnection = await testNativeConnection();
    stops.push(() => connection.close());
    const taskQueue = uniqueTaskQueue(options.prefix ?? 'teardown');

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
        workflowBundle: options.workflowBundle ?? workflowBundle(),
        tracing: options.tracing,
      });
      const set = { workers, running: workers.run() };
      workerSets.push(set);
      return set;
    };

    const main = await startWorkers(options.env);
    return {
      emulator,
      client,
      teardown: new TeardownClient(client, taskQueue),
      taskQueue,
      workers: main.workers,
      running: main.running,
      startWorkers,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
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
