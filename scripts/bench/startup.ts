// Start-up costs: the CLI's cold start (`bin/teardown --help`, process start to exit) and a
// worker's start to its first poll, bundling the workflows from source or loading a prebuilt bundle.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { BENCH_QUEUE_PARTITIONS, ROOT, spawnTs, waitForFirstPoll } from './processes';

export async function cliColdStartMs(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((res, rej) => {
    const child = spawn(resolve(ROOT, 'bin/teardown'), ['--help'], { cwd: ROOT, stdio: 'ignore' });
    child.once('error', rej);
    child.once('exit', (code) => (code === 0 ? res() : rej(new Error(`bin/teardown --help exited ${code}`))));
  });
  return performance.now() - started;
}

export async function workerFirstPollMs(
  client: Client,
  opts: { temporalAddress: string; endpoint: string; bundlePath?: string; tag: string },
): Promise<number> {
  const taskQueue = `bench-startup-${opts.tag}`;
  const worker = spawnTs('scripts/bench/worker.ts', [], {
    ...emulatorCredentialsEnv({ endpoint: opts.endpoint }),
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEARDOWN_TASK_QUEUE: taskQueue,
    TEARDOWN_QUEUE_PARTITIONS: String(BENCH_QUEUE_PARTITIONS),
    BENCH_WORKFLOW_BUNDLE: opts.bundlePath ?? '',
  });
  try {
    return await waitForFirstPoll(client, taskQueue, worker);
  } finally {
    await worker.stop();
  }
}
