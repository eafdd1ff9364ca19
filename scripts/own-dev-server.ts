// A Temporal dev server of one's own, for the tests and scripts that cannot share the global
// setup's: other task queue partitions (rate tests, the bench), a database file to restart from
// (the server-restart test), a server the script owns (record-histories). One way to start it:
// `temporal server start-dev` with the contract's search attributes, ready once it says it serves,
// with a client and worker connection on it. A leaf for scripts and tests alike (no test runtime).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DataConverter } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../src/search-attributes';
import { temporalCliPath } from './temporal-cli';

export interface OwnDevServerOptions {
  /** Task queue read and write partitions (matching.numTaskqueue{Read,Write}Partitions); default the server's. */
  partitions?: number;
  /** SQLite file the server keeps its state in, so a restart on the same file resumes it; default in memory. */
  dbFile?: string;
  /** Default: a free port. A restart passes the port it had. */
  port?: number;
  /** Default `default`. */
  namespace?: string;
  /** The data converter of `env.client`. */
  dataConverter?: DataConverter;
}

export interface OwnDevServer {
  /** 'host:port' of its frontend. */
  readonly address: string;
  readonly port: number;
  /** Client and native (worker) connection on it. */
  readonly env: TestWorkflowEnvironment;
  /** The CLI process: a test may SIGKILL it. */
  readonly process: ChildProcess;
  /** Closes the connections and stops the server, resolving once its process has exited. */
  stop(): Promise<void>;
}

const CLI_TYPES: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The `temporal server start-dev` arguments for these options. */
export function devServerArgs(port: number, opts: OwnDevServerOptions): string[] {
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--namespace', opts.namespace ?? 'default', '--log-level', 'error');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const { name, type } of ALL_SEARCH_ATTRIBUTE_KEYS)
    args.push('--search-attribute', `${name}=${CLI_TYPES[type]}`);
  if (opts.partitions !== undefined) {
    for (const side of ['Read', 'Write'])
      args.push('--dynamic-config-value', `matching.numTaskqueue${side}Partitions=${opts.partitions}`);
  }
  return args;
}

/** Spawns the CLI; resolves once it serves (it prints "Temporal Server:"), rejects if it exits first. */
function spawnServer(args: string[]): Promise<ChildProcess> {
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Temporal Server:/.test(output)) ready(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`the dev server exited (${code}) before serving:\n${output}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startOwnDevServer(opts: OwnDevServerOptions = {}): Promise<OwnDevServer> {
  const port = opts.port ?? (await freePort());
  const child = await spawnServer(devServerArgs(port, opts));
  const address = `127.0.0.1:${port}`;
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address,
      namespace: opts.namespace ?? 'default',
      client: opts.dataConverter ? { dataConverter: opts.dataConverter } : undefined,
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    port,
    env,
    process: child,
    async stop() {
      await env.teardown().catch(() => undefined);
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
