// The benchmark's results file (BENCHMARKS.json): one entry per workload, replaced when
// that workload runs again, so `--sizes` re-runs some sizes and keeps the others.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { QuotaBound } from './bound';
import type { RunResult } from './run-contenders';

export interface Machine {
  cpus: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export interface WorkloadResult {
  name: string;
  label: string;
  size: number;
  commit: string;
  command: string;
  measuredAt: string;
  machine: Machine;
  loadBefore: number[];
  loadAfter: number[];
  bound: QuotaBound;
  /** Per-resource loop runs on a sample of this size and is extrapolated linearly (0: none). */
  loopSample: number;
  emulatorSettings: Record<string, unknown>;
  runs: RunResult[];
}

export interface StartupResult {
  commit: string;
  measuredAt: string;
  loadBefore: number[];
  loadAfter: number[];
  cliHelpMs: number[];
  cliCommand: string;
  workerFirstPollFromSourceMs: number[];
  workerFirstPollFromBundleMs: number[];
}

export interface BenchResults {
  workloads: Record<string, WorkloadResult>;
  startup?: StartupResult;
}

export function loadResults(file: string): BenchResults {
  if (!existsSync(file)) return { workloads: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
}

export function saveResults(file: string, results: BenchResults): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(results, null, 1)}\n`);
  renameSync(tmp, file);
}
