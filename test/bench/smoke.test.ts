// CI's smoke run of `npm run bench`: 100 mixed resources, every contender once, on the bench's own
// dev server, emulator and worker processes. Checks the run works and deletes everything; never
// how fast (speed is shown by BENCHMARKS.md, not asserted).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResults } from '../../scripts/bench/results';

const ROOT = path.resolve(__dirname, '../..');

it(
  'runs every contender on 100 mixed resources and leaves none behind',
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const out = path.join(dir, 'SMOKE.md');
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench/main.ts', '--smoke', '--out', out],
      { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000 },
    );
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const results = JSON.parse(
      readFileSync(path.join(ROOT, '.tmp/bench/smoke-results.json'), 'utf8'),
    ) as BenchResults;
    const runs = results.workloads['mixed-100']!.runs;
    expect(runs.map((r) => [r.contender, r.error, r.emulator.resourcesLeft])).toEqual([
      ['cloud-teardown', undefined, 0],
      ['direct', undefined, 0],
      ['loop', undefined, 0],
    ]);
    const ct = runs[0]!.temporal!;
    expect(ct.workflows).toBeGreaterThan(1);
    expect(ct.largestEvents).toBeGreaterThan(0);
    expect(ct.workerPeakRssMb).toBeGreaterThan(0);
    const md = readFileSync(out, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(md).toContain('| 100 mixed (20 per kind) |');
    expect(md).toMatch(
      /Quota bound: max\(slowest action: calls needed \/ quota; critical path: .*\) = [\d.]+ s\./,
    );
  },
  11 * 60_000,
);
