// Runs one contender once against a freshly seeded emulator and measures it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import type { BenchEmulatorSettings } from './bound';
import type { ContenderResult } from './contender';
import { measureEmulator, measureHistories, type EmulatorMeasure, type HistoryMeasure } from './measure';
import {
  BENCH_QUEUE_PARTITIONS,
  procUsage,
  ROOT,
  spawnTs,
  waitForFirstPoll,
  waitForOutput,
  type EmulatorAdmin,
} from './processes';
import { teardownRequestOf, type Workload } from './workloads';

export const CONTENDERS = ['cloud-teardown', 'direct', 'loop'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface RunResult {
  contender: ContenderName;
  /** The resources this run deleted: the workload's size, or a sample of it (loop, extrapolated). */
  size: number;
  wallMs: number;
  deleted: number;
  failed: number;
  emulator: EmulatorMeasure;
  temporal?: HistoryMeasure & { workerPeakRssMb: number; workerCpuSeconds: number; firstPollMs: number };
  process?: { cpuSeconds: number; peakRssMb: number };
  error?: string;
}

export interface BenchContext {
  admin: EmulatorAdmin;
  endpoint: string;
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  settings: BenchEmulatorSettings;
  runTag: string;
}

const SEED_CHUNK = 10_000;

export async function prepareEmulator(ctx: BenchContext, w: Workload): Promise<void> {
  await ctx.admin.request('POST', 'reset');
  await ctx.admin.request('POST', 'settings', ctx.settings);
  for (let i = 0; i < w.seed.length; i += SEED_CHUNK)
    await ctx.admin.request('POST', 'resources', { resources: w.seed.slice(i, i + SEED_CHUNK) });
}

function workerEnv(ctx: BenchContext, taskQueue: string): NodeJS.ProcessEnv {
  return {
    ...emulatorCredentialsEnv({ endpoint: ctx.endpoint }),
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEARDOWN_TASK_QUEUE: taskQueue,
    TEARDOWN_QUEUE_PARTITIONS: String(BENCH_QUEUE_PARTITIONS),
    BENCH_WORKFLOW_BUNDLE: ctx.bundlePath,
  };
}

export async function runCloudTeardown(ctx: BenchContext, w: Workload, run: number): Promise<RunResult> {
  const taskQueue = `bench-${ctx.runTag}-${w.name}-${run}`;
  const worker = spawnTs('scripts/bench/worker.ts', [], workerEnv(ctx, taskQueue));
  try {
    const firstPollMs = await waitForFirstPoll(ctx.client, taskQueue, worker);
    const before = procUsage(worker.pid);
    const teardown = new TeardownClient(ctx.client, taskQueue);
    const id = `bench-${ctx.runTag}-${w.name}-${run}`;
    const started = performance.now();
    const handle = await teardown.startTeardown(id, {
      ...teardownRequestOf(w),
      requestedBy: 'npm run bench',
      reason: `benchmark ${w.label}`,
    });
    const report = await teardown.waitForReport(id);
    const wallMs = performance.now() - started;
    const after = procUsage(worker.pid);
    const emulator = await measureEmulator(ctx.admin, w);
    const histories = await measureHistories(ctx.client, handle.workflowId);
    return {
      contender: 'cloud-teardown',
      size: w.size,
      wallMs,
      deleted: report.totals.deleted + report.totals.alreadyGone,
      failed: report.totals.failed + report.totals.pending,
      emulator,
      temporal: {
        ...histories,
        workerPeakRssMb: after.peakRssMb,
        workerCpuSeconds: after.cpuSeconds - before.cpuSeconds,
        firstPollMs,
      },
    };
  } finally {
    await worker.stop();
  }
}

export async function runSdkContender(
  ctx: BenchContext,
  which: 'direct' | 'loop',
  w: Workload,
  run: number,
): Promise<RunResult> {
  const dir = resolve(ROOT, '.tmp/bench');
  mkdirSync(dir, { recursive: true });
  const planFile = resolve(dir, `plan-${which}-${w.name}-${run}.json`);
  writeFileSync(planFile, JSON.stringify({ targets: w.targets, ratePerSecond: ctx.settings.quotaPerSecond }));
  const proc = spawnTs(
    'scripts/bench/contender.ts',
    [which, planFile],
    emulatorCredentialsEnv({ endpoint: ctx.endpoint }),
  );
  try {
    const m = await waitForOutput(proc, /^RESULT (.*)$/m, 60 * 60_000);
    const result = JSON.parse(m[1]!) as ContenderResult;
    return {
      contender: which,
      size: w.size,
      wallMs: result.wallMs,
      deleted: result.deleted,
      failed: result.failed,
      emulator: await measureEmulator(ctx.admin, w),
      process: { cpuSeconds: result.cpuSeconds, peakRssMb: result.peakRssMb },
      ...(result.failed > 0 ? { error: `failed: ${JSON.stringify(result.failures.slice(0, 3))}` } : {}),
    };
  } finally {
    await proc.stop();
  }
}
