// `npm run codec-server`'s entry point as its own process, configured only through the environment.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface CodecServerProcess {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts src/codec-server/main.ts on a free loopback port and waits until it listens. */
export function startCodecServerProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<CodecServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/codec-server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TEARDOWN_CODEC_ADDRESS: '127.0.0.1:0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the codec server did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      ready({
        url: match[1]!,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the codec server exited (${code}) before listening:\n${output}`));
    });
  });
}
