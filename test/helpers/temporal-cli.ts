// A caller with nothing but the `temporal` CLI: runs it against the tests' dev server and reads what
// it prints as such a caller would (raw payloads, search attributes as the server indexed them).
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../src/search-attributes';
import { eventually } from './stack';
import { temporalCliPath, testServerAddress } from './temporal';

/** Runs `temporal <args>` against the dev server; asynchronous so this process's workers keep running. */
export async function temporal(args: string[], timeout = 60_000): Promise<string> {
  const { stdout } = await promisify(execFile)(
    temporalCliPath(),
    [...args, '--address', testServerAddress(), '--namespace', 'default'],
    { timeout, maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout;
}

/**
 * Starts a teardown as a caller in another language would: the request in a JSON file, the id
 * policies our client uses (README, "Call it from any language"). Returns the file's size in bytes.
 */
export async function startTeardownByCli(
  taskQueue: string,
  workflowId: string,
  request: unknown,
): Promise<number> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tcli-')), 'request.json');
  writeFileSync(file, JSON.stringify(request));
  await temporal([
    'workflow',
    'start',
    '--type',
    'teardown',
    '--task-queue',
    taskQueue,
    '--workflow-id',
    workflowId,
    '--input-file',
    file,
    '--id-reuse-policy',
    'RejectDuplicate',
    '--id-conflict-policy',
    'Fail',
  ]);
  return statSync(file).size;
}

/** A payload as `-o json --no-json-shorthand-payloads` prints it (base64 fields). */
export interface RawPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromBase64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64');

/** A raw payload's encoding, its size in bytes and its JSON value. */
export function readPayload(raw: RawPayload): { encoding: string; bytes: number; value: any } {
  const data = fromBase64(raw.data);
  return {
    encoding: fromBase64(raw.metadata?.encoding).toString(),
    bytes: data.length,
    value: JSON.parse(data.toString('utf8')),
  };
}

/** The raw answer of query `type` (with one JSON argument when given). */
export async function queryRaw(workflowId: string, type: string, input?: unknown): Promise<RawPayload> {
  const args = ['workflow', 'query', '-w', workflowId, '--type', type, '-o', 'json'];
  if (input !== undefined) args.push('--input', JSON.stringify(input));
  const answer = JSON.parse(await temporal([...args, '--no-json-shorthand-payloads']));
  return answer.queryResult.payloads[0];
}

/** The raw result of a workflow, waiting for it to complete. */
export async function resultRaw(workflowId: string, timeout = 60_000): Promise<RawPayload> {
  const args = ['workflow', 'result', '-w', workflowId, '-o', 'json', '--no-json-shorthand-payloads'];
  const result = JSON.parse(await temporal(args, timeout));
  return result.closeEvent.workflowExecutionCompletedEventAttributes.result.payloads[0];
}

/** The search attributes the server indexed for a workflow, by name (decoded JSON values). */
export async function searchAttributes(workflowId: string): Promise<Record<string, unknown>> {
  const described = JSON.parse(await temporal(['workflow', 'describe', '-w', workflowId, '-o', 'json']));
  const indexed: Record<string, RawPayload> = described.workflowExecutionInfo.searchAttributes.indexedFields;
  return Object.fromEntries(Object.entries(indexed).map(([name, raw]) => [name, readPayload(raw).value]));
}

/** `Name = value` for a set attribute (a KeywordList matches any of its values), `Name IS NULL` otherwise. */
function condition(name: string, value: unknown): string {
  if (value === undefined) return `${name} IS NULL`;
  return `${name} = ${JSON.stringify(Array.isArray(value) ? value[0] : value)}`;
}

/**
 * `temporal workflow list --query` on each search attribute of the contract (src/search-attributes.ts),
 * with the value the server indexed, finds the workflow; returns each condition used.
 */
export async function listByEverySearchAttribute(workflowId: string): Promise<string[]> {
  const indexed = await searchAttributes(workflowId);
  const used: string[] = [];
  for (const { name } of ALL_SEARCH_ATTRIBUTE_KEYS) {
    const where = condition(name, indexed[name]);
    await eventually(async () => {
      const query = `WorkflowId = "${workflowId}" AND ${where}`;
      const out = await temporal(['workflow', 'list', '--query', query, '-o', 'json']);
      const rows = out.trim() ? JSON.parse(out) : [];
      return rows.length === 1 && rows[0].execution.workflowId === workflowId ? true : undefined;
    }, `the teardown by ${where}`);
    used.push(where);
  }
  return used;
}

/**
 * The answer of update `name` with one JSON argument. `update execute` prints a json/plain answer
 * decoded whatever the flags say; an answer in any other encoding stays a raw payload, read as such.
 */
export async function updateAnswer(
  workflowId: string,
  name: string,
  input: unknown,
): Promise<{ encoding: string; bytes: number; value: any }> {
  const args = ['workflow', 'update', 'execute', '-w', workflowId, '--name', name, '-o', 'json'];
  const { result } = JSON.parse(await temporal([...args, '--input', JSON.stringify(input)]));
  if (result && typeof result === 'object' && 'metadata' in result && 'data' in result)
    return readPayload(result);
  return { encoding: 'json/plain', bytes: Buffer.byteLength(JSON.stringify(result)), value: result };
}
