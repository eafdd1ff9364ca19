// `npm run emulator [-- --port 8787] [--host 127.0.0.1] [--seed resources.json]
// [--state-file state.json]`: the fake cloud as a standalone process for the demo and manual
// runs. With --state-file it resumes that file's state on start (when it exists) and saves to it
// on POST /_emulator/state/save and on SIGINT/SIGTERM.
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
      'state-file': { type: 'string' },
    },
  });
  const portText = values.port ?? process.env.EMULATOR_PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${portText}" (from --port or EMULATOR_PORT)`);
  }

  const stateFile = values['state-file'] ?? process.env.EMULATOR_STATE_FILE;
  const emulator = await startEmulator({
    port,
    host: values.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1',
    stateFile,
  });
  if (stateFile) console.log(`state file ${stateFile} (${emulator.resources().length} resources resumed)`);
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
  console.log(
    `admin API: ${emulator.url}/_emulator/{resources,faults,settings,calls,stats,accounts,clock,state,reset}`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing the emulator`);
    // Close first, then save: a call answered between the snapshot and the close would be lost.
    emulator
      .close()
      .then(() =>
        stateFile ? emulator.saveState().then((file) => console.log(`state saved to ${file}`)) : undefined,
      )
      .then(
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
