// Payload encryption end to end (design.md, "Payload encryption"): with TEARDOWN_ENCRYPTION_KEYS set,
// client and worker encrypt every payload, so the server's history (read raw, without any codec)
// holds no resource id, reason or report; after a rotation the worker and client still read the
// histories the old key wrote; a client with no key or the wrong keys gets a clear error.
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dataConverterWithKeys } from '../../src/codec';
import { ENCRYPTED_ENCODING } from '../../src/encryption/aes-gcm-codec';
import { parseKeyRing } from '../../src/encryption/keys';
import { runCli } from '../client/cli-harness';
import { startStack, testId, type Stack } from '../helpers/stack';
import { TEST_NAMESPACE } from '../helpers/temporal';

const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const saved = process.env.TEARDOWN_ENCRYPTION_KEYS;
let stack: Stack;

beforeAll(async () => {
  // The stack's worker and client both use the default data converter, which reads the variable.
  process.env.TEARDOWN_ENCRYPTION_KEYS = k1;
  stack = await startStack({ prefix: 'encrypted' });
});

afterAll(async () => {
  await stack?.stop();
  if (saved === undefined) delete process.env.TEARDOWN_ENCRYPTION_KEYS;
  else process.env.TEARDOWN_ENCRYPTION_KEYS = saved;
});

async function tearDownOne(
  label: string,
): Promise<{ workflowId: string; resourceId: string; reason: string }> {
  const resourceId = `i-bp1plain${randomBytes(6).toString('hex')}`;
  const reason = `reason-plaintext-${randomBytes(6).toString('hex')}`;
  stack.emulator.seed([
    {
      type: KIND,
      region: REGION,
      id: resourceId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
  ]);
  const id = testId(label);
  const { workflowId } = await stack.teardown.startTeardown(id, {
    resources: [{ kind: KIND, region: REGION, ids: [resourceId] }],
    options: { pollInterval: '300ms', deadline: '2m' },
    requestedBy: 'jest',
    reason,
  });
  const report = await stack.teardown.waitForReport(id);
  expect(report.resources.map((r) => [r.id, r.outcome])).toEqual([[resourceId, 'deleted']]);
  return { workflowId, resourceId, reason };
}

/** Every history of the teardown (parent and children) as the server stores it: raw protobuf bytes. */
async function rawHistories(workflowId: string): Promise<Buffer[]> {
  const service = stack.client.workflowService;
  const { executions } = await service.listWorkflowExecutions({
    namespace: TEST_NAMESPACE,
    query: `WorkflowId STARTS_WITH "${workflowId}"`,
  });
  const ids = new Set([workflowId, ...executions.map((e) => e.execution!.workflowId!)]);
  return Promise.all(
    [...ids].map(async (id) => {
      const { history } = await service.getWorkflowExecutionHistory({
        namespace: TEST_NAMESPACE,
        execution: { workflowId: id },
      });
      return Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
    }),
  );
}

/**
 * The payloads of a raw history that are not encrypted, outside search attributes (indexed in clear
 * by design): only what the SDK itself writes should be left (patch markers, trace context headers).
 */
function clearPayloadsIn(history: Buffer): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (node === null || typeof node !== 'object' || key === 'searchAttributes') return;
    const { metadata, data } = node as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
    const encoding = metadata?.encoding && Buffer.from(metadata.encoding).toString('utf8');
    if (encoding !== undefined && encoding !== ENCRYPTED_ENCODING)
      found.push(`${encoding} ${Buffer.from(data ?? []).toString('utf8')}`);
    for (const [k, v] of Object.entries(node)) if (!(v instanceof Uint8Array)) walk(v, k);
  };
  walk(temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.decode(history)));
  return found;
}

const SDK_CLEAR = [
  /^json\/plain \{"id":"[a-z0-9-]+","deprecated":(true|false)\}$/, // patched() markers
  /^json\/plain \{"traceparent":"[0-9a-f-]+"\}$/, // OpenTelemetry context headers
];

it('stores only ciphertext: no resource id, reason or report in the raw histories', async () => {
  const { workflowId, resourceId, reason } = await tearDownOne('enc');
  const histories = await rawHistories(workflowId);
  expect(histories.length).toBeGreaterThan(1); // the parent and its group's child
  for (const raw of histories) {
    expect(raw.includes(resourceId)).toBe(false);
    expect(raw.includes(reason)).toBe(false);
    const clear = clearPayloadsIn(raw).filter((p) => !SDK_CLEAR.some((sdk) => sdk.test(p)));
    expect(clear).toEqual([]);
    expect(raw.includes(ENCRYPTED_ENCODING)).toBe(true);
  }
});

it('reads histories written with the old key after rotating to a new one', async () => {
  process.env.TEARDOWN_ENCRYPTION_KEYS = k1;
  const old = await tearDownOne('enc-old');
  process.env.TEARDOWN_ENCRYPTION_KEYS = `${k2},${k1}`;
  // The result (from the history, through the client) and a query (the worker replays the old history).
  const handle = stack.client.workflow.getHandle(old.workflowId);
  expect((await handle.result()).resources[0].id).toBe(old.resourceId);
  expect((await stack.teardown.getProgress(old.workflowId.replace(/^teardown-/, ''))).status).toBe(
    'completed',
  );
  const fresh = await tearDownOne('enc-new');
  const keyIds = (raw: Buffer) => ['k1', 'k2'].filter((id) => raw.includes(`encryption-key-id\x12\x02${id}`));
  expect(keyIds((await rawHistories(old.workflowId))[0]!)).toEqual(['k1']);
  expect(keyIds((await rawHistories(fresh.workflowId))[0]!)).toContain('k2');
});

it('refuses with a clear error when the key is missing or unknown', async () => {
  process.env.TEARDOWN_ENCRYPTION_KEYS = k1;
  const { workflowId } = await tearDownOne('enc-keys');
  const clientWith = (ring: string | undefined) =>
    new Client({
      connection: stack.client.connection,
      namespace: TEST_NAMESPACE,
      dataConverter: dataConverterWithKeys(ring === undefined ? undefined : parseKeyRing(ring)),
    });
  await expect(clientWith(undefined).workflow.getHandle(workflowId).result()).rejects.toThrow(
    /encrypted with key "k1" but TEARDOWN_ENCRYPTION_KEYS is not set/,
  );
  await expect(clientWith(k2).workflow.getHandle(workflowId).result()).rejects.toThrow(
    /key "k1", which TEARDOWN_ENCRYPTION_KEYS does not hold \(it holds "k2"\)/,
  );
});

it('the teardown CLI without the key says which key it needs', async () => {
  process.env.TEARDOWN_ENCRYPTION_KEYS = k1;
  const { workflowId } = await tearDownOne('enc-cli');
  const id = workflowId.replace(/^teardown-/, '');
  const withKey = await runCli(['status', id, '-o', 'json'], async () => stack.teardown);
  expect(withKey.exitCode).toBe(0);
  delete process.env.TEARDOWN_ENCRYPTION_KEYS;
  const without = await runCli(['status', id, '-o', 'json'], async () => stack.teardown);
  expect(without.exitCode).not.toBe(0);
  expect(String((without.error as Error).message)).toMatch(
    /encrypted with key "k1" but TEARDOWN_ENCRYPTION_KEYS is not set/,
  );
});
