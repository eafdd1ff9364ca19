// A stack on the time-skipping test server, for waits of hours and days in seconds: a private
// test server (test/helpers/temporal.ts), an in-process emulator and the teardown workers, with a
// TeardownClient whose result() lets the server skip time (the test environment's client does).
// The emulator keeps real time: only Temporal's timers skip, so resources tested here either
// change at once (FAST durations) or never (a status with nothing scheduled).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TeardownClient } from '../../src/client';
import { teardownDataConverter } from '../../src/codec';
import { loadWorkerConfig } from '../../src/config';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { createTeardownWorkers } from '../../src/workers/worker';
import { FAST_DURATIONS } from './stack';
import { temporal } from '@temporalio/proto';
import {
  TEARDOWN_SEARCH_ATTRIBUTE_KEYS,
  TEST_NAMESPACE,
  temporalTestServerPath,
  uniqueTaskQueue,
  workflowBundle,
} from './temporal';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  emulator: Emulator;
  teardown: TeardownClient;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startTimeSkippingStack(): Promise<TimeSkippingStack> {
  // Imported here: loading @temporalio/testing is slow and only this stack needs it.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      client: { dataConverter: teardownDataConverter },
    });
    stops.push(() => env.teardown());
    // The test server knows no custom search attributes until told (the dev server gets them at start).
    await env.connection.operatorService.addSearchAttributes({
      namespace: TEST_NAMESPACE,
      searchAttributes: Object.fromEntries(
        TEARDOWN_SEARCH_ATTRIBUTE_KEYS.map((key) => [
          key.name,
          temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
        ]),
      ),
    });
    const emulator = await startEmulator({ settings: { durations: FAST_DURATIONS } });
    stops.push(() => emulator.close());
    const taskQueue = uniqueTaskQueue('time-skipping');
    const workers = await createTeardownWorkers({
      connection: env.nativeConnection,
      config: loadWorkerConfig({
        ...emulatorCredentialsEnv(emulator),
        TEARDOWN_TASK_QUEUE: taskQueue,
        TEARDOWN_REQUEST_TIMEOUT_MS: '5000',
      }),
      workflowBundle: workflowBundle(),
    });
    const running = workers.run();
    stops.push(async () => {
      workers.shutdown();
      await running;
    });
    return { env, emulator, teardown: new TeardownClient(env.client, taskQueue), taskQueue, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
