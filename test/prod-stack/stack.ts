// The stack scripts/prod-stack.sh started: its addresses and pid files (stack.env), worker
// processes from the built JavaScript, and a restart of the server after a kill.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(__dirname, '../..');
const STACK_ENV = resolve(ROOT, '.tools/prod-stack/stack.env');

export interface ProdStack {
  address: string;
  namespace: string;
  uiUrl: string;
  metricsUrl: string;
  serverPidFile: string;
  workflowBundle: string;
}

export function readStack(): ProdStack {
  if (!existsSync(STACK_ENV))
    throw new Error(`${STACK_ENV} is missing: run \`bash scripts/prod-stack.sh start\``);
  const env = Object.fromEntries(
    readFileSync(STACK_ENV, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const get = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${STACK_ENV}: ${name} is not set`);
    return value;
  };
  return {
    address: get('TEMPORAL_ADDRESS'),
    namespace: get('TEMPORAL_NAMESPACE'),
    uiUrl: get('PROD_STACK_UI_URL'),
    metricsUrl: get('PROD_STACK_METRICS_URL'),
    serverPidFile: get('PROD_STACK_SERVER_PID_FILE'),
    workflowBundle: get('TEARDOWN_WORKFLOW_BUNDLE'),
  };
}

export function serverPid(stack: ProdStack): number {
  return Number(readFileSync(stack.serverPidFile, 'utf8').trim());
}

/** `prod-stack.sh start` again: restarts only what is not running (here: the killed server). */
export async function restartStack(): Promise<string> {
  const { stderr } = await promisify(execFile)(
    'bash',
    [resolve(ROOT, 'scripts/prod-stack.sh'), 'start', '--no-ui'],
    {
      cwd: ROOT,
    },
  );
  return stderr;
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** `node dist/workers/main.js`, as the image runs it; resolves once all its task queues poll. */
export function startWorker(env: NodeJS.ProcessEnv, label: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/workers/main.js')], {
    cwd: ROOT,
    env: { ...process.env, TEARDOWN_METRICS_ADDRESS: '127.0.0.1:0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | string>((res) =>
    child.once('exit', (code, signal) => res(code ?? signal ?? -1)),
  );
  const worker: WorkerProcess = { child, output: () => output, exited };
  return new Promise((res, rej) => {
    const onData = () => {
      if (output.includes('ready: all')) {
        child.stdout!.off('data', onData);
        res(worker);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => rej(new Error(`worker ${label} exited early (${code}):\n${output}`)));
  });
}
