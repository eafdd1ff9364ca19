// `npm run emulator [-- --port 8787] [--host 127.0.0.1] [--seed resources.json]`: the fake
// cloud as a standalone process for the demo and manual runs.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { emulatorCredentialsEnv } from './accounts';
import { startEmulator } from './server';
import type { SeedResource } from './types';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const portText = values.port ?? process.env.EMULATOR_PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${portText}" (from --port or EMULATOR_PORT)`);
  }

  const emulator = await startEmulator({
    port,
    host: values.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1',
  });
  if (values.seed) {
    const parsed: unknown = JSON.parse(await readFile(values.seed, 'utf8'));
    const list = Array.isArray(parsed) ? parsed : (parsed as { resources?: unknown }).resources;
    if (!Array.isArray(list))
      throw new Error(`${values.seed}: expected an array of resources or { "resources": [...] }`);
    const seeded = emulator.seed(list as SeedResource[]);
    console.log(`seeded ${seeded.length} resources from ${values.seed}`);
  }

  console.log(`cloud-teardown emulator listening on ${emulator.url}`);
  console.log('environment for workers (fake emulator credentials):');
  for (const [name, value] of Object.entries(emulatorCredentialsEnv(emulator)))
    console.log(`  ${name}=${value}`);
  console.log(`admin API: ${emulator.url}/_emulator/{resources,faults,settings,calls,stats,accounts,reset}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing the emulator`);
    emulator.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
