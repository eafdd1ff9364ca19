/**
 * Temporal plumbing for tests.
 *
 * `test/global-setup.ts` starts ONE dev server (Temporal CLI, SQLite, the six search attributes of design.md §2)
 * and bundles `src/workflows/index.ts` once; it publishes both through the environment, which every jest worker
 * inherits:
 *   TEMPORAL_TEST_ADDRESS     host:port of the dev server's frontend (namespace `default`)
 *   TEMPORAL_TEST_UI_URL      its web UI (for browser tests)
 *   TEMPORAL_WORKFLOW_BUNDLE  path of the prebuilt workflow bundle (absent when src/workflows/index.ts is)
 *
 * Typical integration test:
 *   const { client, connection } = await connectTestClient();
 *   const nativeConnection = await testNativeConnection();
 *   const taskQueue = uniqueTaskQueue('teardown');
 *   const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities });
 *   ... worker.runUntil(client.workflow.execute(...)) ...
 *   await connection.close(); await nativeConnection.close();
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { TestWorkflowEnvironment, type DevServerConfig } from '@temporalio/testing';
import type { LogLevel } from '@temporalio/common';
import { teardownDataConverter } from '../../src/codec';
import {
  accountsKey,
  blockedOnKey,
  failedCountKey,
  kindsKey,
  requestedByKey,
  resourceCountKey,
  statusKey,
} from '../../src/search-attributes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Written by scripts/install-temporal.sh. */
export const PATHS_ENV_FILE = path.join(REPO_ROOT, '.tools', 'paths.env');
export const WORKFLOWS_INDEX = path.join(REPO_ROOT, 'src', 'workflows', 'index.ts');
export const WORKFLOW_BUNDLE_FILE = path.join(REPO_ROOT, '.tmp', 'workflow-bundle.js');
export const TEST_NAMESPACE = 'default';

/** The search attributes of the public contract, registered on every server the tests start. */
export const TEARDOWN_SEARCH_ATTRIBUTE_KEYS: NonNullable<DevServerConfig['searchAttributes']> = [
  statusKey,
  kindsKey,
  resourceCountKey,
  failedCountKey,
  requestedByKey,
  blockedOnKey,
  accountsKey,
];

/**
 * Workers and the SDK runtime log at ERROR in tests (WARN prints every expected activity failure); set
 * TEMPORAL_TEST_LOG_LEVEL=INFO|DEBUG|TRACE to see more. Runs once per jest module registry, before any Worker.
 */
function installTestRuntime(): void {
  if (Runtime._instance !== undefined) return;
  const level = (process.env.TEMPORAL_TEST_LOG_LEVEL ?? 'ERROR').toUpperCase() as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already instantiated by code that ran before this module: keep that runtime.
  }
}
installTestRuntime();

const SETUP_HINT = 'run `bash scripts/install-temporal.sh` (or `npm run setup`)';

/** Parses .tools/paths.env (KEY='value' lines). Missing file → {}. */
export function readPathsEnv(file: string = PATHS_ENV_FILE): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(?:'(.*)'|"(.*)"|(.*))$/.exec(line.trim());
    if (m) out[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

function resolveExecutable(envName: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH', what: string): string {
  const fromEnv = process.env[envName];
  const candidate = fromEnv || readPathsEnv()[envName];
  if (!candidate) {
    throw new Error(
      `${what} not found: ${envName} is unset and ${PATHS_ENV_FILE} has no ${envName}; ${SETUP_HINT}`,
    );
  }
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
  } catch {
    throw new Error(
      `${what} at ${candidate} (from ${fromEnv ? `env ${envName}` : PATHS_ENV_FILE}) is not executable; ${SETUP_HINT}`,
    );
  }
  return candidate;
}

/** The Temporal CLI (dev server): env TEMPORAL_CLI_PATH, else .tools/paths.env. */
export function temporalCliPath(): string {
  return resolveExecutable('TEMPORAL_CLI_PATH', 'Temporal CLI');
}

/** The time-skipping test server: env TEMPORAL_TEST_SERVER_PATH, else .tools/paths.env. */
export function temporalTestServerPath(): string {
  return resolveExecutable('TEMPORAL_TEST_SERVER_PATH', 'Temporal time-skipping test server');
}

/** Address of the shared dev server started by test/global-setup.ts. */
export function testServerAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) {
    throw new Error(
      'TEMPORAL_TEST_ADDRESS is unset: this test needs the Temporal dev server that test/global-setup.ts starts; ' +
        'run it with the default jest config (`npx jest`), not jest.unit.config.js',
    );
  }
  return address;
}

/** Web UI of the shared dev server, e.g. http://127.0.0.1:41234. */
export function testServerUiUrl(): string {
  const url = process.env.TEMPORAL_TEST_UI_URL;
  if (!url)
    throw new Error('TEMPORAL_TEST_UI_URL is unset: the global setup did not start the dev server UI');
  return url;
}

/** A client for the shared dev server. Close `connection` when done. */
export async function connectTestClient(): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: testServerAddress() });
  const client = new Client({ connection, namespace: TEST_NAMESPACE, dataConverter: teardownDataConverter });
  return { connection, client };
}

/** A worker connection to the shared dev server. Close it when done. */
export async function testNativeConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: testServerAddress() });
}

/** The workflow bundle prebuilt by the global setup, for `Worker.create({ workflowBundle })`. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.TEMPORAL_WORKFLOW_BUNDLE;
  if (!codePath) {
    throw new Error(
      `TEMPORAL_WORKFLOW_BUNDLE is unset: the global setup bundles ${path.relative(REPO_ROOT, WORKFLOWS_INDEX)} ` +
        '(skipped when that file is absent, and not run at all under jest.unit.config.js)',
    );
  }
  if (!fs.existsSync(codePath)) throw new Error(`workflow bundle ${codePath} is missing`);
  return { codePath };
}

/** A task queue no other test (or earlier run against a persistent server) uses. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Starts a private time-skipping test server from the installed binary (never a download).
 * Time skipping is global to the server, so use one per test file (or per test) and `await env.teardown()`.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}
