// A teardown worker in its own process, so a test can SIGKILL it mid-teardown. Configured only
// through the environment, like the real worker (src/workers/main.ts).
import { NativeConnection } from '@temporalio/worker';
import { loadWorkerConfig } from '../../src/config';
import { createTeardownWorkers } from '../../src/workers/worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const bundlePath = process.env.TEMPORAL_WORKFLOW_BUNDLE;
  if (!address || !bundlePath) throw new Error('TEMPORAL_ADDRESS and TEMPORAL_WORKFLOW_BUNDLE are required');
  const connection = await NativeConnection.connect({ address });
  const workers = await createTeardownWorkers({
    connection,
    config: loadWorkerConfig(),
    workflowBundle: { codePath: bundlePath },
  });
  process.stdout.write('worker ready\n');
  await workers.run();
  await connection.close();
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
