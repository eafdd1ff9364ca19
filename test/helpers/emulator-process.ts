// The emulator as its own process (`npm run emulator`'s entry point), for tests that restart it:
// started with tsx as a loader so a signal reaches the emulator itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface EmulatorProcess {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  endpoint: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends the signal and waits for the exit; answers the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/emulator/main.ts` with `args` and waits until it listens. */
export function startEmulatorProcess(args: string[], timeoutMs = 30_000): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/emulator/main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the emulator process did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/(\S+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      ready({
        url: match[1],
        endpoint: match[2],
        child,
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the emulator process exited (${code}) before listening:\n${output}`));
    });
  });
}
