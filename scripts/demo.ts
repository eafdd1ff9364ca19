// `npm run demo`: starts a Temporal dev server (UI on), the cloud emulator seeded with resources
// in mixed states, a teardown worker, then starts one teardown, shows its progress live, prints
// the per-resource report and the UI address, and stops what it started (`--keep` keeps it all).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';
import { TeardownClient } from '../src/client';
import { formatReport } from '../src/client/format';
import { ProgressView } from '../src/client/progress-view';
import { teardownDataConverter } from '../src/codec';
import { loadWorkerConfig } from '../src/config';
import type { TeardownRequest } from '../src/contract';
import { emulatorCredentialsEnv } from '../src/emulator/accounts';
import { startEmulator } from '../src/emulator/server';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../src/search-attributes';
import { createTeardownWorkers } from '../src/workers/worker';
import { demoSeed } from './demo-seed';
import { temporalCliPath } from './temporal-cli';

const ROOT = resolve(__dirname, '..');
const keep = process.argv.includes('--keep');

async function main(): Promise<void> {
  // The SDK logs every failed activity attempt at WARN; in the demo those are expected outcomes
  // (refused batches, needs-operator) that the report explains, so only errors are logged unless
  // DEMO_LOG_LEVEL says otherwise. Installed before anything creates the runtime.
  Runtime.install({
    logger: new DefaultLogger((process.env.DEMO_LOG_LEVEL ?? 'ERROR').toUpperCase() as LogLevel),
  });
  const step = (text: string) => process.stdout.write(`\n==> ${text}\n`);

  step('starting the Temporal dev server (SQLite, UI on)');
  mkdirSync(resolve(ROOT, '.tmp'), { recursive: true });
  const uiPort = Number(process.env.DEMO_UI_PORT ?? 8233);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      ip: '127.0.0.1',
      ui: true,
      uiPort,
      searchAttributes: ALL_SEARCH_ATTRIBUTE_KEYS,
      dbFilename: keep ? resolve(ROOT, '.tmp/demo.sqlite') : undefined,
    },
  });
  const address = env.connection.options.address;
  process.stdout.write(`    Temporal at ${address}, UI at http://127.0.0.1:${uiPort}\n`);

  step('starting the cloud emulator and seeding resources');
  const emulator = await startEmulator({ settings: { durations: DEMO_DURATIONS } });
  const seeded = demoSeed();
  emulator.seed(seeded.resources);
  process.stdout.write(`    emulator at ${emulator.url}\n`);
  for (const line of seeded.describe) process.stdout.write(`    - ${line}\n`);

  step('starting a teardown worker (credentials and endpoints from its environment)');
  const connection = await NativeConnection.connect({ address });
  const config = loadWorkerConfig({ ...process.env, ...emulatorCredentialsEnv(emulator) });
  const workers = await createTeardownWorkers({ connection, config });
  const running = workers.run();

  const clientConnection = await Connection.connect({ address });
  const teardown = new TeardownClient(
    new Client({ connection: clientConnection, dataConverter: teardownDataConverter }),
    config.taskQueue,
  );
  const id = `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const request: TeardownRequest = seeded.request;
  step(`starting teardown ${id}`);
  const started = await teardown.startTeardown(id, request);
  const uiUrl = `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${encodeURIComponent(started.workflowId)}`;
  process.stdout.write(`    follow it in the UI: ${uiUrl}\n\n`);

  const view = new ProgressView();
  for (;;) {
    const progress = await teardown.getProgress(id);
    view.update(progress);
    if (progress.phase === 'done') break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  view.stop();
  const report = await teardown.waitForReport(id);
  step('report');
  process.stdout.write(formatReport(report) + '\n');
  process.stdout.write(`\nTemporal UI: ${uiUrl}\n`);
  process.stdout.write(`Emulator call log: ${emulator.url}/_emulator/calls\n`);

  const stop = async () => {
    workers.shutdown();
    await running;
    await connection.close();
    await clientConnection.close();
    await emulator.close();
    await env.teardown();
  };
  if (keep) {
    process.stdout.write(
      `\n--keep: everything stays up; press Ctrl-C to stop. Use the CLI against it with\n` +
        `    export TEMPORAL_ADDRESS=${address} TEARDOWN_TASK_QUEUE=${config.taskQueue}\n` +
        `    bin/teardown list\n`,
    );
    await new Promise<void>((res) => process.once('SIGINT', () => res()));
  }
  await stop();
  process.exit(0);
}

/** Transitions slow enough to watch, fast enough for a demo. */
const DEMO_DURATIONS: Record<string, number> = {
  'alibabacloud.ecs.stop': 3_000,
  'alibabacloud.ecs.delete': 2_000,
  'alibabacloud.ecs.convert': 2_000,
  'alibabacloud.sae.changeOrderStep': 2_000,
  'volcengine.ecs.stop': 3_000,
  'volcengine.ecs.delete': 2_000,
  'volcengine.ecs.convert': 2_000,
  'tencentcloud.ms.delete': 2_000,
  'tencentcloud.gaap.destroy': 3_000,
};

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
