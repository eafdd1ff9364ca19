// The codec server as operators use it: `npm run codec-server` in its own process, and the real
// `temporal` CLI showing an encrypted teardown's history through `--codec-endpoint`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { startCodecServerProcess, type CodecServerProcess } from '../helpers/codec-server-process';
import { startStack, testId, type Stack } from '../helpers/stack';
import { TEST_NAMESPACE, temporalCliPath, testServerAddress } from '../helpers/temporal';

const run = promisify(execFile);
const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const TOKEN = randomBytes(18).toString('base64url');
const saved = process.env.TEARDOWN_ENCRYPTION_KEYS;
let stack: Stack;
let codec: CodecServerProcess;
let workflowId: string;
const resourceId = `i-bp1cli${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  process.env.TEARDOWN_ENCRYPTION_KEYS = KEYS;
  stack = await startStack({ prefix: 'codec-cli' });
  codec = await startCodecServerProcess({ TEARDOWN_ENCRYPTION_KEYS: KEYS, TEARDOWN_CODEC_TOKEN: TOKEN });
  stack.emulator.seed([
    {
      type: KIND,
      region: REGION,
      id: resourceId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
  ]);
  const id = testId('codec-cli');
  workflowId = (
    await stack.teardown.startTeardown(id, {
      resources: [{ kind: KIND, region: REGION, ids: [resourceId] }],
      options: { pollInterval: '300ms', deadline: '2m' },
      requestedBy: 'jest',
    })
  ).workflowId;
  await stack.teardown.waitForReport(id);
});

afterAll(async () => {
  await codec?.stop();
  await stack?.stop();
  if (saved === undefined) delete process.env.TEARDOWN_ENCRYPTION_KEYS;
  else process.env.TEARDOWN_ENCRYPTION_KEYS = saved;
});

interface Shown {
  /** The encodings of every payload in the history the CLI printed. */
  encodings: Set<string>;
  /** Their data, base64-decoded and joined. */
  data: string;
}

/** `temporal workflow show -o json` (payloads in proto JSON: base64), read back. */
async function show(...flags: string[]): Promise<Shown> {
  const args = [
    'workflow',
    'show',
    '-w',
    workflowId,
    '--address',
    testServerAddress(),
    '--namespace',
    TEST_NAMESPACE,
  ];
  const { stdout } = await run(temporalCliPath(), [...args, '-o', 'json', ...flags], { maxBuffer: 64 << 20 });
  const shown: Shown = { encodings: new Set(), data: '' };
  const walk = (node: unknown, key?: string): void => {
    if (node === null || typeof node !== 'object' || key === 'searchAttributes') return;
    const { metadata, data } = node as { metadata?: { encoding?: unknown }; data?: unknown };
    if (typeof metadata?.encoding === 'string' && typeof data === 'string') {
      shown.encodings.add(Buffer.from(metadata.encoding, 'base64').toString('utf8'));
      shown.data += Buffer.from(data, 'base64').toString('utf8');
    }
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(JSON.parse(stdout));
  return shown;
}

it('shows ciphertext without the codec server', async () => {
  const shown = await show();
  expect(shown.encodings).toContain('binary/encrypted');
  expect(shown.data).not.toContain(resourceId);
});

it('shows the decoded payloads through the codec server', async () => {
  const shown = await show('--codec-endpoint', codec.url, '--codec-auth', `Bearer ${TOKEN}`);
  expect(shown.data).toContain(resourceId);
  expect(shown.encodings).not.toContain('binary/encrypted');
  expect(shown.encodings).toContain('json/plain');
});

it('refuses a wrong token: the CLI shows nothing decoded', async () => {
  const failure = await show(
    '--codec-endpoint',
    codec.url,
    '--codec-auth',
    'Bearer wrong-token-0123456789',
  ).then(
    () => undefined,
    (err: { stdout?: string; stderr?: string }) => err,
  );
  expect(failure).toBeDefined();
  // The CLI retries the 401s until its deadline, then fails ("context deadline exceeded").
  expect(`${failure!.stdout}${failure!.stderr}`).not.toContain(resourceId);
  expect(codec.output()).toMatch(/POST \/decode 401: wrong bearer token/);
});
