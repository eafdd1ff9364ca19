// README's "Run the pieces by hand", as a person would run them, each its own process: the emulator
// (`npm run emulator`'s entry point), a worker (`npm run worker`'s) with the environment
// `npm run -s emulator-env` prints, the README's seed body posted to the admin API, and
// `bin/teardown start ... --yes --watch`. (scripts/dev-server.ts: test/tooling/dev-server.test.ts;
// here the dev server of the global setup stands in for it.)
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { testId } from '../helpers/stack';
import { testServerAddress, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** The JSON the README's `curl ... -d` posts, and the `bin/teardown start` line that follows it. */
function readmeSteps(): { seed: Array<{ id: string; type: string }>; start: string[] } {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Run the pieces by hand'));
  const seed = /-d \\\n\s*'([^']+)'/.exec(section);
  const start = /^bin\/teardown (start .+)$/m.exec(section);
  if (!seed || !start) throw new Error('README: the by-hand section lost its curl seed or its start line');
  return { seed: JSON.parse(seed[1]!), start: start[1]!.split(/\s+/) };
}

function startWorker(env: NodeJS.ProcessEnv): Promise<{ stop(): Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/workers/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (/ready: all \d+ task queues polling/.test(output))
        ready({
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
          output: () => output,
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      fail(new Error(`the worker exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

let emulator: EmulatorProcess | undefined;

afterAll(async () => {
  await emulator?.stop();
});

it(
  'the emulator, a worker with emulator-env, the README seed and bin/teardown start --yes --watch',
  async () => {
    emulator = await startEmulatorProcess(['--port', '0']);
    const { stdout: printed } = await run(process.execPath, [
      '--import',
      'tsx',
      'scripts/emulator-env.ts',
      emulator.endpoint,
    ]);
    const emulatorEnv = Object.fromEntries(
      printed
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2)),
    );
    expect(emulatorEnv).toMatchObject({ CLOUD_TEARDOWN_ENDPOINT: emulator.endpoint });
    // The emulator printed the same environment itself.
    for (const [name, value] of Object.entries(emulatorEnv))
      expect(emulator.output()).toContain(`${name}=${value}`);

    const taskQueue = uniqueTaskQueue('byhand');
    const temporalEnv = { TEMPORAL_ADDRESS: testServerAddress(), TEMPORAL_NAMESPACE: 'default' };
    const worker = await startWorker({
      ...process.env,
      ...emulatorEnv,
      ...temporalEnv,
      TEARDOWN_TASK_QUEUE: taskQueue,
      TEARDOWN_WORKFLOW_BUNDLE: workflowBundle().codePath,
      TEARDOWN_LOG_FORMAT: 'text',
    });
    try {
      const { seed, start } = readmeSteps();
      const seeded = await fetch(`${emulator.url}/_emulator/resources`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(seed),
      });
      expect(seeded.status).toBe(200);
      expect(await seeded.json()).toMatchObject({ seeded: seed.length });

      const id = testId('by-hand');
      const args = start.map((arg, i) => (i === 1 ? id : arg));
      const cli = await run(path.join(ROOT, 'bin/teardown'), args, {
        env: { ...process.env, ...temporalEnv, TEARDOWN_TASK_QUEUE: taskQueue, NO_COLOR: '1' },
        timeout: 5 * 60_000,
      });
      expect(cli.stdout).toMatch(/completed/);

      const left = (await (await fetch(`${emulator.url}/_emulator/resources`)).json()) as {
        resources: Array<{ id: string; status?: string }>;
      };
      for (const { id: seededId } of seed)
        expect(left.resources.find((r) => r.id === seededId)).toBeUndefined();
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  },
  5 * 60_000,
);
