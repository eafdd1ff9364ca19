// The benchmark's worker process: the real worker (src/workers/worker.ts) configured from the
// environment (its workflow cache bounded by TEARDOWN_MAX_CACHED_WORKFLOWS, default 20, so the 100,000
// run stays under 1 GB), its workflows from a prebuilt bundle (BENCH_WORKFLOW_BUNDLE) or from source.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from '../../src/config';
import { createTeardownWorkers } from '../../src/workers/worker';

async function main(): Promise<void> {
  // Expected activity failures (refused batches) are reported by the workflows and logged as
  // warnings by the SDK: the log keeps errors only, unless BENCH_WORKER_LOG_LEVEL says otherwise.
  const level = process.env.BENCH_WORKER_LOG_LEVEL === 'WARN' ? 'WARN' : 'ERROR';
  Runtime.install({ logger: new DefaultLogger(level) });
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const bundle = process.env.BENCH_WORKFLOW_BUNDLE;
  const connection = await NativeConnection.connect({ address });
  const workers = await createTeardownWorkers({
    connection,
    config: loadWorkerConfig(),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : {}),
  });
  const stop = () => workers.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await workers.run();
  await connection.close();
}

main().catch((err) => {
  process.stderr.write(`bench worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
