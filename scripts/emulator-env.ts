// `npm run -s emulator-env [-- host:port]`: the environment a worker needs to reach an emulator
// started by `npm run emulator` (its fake keys and CLOUD_TEARDOWN_ENDPOINT), one NAME=value a line,
// for `export $(npm run -s emulator-env)`. Default: EMULATOR_HOST / EMULATOR_PORT, else 127.0.0.1:8787.
import { emulatorCredentialsEnv } from '../src/emulator/accounts';

const endpoint =
  process.argv[2] ?? `${process.env.EMULATOR_HOST ?? '127.0.0.1'}:${process.env.EMULATOR_PORT ?? '8787'}`;
for (const [name, value] of Object.entries(emulatorCredentialsEnv({ endpoint })))
  process.stdout.write(`${name}=${value}\n`);
