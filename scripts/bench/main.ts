// `npm run bench [-- --sizes 1000,ecs-2000 --runs 2 --contenders cloud-teardown,direct,loop]`:
// starts its own Temporal dev server, emulator and worker processes, runs every contender on every
// workload against the same emulator settings, and writes BENCHMARKS.md (options: see options()).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { teardownDataConverter } from '../../src/codec';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-modules';
import { startOwnDevServer } from '../own-dev-server';
import { quotaBound, type BenchEmulatorSettings } from './bound';
import { BENCH_QUEUE_PARTITIONS, ROOT, startEmulatorProcess, stopAll } from './processes';
import { renderBenchmarks } from './report';
import { loadResults, saveResults, type Machine, type WorkloadResult } from './results';
import {
  CONTENDERS,
  prepareEmulator,
  runCloudTeardown,
  runSdkContender,
  type BenchContext,
  type ContenderName,
  type RunResult,
} from './run-contenders';
import { cliColdStartMs, workerFirstPollMs } from './startup';
import { parseWorkloads, sampleOf, workload, type WorkloadShape } from './workloads';

/** The same for every contender: the seeds' 20 calls/s per action and account, short transitions. */
export const BENCH_SETTINGS: BenchEmulatorSettings & { latencyMs: number } = {
  latencyMs: 0,
  quotaPerSecond: 20,
  quotaByAction: {},
  durations: {
    'alibabacloud.ecs.delete': 1_000,
    'volcengine.ecs.delete': 1_000,
    'alibabacloud.sae.changeOrderStep': 500,
    'tencentcloud.ms.delete': 1_000,
    'tencentcloud.gaap.destroy': 1_000,
  },
};

const DEFAULT_SIZES = 'mixed-1000,ecs-2000,mixed-10000,mixed-100000';
/** cloud-teardown alone above this size (the others add nothing to the comparison there). */
const ALONE_ABOVE = 10_000;

function options() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES },
      runs: { type: 'string', default: '2' },
      contenders: { type: 'string', default: CONTENDERS.join(',') },
      'loop-sample': { type: 'string', default: '200' },
      out: { type: 'string', default: resolve(ROOT, 'BENCHMARKS.md') },
      results: { type: 'string', default: resolve(ROOT, 'BENCHMARKS.json') },
      startup: { type: 'boolean', default: true },
      'no-startup': { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      'render-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const positive = (name: string, text: string, allowZero = false) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
      throw new Error(`--${name}: "${text}" is not a ${allowZero ? 'non-negative' : 'positive'} integer`);
    return n;
  };
  const contenders = values.contenders.split(',').map((c) => c.trim()) as ContenderName[];
  for (const c of contenders)
    if (!CONTENDERS.includes(c))
      throw new Error(`--contenders: "${c}" is not one of ${CONTENDERS.join(', ')}`);
  if (values.smoke) {
    // CI's smoke run: 100 resources, every contender once, results kept out of BENCHMARKS.md.
    const dir = resolve(ROOT, '.tmp/bench');
    return {
      sizes: parseWorkloads('mixed-100'),
      runs: 1,
      contenders,
      loopSample: 25,
      out: values.out === resolve(ROOT, 'BENCHMARKS.md') ? resolve(dir, 'SMOKE.md') : values.out,
      results: resolve(dir, 'smoke-results.json'),
      startup: false,
      smoke: true,
      renderOnly: false,
    };
  }
  return {
    sizes: parseWorkloads(values.sizes),
    runs: positive('runs', values.runs),
    contenders,
    loopSample: positive('loop-sample', values['loop-sample'], true),
    out: values.out,
    results: values.results,
    startup: values.startup && !values['no-startup'],
    smoke: false,
    renderOnly: values['render-only'],
  };
}

function machine(): Machine {
  return {
    cpus: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT })
      .toString()
      .trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function render(opts: { results: string; out: string; smoke: boolean }): void {
  const notesFile = resolve(ROOT, 'scripts/bench/notes.md');
  const notes =
    !opts.smoke && existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim().split('\n') : [];
  writeFileSync(opts.out, `${renderBenchmarks(loadResults(opts.results), notes)}\n`);
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.renderOnly) {
    // Re-renders BENCHMARKS.md from the results file (after editing notes.md or the bound's
    // formula, which is recomputed from each workload and its settings); runs nothing.
    const results = loadResults(opts.results);
    for (const entry of Object.values(results.workloads)) {
      const [{ shape, size }] = parseWorkloads(entry.name) as [{ shape: WorkloadShape; size: number }];
      entry.bound = quotaBound(
        workload(shape, size),
        entry.emulatorSettings as unknown as BenchEmulatorSettings,
      );
    }
    saveResults(opts.results, results);
    render(opts);
    return;
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const runTag = Date.now().toString(36);

  log('starting the Temporal dev server, the emulator, and bundling the workflows');
  // One partition per task queue: its rate limit then bursts least (src/task-queues.ts queueRateOf).
  const server = await startOwnDevServer({ partitions: BENCH_QUEUE_PARTITIONS });
  const env = server.env;
  const interrupted = async (signal: string) => {
    log(`${signal}: stopping the processes the benchmark started`);
    await stopAll();
    await server.stop();
    process.exit(130);
  };
  process.once('SIGINT', (s) => void interrupted(s));
  process.once('SIGTERM', (s) => void interrupted(s));
  const emulator = await startEmulatorProcess();
  const dir = resolve(ROOT, '.tmp/bench');
  mkdirSync(dir, { recursive: true });
  const bundlePath = resolve(dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('ERROR'),
  });
  writeFileSync(bundlePath, code);
  const temporalAddress = env.address;
  const connection = await Connection.connect({
    address: temporalAddress,
    // Reports and histories of 100,000 resources exceed gRPC's default 4 MB.
    channelArgs: { 'grpc.max_receive_message_length': 512 * 1024 * 1024 },
  });
  const client = new Client({ connection, dataConverter: teardownDataConverter });
  const ctx: BenchContext = {
    admin: emulator.admin,
    endpoint: emulator.endpoint,
    client,
    temporalAddress,
    bundlePath,
    settings: BENCH_SETTINGS,
    runTag,
  };
  const results = loadResults(opts.results);
  let failures = 0;
  try {
    for (const { shape, size } of opts.sizes) {
      const w = workload(shape, size);
      const bound = quotaBound(w, BENCH_SETTINGS);
      const entry: WorkloadResult = {
        name: w.name,
        label: w.label,
        size: w.size,
        commit: commit(),
        command,
        measuredAt: new Date().toISOString(),
        machine: machine(),
        loadBefore: os.loadavg(),
        loadAfter: [],
        bound,
        loopSample: 0,
        emulatorSettings: { ...BENCH_SETTINGS },
        runs: [],
      };
      log(`${w.label}: quota bound ${bound.formula}`);
      for (let run = 1; run <= opts.runs; run++) {
        for (const contender of opts.contenders) {
          if (size > ALONE_ABOVE && contender !== 'cloud-teardown') continue;
          const sample = contender === 'loop' && opts.loopSample > 0 && size > opts.loopSample;
          const target = sample ? sampleOf(w, opts.loopSample) : w;
          if (sample) entry.loopSample = target.size;
          await prepareEmulator(ctx, target);
          let result: RunResult;
          try {
            result =
              contender === 'cloud-teardown'
                ? await runCloudTeardown(ctx, target, run)
                : await runSdkContender(ctx, contender, target, run);
          } catch (err) {
            result = {
              contender,
              size: target.size,
              wallMs: 0,
              deleted: 0,
              failed: target.size,
              emulator: {
                calls: 0,
                callsByAction: {},
                callsPerResource: {},
                throttled: 0,
                busiestWindow: {},
                resourcesLeft: target.size,
              },
              error: err instanceof Error ? err.message.split('\n')[0]! : String(err),
            };
          }
          if (result.error || result.emulator.resourcesLeft > 0) failures++;
          entry.runs.push(result);
          log(
            `${w.name} run ${run} ${contender}${sample ? ` (sample ${target.size})` : ''}: ` +
              (result.error
                ? `ERROR ${result.error}`
                : `${(result.wallMs / 1000).toFixed(2)} s, ${result.emulator.calls} calls, ${result.emulator.throttled} throttled, ${result.emulator.resourcesLeft} left` +
                  (result.temporal
                    ? `, ${result.temporal.workflows} workflows, largest history ${result.temporal.largestEvents} events, worker ${Math.round(result.temporal.workerPeakRssMb)} MB`
                    : '')),
          );
        }
      }
      entry.loadAfter = os.loadavg();
      // Re-running some contenders keeps the other contenders' runs of this workload.
      const kept =
        results.workloads[w.name]?.runs.filter((r) => !opts.contenders.includes(r.contender)) ?? [];
      entry.runs = [...kept, ...entry.runs];
      results.workloads[w.name] = entry;
      saveResults(opts.results, results);
    }
    if (opts.startup) {
      log('start-up: CLI cold start and worker start to first poll');
      const loadBefore = os.loadavg();
      const cliHelpMs: number[] = [];
      const fromSource: number[] = [];
      const fromBundle: number[] = [];
      for (let i = 0; i < Math.max(2, opts.runs); i++) {
        cliHelpMs.push(await cliColdStartMs());
        const base = { temporalAddress, endpoint: emulator.endpoint };
        fromSource.push(await workerFirstPollMs(client, { ...base, tag: `${runTag}-src-${i}` }));
        fromBundle.push(
          await workerFirstPollMs(client, { ...base, bundlePath, tag: `${runTag}-bundle-${i}` }),
        );
      }
      results.startup = {
        commit: commit(),
        measuredAt: new Date().toISOString(),
        loadBefore,
        loadAfter: os.loadavg(),
        cliHelpMs,
        cliCommand: 'bin/teardown --help',
        workerFirstPollFromSourceMs: fromSource,
        workerFirstPollFromBundleMs: fromBundle,
      };
      saveResults(opts.results, results);
    }
  } finally {
    await connection.close();
    await emulator.proc.stop();
    await server.stop();
  }
  render(opts);
  log(`wrote ${opts.out}${failures ? `; ${failures} run(s) failed or left resources` : ''}`);
  process.exit(failures ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
