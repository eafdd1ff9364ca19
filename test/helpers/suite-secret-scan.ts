// The secrets scan at the end of every server and reliability run (test/global-teardown.ts): every
// workflow history of every namespace of the run's dev server, read raw, and every worker log the
// run wrote (test/helpers/log-tee.cjs), searched for every credential the tests used
// (test/helpers/test-credentials.ts, plus the temporary keys in-process workers learned:
// test/helpers/record-secrets.ts). Any hit fails the run.
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { findSecrets, type Secret, type SecretHit } from './secret-scan';
import { TEST_CREDENTIALS, TEST_CREDENTIAL_PATTERNS } from './test-credentials';

export interface SuiteScan {
  namespaces: string[];
  histories: number;
  historyBytes: number;
  logs: number;
  logBytes: number;
  secrets: number;
  /** "where: name (form)" per hit; empty means clean. */
  hits: string[];
}

type Service = Connection['workflowService'];

function learnedSecrets(scanDir: string): Secret[] {
  const dir = path.join(scanDir, 'secrets');
  if (!fs.existsSync(dir)) return [];
  const values = new Set<string>();
  for (const file of fs.readdirSync(dir))
    for (const v of JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as string[]) values.add(v);
  return [...values].map((value, i) => ({ name: `runtime secret #${i + 1} (${value.length} chars)`, value }));
}

async function executions(service: Service, namespace: string, query = '') {
  const found: temporal.api.common.v1.IWorkflowExecution[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await service.listWorkflowExecutions({ namespace, pageSize: 1000, nextPageToken, query });
    for (const e of page.executions) if (e.execution) found.push(e.execution);
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return found;
}

/** Events a history page asks for: large first (few calls), smaller for a page over gRPC's 4 MB limit. */
const HISTORY_PAGE_EVENTS = [200, 20, 1] as const;
/** gRPC's status for a message over the receive limit. */
const RESOURCE_EXHAUSTED = 8;

async function rawHistory(
  service: Service,
  namespace: string,
  execution: temporal.api.common.v1.IWorkflowExecution,
) {
  const chunks: Buffer[] = [];
  let nextPageToken: Uint8Array | undefined;
  const pageOf = async (maximumPageSize: number) =>
    service.getWorkflowExecutionHistory({ namespace, execution, nextPageToken, maximumPageSize });
  const fittingPage = async (sizes: readonly number[]): Promise<Awaited<ReturnType<typeof pageOf>>> =>
    pageOf(sizes[0]!).catch((err: { code?: number }) => {
      if (err.code !== RESOURCE_EXHAUSTED || sizes.length === 1) throw err;
      return fittingPage(sizes.slice(1));
    });
  do {
    const page = await fittingPage(HISTORY_PAGE_EVENTS);
    if (page.history) chunks.push(Buffer.from(temporal.api.history.v1.History.encode(page.history).finish()));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return Buffer.concat(chunks);
}

const describeHit = (where: string, hit: SecretHit) => `${where}: ${hit.name} (${hit.form} at ${hit.offset})`;

/**
 * `extra`: more secrets to look for; `query`: only the histories it lists (the scan's own test
 * plants one of each and reads its own workflow, not every history of the run so far).
 */
export async function scanSuite(
  connection: Connection,
  scanDir: string,
  extra: readonly Secret[] = [],
  query = '',
): Promise<SuiteScan> {
  const service = connection.workflowService;
  const secrets = [...TEST_CREDENTIALS, ...learnedSecrets(scanDir), ...extra];
  const scan = (text: string) => findSecrets(text, secrets, TEST_CREDENTIAL_PATTERNS);
  const { namespaces } = await service.listNamespaces({ pageSize: 100 });
  const names = namespaces
    .map((n) => n.namespaceInfo?.name ?? '')
    .filter((n) => n && n !== 'temporal-system');
  const result: SuiteScan = {
    namespaces: names,
    histories: 0,
    historyBytes: 0,
    logs: 0,
    logBytes: 0,
    secrets: secrets.length,
    hits: [],
  };
  for (const namespace of names) {
    const all = await executions(service, namespace, query);
    // A few at a time: the dev server is the run's, and the machine is shared.
    for (let i = 0; i < all.length; i += 8) {
      await Promise.all(
        all.slice(i, i + 8).map(async (execution) => {
          const raw = await rawHistory(service, namespace, execution);
          result.histories++;
          result.historyBytes += raw.length;
          const where = `${namespace}/${execution.workflowId}`;
          result.hits.push(...scan(raw.toString('latin1')).map((hit) => describeHit(where, hit)));
        }),
      );
    }
  }
  const logDir = path.join(scanDir, 'logs');
  for (const file of fs.existsSync(logDir) ? fs.readdirSync(logDir) : []) {
    const text = fs.readFileSync(path.join(logDir, file), 'utf8');
    result.logs++;
    result.logBytes += text.length;
    result.hits.push(...scan(text).map((hit) => describeHit(`log ${file}`, hit)));
  }
  return result;
}
