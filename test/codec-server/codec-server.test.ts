// The codec server over HTTP, without Temporal: the protocol's encode/decode round trip, zod at the
// boundary, CORS for the UI's origin only, and the bearer token.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { startCodecServer, type CodecServer } from '../../src/codec-server/server';
import { loadCodecServerSettings } from '../../src/codec-server/settings';
import { fromJsonPayload, toJsonPayload } from '../../src/codec-server/protocol';
import { parseKeyRing } from '../../src/encryption/keys';

const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const TOKEN = 'test-token-0123456789abcdef';
const UI = 'http://127.0.0.1:8233';
let server: CodecServer;
const errors: string[] = [];

beforeAll(async () => {
  server = await startCodecServer({
    host: '127.0.0.1',
    port: 0,
    corsOrigins: [UI],
    token: TOKEN,
    ring: parseKeyRing(KEYS),
    onError: (m) => errors.push(m),
  });
});
afterAll(() => server?.close());

const value = { resources: [{ id: 'i-plain-0001' }] };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-namespace': 'default',
      authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

it('encodes to ciphertext and decodes it back, in the protocol JSON', async () => {
  const plain = toJsonPayload(defaultPayloadConverter.toPayload(value));
  const encoded = await post('/encode', { payloads: [plain] });
  expect(encoded.status).toBe(200);
  const { payloads: sealed } = (await encoded.json()) as { payloads: [{ metadata: Record<string, string> }] };
  expect(Buffer.from(sealed[0].metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(JSON.stringify(sealed)).not.toContain(Buffer.from('i-plain-0001').toString('base64').slice(0, 12));
  const decoded = await post('/decode', { payloads: sealed });
  expect(decoded.status).toBe(200);
  const { payloads } = (await decoded.json()) as { payloads: [Parameters<typeof fromJsonPayload>[0]] };
  expect(defaultPayloadConverter.fromPayload(fromJsonPayload(payloads[0]))).toEqual(value);
});

it('refuses a missing or wrong bearer token', async () => {
  const plain = { payloads: [toJsonPayload(defaultPayloadConverter.toPayload(value))] };
  const none = await post('/decode', plain, { authorization: '' });
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toBe('Bearer');
  expect(await none.json()).toEqual({ message: 'needs Authorization: Bearer <token>' });
  const wrong = await post('/decode', plain, { authorization: `Bearer ${TOKEN}x` });
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).not.toContain(TOKEN);
});

it('answers the UI origin preflight, and no other', async () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
  const ok = await preflight(UI);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
  expect(ok.headers.get('access-control-allow-headers')).toContain('x-namespace');
  expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
  const other = await preflight('http://evil.example');
  expect(other.status).toBe(403);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const answer = await post('/decode', { payloads: [] }, { origin: UI });
  expect(answer.headers.get('access-control-allow-origin')).toBe(UI);
});

it('says what is wrong with a bad request', async () => {
  expect(await (await post('/decode', '{')).json()).toEqual({
    message: 'body is not JSON (expected {"payloads":[...]})',
  });
  const bad = await post('/decode', { payloads: [{ data: 'not base64!' }] });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ message: 'payloads[0].data: must be base64' });
  expect((await post('/decode', { nothing: 1 })).status).toBe(400);
  expect((await post('/elsewhere', { payloads: [] })).status).toBe(404);
  const other = parseKeyRing(`k9:${randomBytes(32).toString('base64')}`);
  const { encryptPayload } = await import('../../src/encryption/aes-gcm-codec');
  const foreign = toJsonPayload(encryptPayload(defaultPayloadConverter.toPayload(value), other));
  const refused = await post('/decode', { payloads: [foreign] });
  expect(refused.status).toBe(422);
  expect(((await refused.json()) as { message: string }).message).toMatch(
    /key "k9", which TEARDOWN_ENCRYPTION_KEYS does not hold/,
  );
  expect(errors.some((e) => e.startsWith('POST /decode 422'))).toBe(true);
});

it('reads its settings from the environment, with clear errors', () => {
  const env = { TEARDOWN_ENCRYPTION_KEYS: KEYS };
  expect(loadCodecServerSettings(env)).toMatchObject({ host: '127.0.0.1', port: 8888, token: undefined });
  expect(
    loadCodecServerSettings({
      ...env,
      TEARDOWN_CODEC_ADDRESS: '0.0.0.0:9000',
      TEARDOWN_CODEC_CORS_ORIGINS: 'https://ui.example:8443, *',
    }),
  ).toMatchObject({ host: '0.0.0.0', port: 9000, corsOrigins: ['https://ui.example:8443', '*'] });
  expect(() => loadCodecServerSettings({})).toThrow(/TEARDOWN_ENCRYPTION_KEYS is not set/);
  expect(() => loadCodecServerSettings({ ...env, TEARDOWN_CODEC_CORS_ORIGINS: 'http://ui/path' })).toThrow(
    /TEARDOWN_CODEC_CORS_ORIGINS: origin 1 "http:\/\/ui\/path" must be scheme/,
  );
  expect(() => loadCodecServerSettings({ ...env, TEARDOWN_CODEC_TOKEN: 'short' })).toThrow(
    /TEARDOWN_CODEC_TOKEN: must be at least 16/,
  );
  expect(() => loadCodecServerSettings({ ...env, TEARDOWN_CODEC_ADDRESS: 'nope' })).toThrow(
    /TEARDOWN_CODEC_ADDRESS/,
  );
});
