// A teardown worker in its own process, so a test can SIGKILL it mid-teardown or scrape its
// metrics and read its logs. Configured only through the environment, like the real worker
// (src/workers/main.ts), telemetry included (src/workers/telemetry.ts).
import { NativeConnection } from '@temporalio/worker';
import { loadWorkerConfig } from '../../src/config';
import { installWorkerTelemetry } from '../../src/workers/telemetry';
import { createTeardownWorkers } from '../../src/workers/worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const bundlePath = process.env.TEMPORAL_WORKFLOW_BUNDLE;
  if (!address || !bundlePath) throw new Error('TEMPORAL_ADDRESS and TEMPORAL_WORKFLOW_BUNDLE are required');
  const config = loadWorkerConfig();
  const telemetry = await installWorkerTelemetry();
  const connection = await NativeConnection.connect({ address });
  const workers = await createTeardownWorkers({
    connection,
    config,
    workflowBundle: { codePath: bundlePath },
    tracing: telemetry.tracing,
  });
  // Tests wait for "worker ready" on stdout; in JSON mode it is a log line like any other.
  const metrics = telemetry.http?.address;
  if (telemetry.logFormat === 'json') telemetry.logger.info('worker ready', { metrics });
  else process.stdout.write(`worker ready${metrics ? ` metrics=${metrics}` : ''}\n`);
  await workers.run();
  await connection.close();
  await telemetry.close();
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
