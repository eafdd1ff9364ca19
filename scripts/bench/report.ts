// Renders BENCHMARKS.md from the results file: the side-by-side summary, then per workload every
// run's figures, the quota bound's formula, and the start-up measurements.
import type { BenchResults, StartupResult, WorkloadResult } from './results';
import type { ContenderName, RunResult } from './run-contenders';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const both = (xs: number[], f: (x: number) => string) => xs.map(f).join(' / ');
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');

export const CONTENDER_TITLES: Record<ContenderName, string> = {
  loop: 'per-resource loop (10 at a time, like Terraform destroy / aws-nuke)',
  direct: 'direct batched SDK script, no Temporal',
  'cloud-teardown': 'cloud-teardown',
};

function runsOf(w: WorkloadResult, c: ContenderName): RunResult[] {
  return w.runs.filter((r) => r.contender === c && !r.error);
}

/** Wall time scaled to the workload's size (the loop's sample runs are extrapolated linearly). */
export function scaledWallMs(w: WorkloadResult, r: RunResult): number {
  return r.size === w.size ? r.wallMs : (r.wallMs * w.size) / r.size;
}

function summaryCell(w: WorkloadResult, c: ContenderName): string {
  const runs = runsOf(w, c);
  if (runs.length === 0) {
    const failed = w.runs.find((r) => r.contender === c && r.error);
    return failed ? `failed (${failed.error!.slice(0, 80)})` : '—';
  }
  const wall = median(runs.map((r) => scaledWallMs(w, r)));
  const extrapolated = runs[0]!.size !== w.size ? ` **extrapolated** from ${runs[0]!.size}` : '';
  const parts = [`${s(wall)} (${(wall / 1000 / w.bound.seconds).toFixed(2)}x bound${extrapolated})`];
  const throttled = median(runs.map((r) => r.emulator.throttled));
  parts.push(`${throttled} throttled`);
  if (c === 'cloud-teardown') {
    const direct = runsOf(w, 'direct');
    if (direct.length) parts.push(`${(wall / median(direct.map((r) => r.wallMs))).toFixed(2)}x direct`);
    const t = runs.map((r) => r.temporal!);
    parts.push(
      `${median(t.map((x) => x.workflows))} workflows`,
      `largest history ${Math.max(...t.map((x) => x.largestEvents)).toLocaleString('en-US')} events`,
      `worker ${Math.round(Math.max(...t.map((x) => x.workerPeakRssMb)))} MB RSS`,
    );
  }
  return parts.join(', ');
}

function callsPerResource(r: RunResult): string {
  return Object.entries(r.emulator.callsPerResource ?? {})
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([action, n]) => `${action} ${n.toFixed(2)}`)
    .join(', ');
}

function workloadSection(w: WorkloadResult): string[] {
  const lines = [
    `### ${w.label}`,
    '',
    `Commit \`${w.commit}\`, ${w.measuredAt}, \`${w.command}\`; load average before ${loads(w.loadBefore)}, after ${loads(w.loadAfter)}.`,
    '',
    `Quota bound: ${w.bound.formula}.`,
    '',
    'Calls needed per action: ' +
      w.bound.actions
        .map((a) => `${a.action} ${a.calls} / ${a.quotaPerSecond}/s = ${a.seconds.toFixed(2)} s`)
        .join('; ') +
      '.',
    '',
    '| contender | run | wall time | / bound | provider calls per resource of its kind, per action | throttled | left | busiest 1 s window (calls, one action) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of w.runs) {
    const i = w.runs.filter((x) => x.contender === r.contender).indexOf(r) + 1;
    const size = r.size === w.size ? '' : ` (sample of ${r.size}, extrapolated ${s(scaledWallMs(w, r))})`;
    const busiest = Math.max(0, ...Object.values(r.emulator.busiestWindow));
    lines.push(
      `| ${r.contender} | ${i} | ${r.error ? `error: ${r.error.slice(0, 120)}` : s(r.wallMs) + size} | ${(scaledWallMs(w, r) / 1000 / w.bound.seconds).toFixed(2)}x | ${callsPerResource(r)} | ${r.emulator.throttled} | ${r.emulator.resourcesLeft} | ${busiest} |`,
    );
  }
  const ct = w.runs.filter((r) => r.contender === 'cloud-teardown' && r.temporal);
  if (ct.length) {
    lines.push(
      '',
      '| cloud-teardown run | workflows | largest history (events) | largest history (bytes) | Temporal actions per resource | worker peak RSS | worker CPU | worker start to first poll |',
      '|---|---|---|---|---|---|---|---|',
    );
    ct.forEach((r, i) => {
      const t = r.temporal!;
      lines.push(
        `| ${i + 1} | ${t.workflows} | ${t.largestEvents.toLocaleString('en-US')} | ${(t.largestBytes / 1e6).toFixed(2)} MB | ${(t.actions / r.size).toFixed(3)} | ${Math.round(t.workerPeakRssMb)} MB | ${t.workerCpuSeconds.toFixed(1)} s | ${s(t.firstPollMs)} |`,
      );
    });
  }
  lines.push('');
  return lines;
}

function startupSection(st: StartupResult): string[] {
  return [
    '## Start-up',
    '',
    `Commit \`${st.commit}\`, ${st.measuredAt}; load average before ${loads(st.loadBefore)}, after ${loads(st.loadAfter)}.`,
    '',
    '| what | runs |',
    '|---|---|',
    `| CLI cold start (\`${st.cliCommand}\`, process start to exit) | ${both(st.cliHelpMs, s)} |`,
    `| worker start to first poll, workflows bundled from source at start | ${both(st.workerFirstPollFromSourceMs, s)} |`,
    `| worker start to first poll, prebuilt workflow bundle | ${both(st.workerFirstPollFromBundleMs, s)} |`,
    '',
  ];
}

export function renderBenchmarks(results: BenchResults, notes: string[]): string {
  const ws = Object.values(results.workloads).sort((a, b) => a.size - b.size || a.name.localeCompare(b.name));
  const machine = ws[0]?.machine;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench/main.ts; `-- --sizes 1000,ecs-2000` re-runs some sizes and keeps the',
    "others' results from BENCHMARKS.json; `-- --runs 3`, `-- --contenders direct,loop`, `-- --loop-sample 0`",
    'runs the per-resource loop at full size). Do not edit by hand: notes belong in scripts/bench/notes.md.',
    'Every contender runs against the same emulator process with the same quotas and transition durations, one after',
    'another, each run on a freshly seeded emulator. Figures are per run (each at least twice); the summary shows medians.',
    '',
    machine
      ? `Machine: ${machine.cpus}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}.`
      : '',
    '',
    '## Summary',
    '',
    `| work | ${CONTENDER_TITLES.loop} | ${CONTENDER_TITLES.direct} | ${CONTENDER_TITLES['cloud-teardown']} | quota bound |`,
    '|---|---|---|---|---|',
    ...ws.map(
      (w) =>
        `| ${w.label} | ${summaryCell(w, 'loop')} | ${summaryCell(w, 'direct')} | ${summaryCell(w, 'cloud-teardown')} | ${w.bound.seconds.toFixed(2)} s |`,
    ),
    '',
    ...notes,
    '',
    '## Runs',
    '',
    ...ws.flatMap(workloadSection),
    ...(results.startup ? startupSection(results.startup) : []),
  ];
  return lines.join('\n');
}
