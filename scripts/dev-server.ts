// `npm run dev-server [-- --port 7233] [--ui-port 8233] [--db-filename file]`: a Temporal dev
// server with every search attribute of the contract registered, for running the pieces by hand
// (emulator, worker, CLI). Prints its address and the next steps; Ctrl-C (or SIGTERM) stops it.
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../src/search-attributes';
import { temporalCliPath } from './temporal-cli';

function port(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${flag}: "${text}" is not a port`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7233' },
      'ui-port': { type: 'string', default: '8233' },
      'db-filename': { type: 'string' },
    },
  });
  const uiPort = port(values['ui-port'], '--ui-port');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      ip: '127.0.0.1',
      port: port(values.port, '--port'),
      ui: true,
      uiPort,
      searchAttributes: ALL_SEARCH_ATTRIBUTE_KEYS,
      dbFilename: values['db-filename'],
      log: { format: 'pretty', level: 'error' },
    },
  });
  const address = env.connection.options.address;
  process.stdout.write(
    [
      `Temporal dev server at ${address} (namespace default), UI at http://127.0.0.1:${uiPort}`,
      `search attributes: ${ALL_SEARCH_ATTRIBUTE_KEYS.map((k) => `${k.name} (${k.type})`).join(', ')}`,
      `use it with:  export TEMPORAL_ADDRESS=${address}`,
      'then, each in its own terminal: npm run emulator; the environment it prints + npm run worker; bin/teardown',
      'Ctrl-C stops the server' +
        (values['db-filename'] ? ` (its state stays in ${values['db-filename']})` : ''),
      '',
    ].join('\n'),
  );
  // The server's child process does not keep Node's event loop alive; this timer does, until a signal.
  const alive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  clearInterval(alive);
  await env.teardown();
  process.stdout.write('dev server stopped\n');
}

main().catch((err) => {
  process.stderr.write(`dev-server failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
