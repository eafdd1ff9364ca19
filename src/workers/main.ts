// Worker process entry point: `npm run worker`, or `node dist/workers/main.js` in the image.
// Connection settings come from Temporal's environment configuration (TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, temporal.toml profiles); provider credentials and
// endpoints from the variables in src/config.ts; logs, metrics and traces from the variables in
// src/workers/telemetry.ts; process settings (shutdown grace, prebuilt bundle) from ./settings.ts.
// SIGTERM / SIGINT (the SDK's runtime handles them) stop polling and let in-flight activities
// finish for TEARDOWN_SHUTDOWN_GRACE_MS; then the process exits.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { currentKeyRing } from '../codec';
import { loadWorkerConfig } from '../config';
import { WorkerHealth } from './health';
import { loadProcessSettings, watchParent } from './settings';
import { installWorkerTelemetry } from './telemetry';
import { createTeardownWorkers } from './worker';

async function main(): Promise<void> {
  const settings = loadProcessSettings();
  const config = loadWorkerConfig();
  const telemetry = await installWorkerTelemetry();
  const connect = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connect.connectionOptions);
  const namespace = connect.namespace ?? 'default';
  const workers = await createTeardownWorkers({
    connection,
    namespace,
    config,
    tracing: telemetry.tracing,
    workflowBundle: settings.workflowBundlePath ? { codePath: settings.workflowBundlePath } : undefined,
    overrides: { shutdownGraceTime: settings.shutdownGraceMs },
  });
  const health = new WorkerHealth(workers.workers);
  telemetry.setHealth(() => health.health());
  if (settings.exitWithParent)
    watchParent(() => {
      telemetry.logger.info('parent process gone: shutting down');
      workers.shutdown();
    });
  const clouds = Object.entries(config.clouds)
    .map(
      ([cloud, s]) =>
        `${cloud}: credentials from ${s.credentials.origin}, ${s.endpoint ?? 'public endpoint'}`,
    )
    .join('; ');
  const accounts = Object.entries(config.accounts)
    .map(
      ([name, a]) =>
        `${name} (${Object.entries(a.clouds)
          .map(([c, s]) => `${c}: ${s.origin}`)
          .join(', ')})`,
    )
    .join('; ');
  const ring = currentKeyRing();
  const encryption = ring
    ? `payloads encrypted with key "${ring.encryptingKeyId}" (${ring.keys.size} key(s) decrypt)`
    : 'payloads not encrypted';
  telemetry.logger.info(
    `cloud-teardown worker pid ${process.pid} on task queue "${config.taskQueue}" (namespace ${namespace}); ${clouds}; ${encryption}` +
      (accounts ? `; accounts: ${accounts}` : '') +
      (telemetry.http ? `; health http://${telemetry.http.address}/healthz` : ''),
    { taskQueue: config.taskQueue, namespace, metrics: telemetry.http?.address },
  );
  const announceReady = setInterval(() => {
    if (!health.ready()) return;
    clearInterval(announceReady);
    telemetry.logger.info(`ready: all ${workers.workers.length} task queues polling`);
  }, 200);
  announceReady.unref();
  try {
    await workers.run();
    telemetry.logger.info('worker stopped');
  } finally {
    clearInterval(announceReady);
    telemetry.setHealth({ ok: false, detail: 'shutting down' });
    await connection.close();
    await telemetry.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
