// Where the Temporal CLI is: TEMPORAL_CLI_PATH, else what scripts/install-temporal.sh recorded.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const paths = resolve(ROOT, '.tools/paths.env');
  const match = existsSync(paths)
    ? /^TEMPORAL_CLI_PATH='?([^'\n]+)'?$/m.exec(readFileSync(paths, 'utf8'))
    : null;
  if (!match) throw new Error('the Temporal CLI is not installed: run `bash scripts/install-temporal.sh`');
  return match[1]!;
}
