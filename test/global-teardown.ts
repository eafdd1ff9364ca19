/**
 * Jest global teardown: scans every history and worker log of the run for the credentials the tests
 * used (test/helpers/suite-secret-scan.ts: any hit fails the run), then stops the dev server that
 * test/global-setup.ts started and removes its database.
 */
import fs from 'node:fs';
import { GLOBAL_STATE_KEY, type TemporalGlobalState } from './global-setup';
import { scanSuite } from './helpers/suite-secret-scan';

async function secretsScan(state: TemporalGlobalState): Promise<void> {
  if (!state.scanDir) return;
  const started = Date.now();
  const scan = await scanSuite(state.env.connection, state.scanDir);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  process.stderr.write(
    `[secrets-scan] ${scan.histories} histories (${mb(scan.historyBytes)} MB, namespaces ${scan.namespaces.join(', ')}) ` +
      `and ${scan.logs} worker logs (${mb(scan.logBytes)} MB) against ${scan.secrets} credentials and the STS key shapes: ` +
      `${scan.hits.length} hits in ${Date.now() - started} ms\n`,
  );
  if (scan.hits.length > 0)
    throw new Error(
      `credentials found in the run's histories or worker logs:\n${scan.hits.slice(0, 50).join('\n')}`,
    );
}

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const state = g[GLOBAL_STATE_KEY] as TemporalGlobalState | undefined;
  if (!state) return;
  delete g[GLOBAL_STATE_KEY];
  try {
    await secretsScan(state);
  } finally {
    const started = Date.now();
    await state.env.teardown();
    fs.rmSync(state.dbDir, { recursive: true, force: true });
    if (state.scanDir) fs.rmSync(state.scanDir, { recursive: true, force: true });
    process.stderr.write(`[global-teardown] Temporal dev server stopped in ${Date.now() - started} ms\n`);
  }
}
