// Worker process entry point: `npm run worker`. Connection settings come from Temporal's
// environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS,
// temporal.toml profiles); provider credentials and endpoints from the variables in src/config.ts;
// logs, metrics and traces from the variables in src/workers/telemetry.ts.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { loadWorkerConfig } from '../config';
import { installWorkerTelemetry } from './telemetry';
import { createTeardownWorkers } from './worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const telemetry = await installWorkerTelemetry();
  const connect = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connect.connectionOptions);
  const namespace = connect.namespace ?? 'default';
  const workers = await createTeardownWorkers({ connection, namespace, config, tracing: telemetry.tracing });
  const clouds = Object.entries(config.clouds)
    .map(
      ([cloud, s]) =>
        `${cloud}: ${s.credentials ? 'credentials set' : 'NO credentials'}, ${s.endpoint ?? 'public endpoint'}`,
    )
    .join('; ');
  telemetry.logger.info(
    `cloud-teardown worker on task queue "${config.taskQueue}" (namespace ${namespace}); ${clouds}`,
    { taskQueue: config.taskQueue, namespace, metrics: telemetry.http?.address },
  );
  telemetry.setHealth({ ok: true, detail: `running on task queue ${config.taskQueue}` });
  try {
    await workers.run();
  } finally {
    telemetry.setHealth({ ok: false, detail: 'shutting down' });
    await connection.close();
    await telemetry.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
