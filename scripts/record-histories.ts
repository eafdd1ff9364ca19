// `npm run record-histories`: runs the representative teardowns of scripts/history-scenarios.ts on
// a private Temporal dev server, an in-process emulator and the current workflow code, and writes
// every workflow history they made (parents and children) to test/fixtures/histories/<scenario>/,
// replacing what was there. test/workflows/replay.test.ts replays them with every later build.
// Record again only when a change is meant to break replay (see README, "Replay histories").
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TeardownClient } from '../src/client';
import { teardownDataConverter } from '../src/codec';
import { loadWorkerConfig } from '../src/config';
import { emulatorCredentialsEnv } from '../src/emulator/accounts';
import { startEmulator, type Emulator } from '../src/emulator/server';
import { createTeardownWorkers } from '../src/workers/worker';
import { fileNameOf, HISTORIES_DIR, historyToText } from '../test/helpers/histories';
import { FAST_DURATIONS } from '../test/helpers/stack';
import { REPO_ROOT, WORKFLOWS_INDEX, uniqueTaskQueue } from '../test/helpers/temporal';
import { SCENARIOS, type ScenarioContext } from './history-scenarios';
import { startOwnDevServer } from './own-dev-server';

const BUNDLE_FILE = path.join(REPO_ROOT, '.tmp', 'record-histories-bundle.js');

const log = (message: string) => process.stderr.write(`record-histories: ${message}\n`);

function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test/helpers/worker-process.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('worker ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${stderr}`)));
  });
}

/** A TeardownClient that remembers the workflows it started (no visibility lag to wait out). */
class RecordingClient extends TeardownClient {
  static readonly started: string[] = [];
  override async startTeardown(id: string, input: unknown) {
    const started = await super.startTeardown(id, input);
    RecordingClient.started.push(started.workflowId);
    return started;
  }
}

/** Every workflow a teardown made: the parent, then its children (from its history), recursively. */
async function collect(
  env: TestWorkflowEnvironment,
  workflowId: string,
  into: Map<string, string>,
): Promise<void> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  into.set(workflowId, historyToText(history));
  for (const event of history.events ?? []) {
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    if (child) await collect(env, child, into);
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const scenarios = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  if (scenarios.length === 0)
    throw new Error(
      `no scenario named ${only.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );

  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_INDEX) });
  fs.mkdirSync(path.dirname(BUNDLE_FILE), { recursive: true });
  fs.writeFileSync(BUNDLE_FILE, code);
  const server = await startOwnDevServer({ dataConverter: teardownDataConverter });
  const env = server.env;
  let emulator: Emulator | undefined;
  let stopWorkers = async () => undefined as unknown;
  const processes: ChildProcess[] = [];
  try {
    emulator = await startEmulator({ settings: { durations: FAST_DURATIONS } });
    const workerEnv = (taskQueue: string) => ({
      ...emulatorCredentialsEnv(emulator!),
      TEARDOWN_TASK_QUEUE: taskQueue,
      TEARDOWN_REQUEST_TIMEOUT_MS: '5000',
    });
    const taskQueue = uniqueTaskQueue('record');
    const workers = await createTeardownWorkers({
      connection: env.nativeConnection,
      config: loadWorkerConfig(workerEnv(taskQueue)),
      workflowBundle: { codePath: BUNDLE_FILE },
    });
    const running = workers.run();
    stopWorkers = async () => {
      workers.shutdown();
      await running;
    };
    const ctx: ScenarioContext = {
      emulator,
      teardown: new RecordingClient(env.client, taskQueue),
      async withWorkerProcess(during) {
        const queue = uniqueTaskQueue('record-crash');
        const processEnv = {
          ...workerEnv(queue),
          TEMPORAL_ADDRESS: env.address,
          TEMPORAL_WORKFLOW_BUNDLE: BUNDLE_FILE,
        };
        processes.push(await startWorkerProcess(processEnv));
        await during(new RecordingClient(env.client, queue), async () => {
          processes.at(-1)!.kill('SIGKILL');
          processes.push(await startWorkerProcess(processEnv));
        });
      },
    };
    const recorded = new Map<string, Map<string, string>>();
    for (const scenario of scenarios) {
      const started = Date.now();
      RecordingClient.started.length = 0;
      await scenario.run(ctx);
      const histories = new Map<string, string>();
      for (const id of RecordingClient.started) await collect(env, id, histories);
      recorded.set(scenario.name, histories);
      log(`${scenario.name}: ${histories.size} histories in ${Date.now() - started} ms`);
    }
    write(recorded);
  } finally {
    await stopWorkers();
    for (const p of processes) p.kill('SIGKILL');
    await emulator?.close();
    await server.stop();
  }
}

function write(recorded: Map<string, Map<string, string>>): void {
  for (const [scenario, histories] of recorded) {
    const dir = path.join(HISTORIES_DIR, scenario);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [workflowId, json] of histories) {
      fs.writeFileSync(path.join(dir, fileNameOf(workflowId)), json);
    }
  }
  log(
    `wrote ${[...recorded.values()].reduce((n, h) => n + h.size, 0)} histories under ${path.relative(REPO_ROOT, HISTORIES_DIR)}`,
  );
}

if (require.main === module) {
  main().catch((err) => {
    log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
