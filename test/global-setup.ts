/**
 * Jest global setup (jest.config.js): one Temporal dev server and one workflow bundle for the whole run.
 * Publishes TEMPORAL_TEST_ADDRESS, TEMPORAL_TEST_UI_URL and TEMPORAL_WORKFLOW_BUNDLE; jest workers are forked
 * after this runs and inherit them (see test/helpers/temporal.ts). test/global-teardown.ts stops the server.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../src/observability/workflow-modules';
import {
  REPO_ROOT,
  TEARDOWN_SEARCH_ATTRIBUTE_KEYS,
  TEST_NAMESPACE,
  WORKFLOW_BUNDLE_FILE,
  WORKFLOWS_INDEX,
  temporalCliPath,
} from './helpers/temporal';

export interface TemporalGlobalState {
  env: TestWorkflowEnvironment;
  dbDir: string;
  /** Where worker logs and learned secrets gather for the secrets scan (test/helpers/suite-secret-scan.ts). */
  scanDir?: string;
}
/** Shared with global-teardown.ts (both run in jest's parent process). */
export const GLOBAL_STATE_KEY = '__cloudTeardownTemporal__';

function log(msg: string): void {
  process.stderr.write(`[global-setup] ${msg}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startDevServer(): Promise<void> {
  const started = Date.now();
  const cli = temporalCliPath();
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-teardown-temporal-'));
  const uiPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      namespace: TEST_NAMESPACE,
      ip: '127.0.0.1',
      ui: true,
      uiPort,
      dbFilename: path.join(dbDir, 'temporal.db'),
      searchAttributes: TEARDOWN_SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'error' },
    },
  });
  const scanDir = prepareSecretsScan();
  (globalThis as Record<string, unknown>)[GLOBAL_STATE_KEY] = {
    env,
    dbDir,
    scanDir,
  } satisfies TemporalGlobalState;
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  process.env.TEMPORAL_TEST_NAMESPACE = TEST_NAMESPACE;
  process.env.TEMPORAL_TEST_UI_URL = `http://127.0.0.1:${uiPort}`;
  log(
    `Temporal dev server ${env.address} (UI ${process.env.TEMPORAL_TEST_UI_URL}, db ${dbDir}) ` +
      `started in ${Date.now() - started} ms from ${cli}`,
  );
}

/**
 * Every worker process the tests start (they inherit NODE_OPTIONS) copies its output under the scan
 * directory (test/helpers/log-tee.cjs), and every test file records the secrets its in-process
 * workers learned (test/helpers/record-secrets.ts); the global teardown scans them with every history.
 */
function prepareSecretsScan(): string {
  const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-teardown-scan-'));
  process.env.TEARDOWN_TEST_SCAN_DIR = scanDir;
  const tee = `--require ${path.join(__dirname, 'helpers', 'log-tee.cjs')}`;
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, tee].filter(Boolean).join(' ');
  return scanDir;
}

async function bundleWorkflows(): Promise<void> {
  if (!fs.existsSync(WORKFLOWS_INDEX)) {
    log(`${path.relative(REPO_ROOT, WORKFLOWS_INDEX)} does not exist: skipping the workflow bundle`);
    delete process.env.TEMPORAL_WORKFLOW_BUNDLE;
    return;
  }
  const started = Date.now();
  // Imported lazily: loading the bundler (webpack) costs time that runs without workflows should not pay.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_INDEX),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietLogger,
  });
  fs.mkdirSync(path.dirname(WORKFLOW_BUNDLE_FILE), { recursive: true });
  // Write-then-rename: another jest run in the same checkout may be reading the previous bundle.
  const tmp = `${WORKFLOW_BUNDLE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, WORKFLOW_BUNDLE_FILE);
  process.env.TEMPORAL_WORKFLOW_BUNDLE = WORKFLOW_BUNDLE_FILE;
  log(
    `bundled ${path.relative(REPO_ROOT, WORKFLOWS_INDEX)} → ${path.relative(REPO_ROOT, WORKFLOW_BUNDLE_FILE)} ` +
      `(${Math.round(code.length / 1024)} KiB) in ${Date.now() - started} ms`,
  );
}

/** The bundler logs every step at info; keep warnings and errors only. */
const quietLogger = {
  log: (level: string, message: string, meta?: Record<string, unknown>) => {
    if (level === 'WARN' || level === 'ERROR')
      log(`bundler ${level}: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  },
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => quietLogger.log('WARN', message, meta),
  error: (message: string, meta?: Record<string, unknown>) => quietLogger.log('ERROR', message, meta),
};

export default async function globalSetup(): Promise<void> {
  // Independent: the server mostly waits on its process, the bundler is CPU-bound.
  const results = await Promise.allSettled([startDevServer(), bundleWorkflows()]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    const state = (globalThis as Record<string, unknown>)[GLOBAL_STATE_KEY] as
      | TemporalGlobalState
      | undefined;
    await state?.env.teardown();
    throw failed[0].reason;
  }
}
