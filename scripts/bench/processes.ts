// The benchmark's own processes (dev server, emulator, worker, contenders), each separate so its
// CPU and memory can be read from /proc, and the admin API of the emulator process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';

export const ROOT = resolve(__dirname, '../..');
const LOG_DIR = resolve(ROOT, '.tmp/bench/logs');
const CLOCK_TICKS_PER_SECOND = 100;
/** Task queue partitions of the bench's dev server, told to its workers (TEARDOWN_QUEUE_PARTITIONS). */
export const BENCH_QUEUE_PARTITIONS = 1;

export interface ProcUsage {
  cpuSeconds: number;
  rssMb: number;
  /** Peak resident set since the process started (VmHWM). */
  peakRssMb: number;
}

/** CPU (user + system, all threads) and memory of a live process, from /proc. */
export function procUsage(pid: number): ProcUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ') '.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
    rssMb: kb('VmRSS') / 1024,
    peakRssMb: kb('VmHWM') / 1024,
  };
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  startedAt: number;
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<Proc>();

/** Stops every process the benchmark started and has not stopped yet (on Ctrl-C, say). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Runs a TypeScript file with tsx in a fresh node process (its pid is the program's own). */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, file), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // The whole output also goes to .tmp/bench/logs/, to read after a run that went wrong.
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(
    resolve(LOG_DIR, `${basename(file, '.ts')}-${process.pid}-${startedAt.toFixed(0)}.log`),
  );
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-200_000);
    log.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => log.end());
  const proc: Proc = {
    child,
    pid: child.pid!,
    startedAt,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      live.delete(proc);
    },
  };
  live.add(proc);
  return proc;
}

/** Resolves with the first match of `pattern` in the process's output; rejects if it exits first. */
export function waitForOutput(proc: Proc, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const m = pattern.exec(proc.output());
      if (m) {
        cleanup();
        resolvePromise(m);
      }
    };
    const onExit = () => {
      cleanup();
      reject(new Error(`process exited before printing ${pattern}:\n${proc.output().slice(-3000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${pattern}:\n${proc.output().slice(-3000)}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      proc.child.stdout!.off('data', check);
      proc.child.stderr!.off('data', check);
      proc.child.off('exit', onExit);
    };
    proc.child.stdout!.on('data', check);
    proc.child.stderr!.on('data', check);
    proc.child.once('exit', onExit);
    check();
  });
}

/** Milliseconds from the process's start until a poller shows on the task queue (its first poll). */
export async function waitForFirstPoll(client: Client, taskQueue: string, proc: Proc): Promise<number> {
  const until = Date.now() + 180_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`worker exited:\n${proc.output().slice(-3000)}`);
    const answer = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((answer.pollers?.length ?? 0) > 0) return performance.now() - proc.startedAt;
    if (Date.now() > until) throw new Error(`no poller on ${taskQueue}:\n${proc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class EmulatorAdmin {
  constructor(readonly url: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}

/** The emulator in its own process; resolves once it listens. */
export async function startEmulatorProcess(): Promise<{
  proc: Proc;
  admin: EmulatorAdmin;
  endpoint: string;
}> {
  const proc = spawnTs('src/emulator/main.ts', ['--port', '0'], {});
  const m = await waitForOutput(proc, /listening on (http:\/\/([\d.]+:\d+))/);
  return { proc, admin: new EmulatorAdmin(m[1]!), endpoint: m[2]! };
}
