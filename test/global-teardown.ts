/** Jest global teardown: stops the dev server that test/global-setup.ts started and removes its database. */
import fs from 'node:fs';
import { GLOBAL_STATE_KEY, type TemporalGlobalState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const state = g[GLOBAL_STATE_KEY] as TemporalGlobalState | undefined;
  if (!state) return;
  delete g[GLOBAL_STATE_KEY];
  const started = Date.now();
  await state.env.teardown();
  fs.rmSync(state.dbDir, { recursive: true, force: true });
  process.stderr.write(`[global-teardown] Temporal dev server stopped in ${Date.now() - started} ms\n`);
}
