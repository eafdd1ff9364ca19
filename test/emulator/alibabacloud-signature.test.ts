// Alibaba signatures against the real @alicloud/openapi-client: ACS3-HMAC-SHA256 (the SDK's
// default), the SDK's own RPC HMAC-SHA1 mode, and hand-signed RPC HMAC-SHA1 requests.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { rpcStringToSign } from '../../src/emulator/alibabacloud/family';
import { alibabaSdk, callAlibabaRpc, closeServer, listen, useEmulator } from '../helpers/provider-harness';

const REGION = 'cn-hangzhou';
const INSTANCE = 'i-sig0000000001';

const describeQuery = { RegionId: REGION, InstanceIds: JSON.stringify([INSTANCE]) };

/** DescribeInstances of the seeded instance, its parameters in the query (or in the form body). */
const describeInstances = (client: OpenApi, where: 'query' | 'body' = 'query') =>
  where === 'query'
    ? callAlibabaRpc(client, 'DescribeInstances', describeQuery)
    : callAlibabaRpc(client, 'DescribeInstances', {}, { body: describeQuery });

/** One byte changed. */
function flip(s: string, at = 3): string {
  return s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
}

const em = useEmulator();
beforeEach(() => {
  em.seed([{ type: 'alibabacloud.ecs.instance', id: INSTANCE, region: REGION }]);
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('ACS3-HMAC-SHA256 (the SDK default)', () => {
  it('accepts a request the SDK signs', async () => {
    const res = await describeInstances(alibabaSdk(em.endpoint, em.accounts.alibabacloud));
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.body.TotalCount).toBe(1);
    expect(typeof res.body.RequestId).toBe('string');
  });

  it('accepts a signed form body (params in the body)', async () => {
    const res = await describeInstances(alibabaSdk(em.endpoint, em.accounts.alibabacloud), 'body');
    expect(res.ok).toBe(true);
    expect(res.body.TotalCount).toBe(1);
  });

  it('refuses a secret one byte off with SignatureDoesNotMatch and the server string to sign', async () => {
    const { accessKeyId, accessKeySecret } = em.accounts.alibabacloud;
    const res = await describeInstances(
      alibabaSdk(em.endpoint, { accessKeyId, accessKeySecret: flip(accessKeySecret) }),
    );
    expect(res.ok).toBe(false);
    expect(res.status).toBe(400);
    expect(res.code).toBe('SignatureDoesNotMatch');
    expect(String(res.body.Message)).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
    expect(Object.keys(res.body).sort()).toEqual([
      'Code',
      'HostId',
      'Message',
      'Recommend',
      'RequestId',
      'statusCode',
    ]);
  });

  it('refuses an unknown access key with InvalidAccessKeyId.NotFound (404)', async () => {
    const res = await describeInstances(
      alibabaSdk(em.endpoint, { accessKeyId: 'LTAI5tNobodyHere000000', accessKeySecret: 'x' }),
    );
    expect(res.code).toBe('InvalidAccessKeyId.NotFound');
    expect(res.status).toBe(404);
  });

  it('refuses an old x-acs-date with InvalidTimeStamp.Expired, and accepts it with a wider skew', async () => {
    const old = new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    jest.spyOn(OpenApiUtil, 'getTimestamp').mockReturnValue(old);
    const client = alibabaSdk(em.endpoint, em.accounts.alibabacloud);
    const res = await describeInstances(client);
    expect(res.code).toBe('InvalidTimeStamp.Expired');
    expect(res.status).toBe(400);

    em.setSettings({ clockSkewSeconds: 3600 });
    const later = await describeInstances(client);
    expect(later.ok).toBe(true);
  });

  it('refuses a date in the future beyond the skew too', async () => {
    const future = new Date(Date.now() + 20 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    jest.spyOn(OpenApiUtil, 'getTimestamp').mockReturnValue(future);
    const res = await describeInstances(alibabaSdk(em.endpoint, em.accounts.alibabacloud));
    expect(res.code).toBe('InvalidTimeStamp.Expired');
  });

  describe('requests altered after signing (through a forwarding proxy)', () => {
    let proxy: Server;
    let proxyEndpoint: string;
    const viaProxy = () => alibabaSdk(proxyEndpoint, em.accounts.alibabacloud);
    let mutate: (r: { path: string; headers: IncomingHttpHeaders; body: Buffer }) => void = () => undefined;
    let sendTwice = false;
    const answers: Array<{ status: number; body: Record<string, unknown> }> = [];

    function forward(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) {
      // The SDK streams bodies chunked; re-send them with a plain length.
      const { 'transfer-encoding': _chunked, ...plain } = headers;
      return new Promise<{ status: number; text: string }>((resolve, reject) => {
        const up = httpRequest(
          {
            host: em.host,
            port: em.port,
            method,
            path,
            headers: { ...plain, 'content-length': String(body.length) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        up.on('error', reject);
        up.end(body);
      });
    }

    beforeAll(async () => {
      proxy = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          const r = { path: req.url ?? '/', headers: { ...req.headers }, body: Buffer.concat(chunks) };
          mutate(r);
          let last = await forward(req.method ?? 'GET', r.path, r.headers, r.body);
          answers.push({ status: last.status, body: JSON.parse(last.text) });
          if (sendTwice) {
            last = await forward(req.method ?? 'GET', r.path, r.headers, r.body);
            answers.push({ status: last.status, body: JSON.parse(last.text) });
          }
          res.writeHead(last.status, { 'content-type': 'application/json' });
          res.end(last.text);
        });
      });
      proxyEndpoint = await listen(proxy);
    });
    afterAll(() => closeServer(proxy));
    beforeEach(() => {
      mutate = () => undefined;
      sendTwice = false;
      answers.length = 0;
    });

    it('passes an untouched request through the proxy', async () => {
      const res = await describeInstances(viaProxy());
      expect(res.ok).toBe(true);
      expect(res.body.TotalCount).toBe(1);
    });

    it('refuses a query parameter changed after signing', async () => {
      mutate = (r) => {
        // one byte of the InstanceIds value
        r.path = r.path.replace('i-sig0000000001', 'i-sig0000000002');
      };
      const res = await describeInstances(viaProxy());
      expect(res.code).toBe('SignatureDoesNotMatch');
      expect(res.status).toBe(400);
    });

    it('refuses a form body changed after signing', async () => {
      mutate = (r) => {
        r.body = Buffer.from(r.body.toString('utf8').replace('cn-hangzhou', 'cn-shanghai'));
      };
      const res = await describeInstances(viaProxy(), 'body');
      expect(res.code).toBe('SignatureDoesNotMatch');
      expect(String(res.body.Message)).toContain('x-acs-content-sha256');
    });

    it('refuses a replayed request with SignatureNonceUsed', async () => {
      sendTwice = true;
      const res = await describeInstances(viaProxy());
      expect(answers[0].status).toBe(200);
      expect(answers[1].status).toBe(400);
      expect(answers[1].body.Code).toBe('SignatureNonceUsed');
      expect(res.code).toBe('SignatureNonceUsed');
    });

    it('refuses a request whose Authorization lost a signed header with IncompleteSignature', async () => {
      mutate = (r) => {
        r.headers.authorization = String(r.headers.authorization).replace('x-acs-date;', '');
      };
      const res = await describeInstances(viaProxy());
      expect(res.code).toBe('IncompleteSignature');
      expect(res.status).toBe(400);
    });
  });
});

describe('RPC HMAC-SHA1', () => {
  function percentEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }

  /** The standard algorithm, written independently of the emulator's implementation. */
  function signRpc(method: string, params: Record<string, string>, secret: string): string {
    const canonical = Object.keys(params)
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
      .join('&');
    const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
    return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  }

  function rpcParams(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Action: 'DescribeInstances',
      Version: '2014-05-26',
      Format: 'JSON',
      AccessKeyId: em.accounts.alibabacloud.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      RegionId: REGION,
      InstanceIds: JSON.stringify([INSTANCE]),
      ...extra,
    };
  }

  async function send(method: 'GET' | 'POST', params: Record<string, string>) {
    const encoded = new URLSearchParams(params).toString();
    const res =
      method === 'GET'
        ? await fetch(`${em.url}/?${encoded}`)
        : await fetch(`${em.url}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: encoded,
          });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('signs like the SDK does (cross-check of the signer in this test)', () => {
    const params = rpcParams();
    expect(signRpc('GET', params, 'secret')).toBe(OpenApiUtil.getRPCSignature(params, 'GET', 'secret'));
  });

  it('accepts a hand-signed GET and a hand-signed form POST', async () => {
    const secret = em.accounts.alibabacloud.accessKeySecret;
    const get = rpcParams();
    const okGet = await send('GET', { ...get, Signature: signRpc('GET', get, secret) });
    expect(okGet.status).toBe(200);
    expect(okGet.body.TotalCount).toBe(1);

    const post = rpcParams();
    const okPost = await send('POST', { ...post, Signature: signRpc('POST', post, secret) });
    expect(okPost.status).toBe(200);
    expect(okPost.body.TotalCount).toBe(1);
  });

  it('refuses a tampered request with SignatureDoesNotMatch and the server string to sign', async () => {
    const params = rpcParams();
    const signature = signRpc('GET', params, em.accounts.alibabacloud.accessKeySecret);
    const tampered = { ...params, RegionId: 'cn-shanghai', Signature: signature };
    const res = await send('GET', tampered);
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('SignatureDoesNotMatch');
    const { Signature: _sig, ...signedTampered } = tampered;
    expect(res.body.Message).toBe(
      `Specified signature is not matched with our calculation. server string to sign is:${rpcStringToSign('GET', signedTampered)}`,
    );
  });

  it('refuses a reused nonce, an old timestamp and a missing signature', async () => {
    const secret = em.accounts.alibabacloud.accessKeySecret;
    const params = rpcParams();
    const signed = { ...params, Signature: signRpc('GET', params, secret) };
    expect((await send('GET', signed)).status).toBe(200);
    const again = await send('GET', signed);
    expect(again.body.Code).toBe('SignatureNonceUsed');
    expect(again.status).toBe(400);

    const old = rpcParams({ Timestamp: '2020-01-01T00:00:00Z' });
    const expired = await send('GET', { ...old, Signature: signRpc('GET', old, secret) });
    expect(expired.body.Code).toBe('InvalidTimeStamp.Expired');

    const unsigned = await send('GET', rpcParams());
    expect(unsigned.body.Code).toBe('IncompleteSignature');
    expect(unsigned.status).toBe(400);
  });

  it('accepts the SDK in its RPC v2 (HMAC-SHA1) mode and refuses it with a wrong secret', async () => {
    const { accessKeyId, accessKeySecret } = em.accounts.alibabacloud;
    const good = await describeInstances(
      alibabaSdk(em.endpoint, { accessKeyId, accessKeySecret }, { signatureAlgorithm: 'v2' }),
    );
    expect(good.ok).toBe(true);
    expect(good.body.TotalCount).toBe(1);

    const bad = await describeInstances(
      alibabaSdk(
        em.endpoint,
        { accessKeyId, accessKeySecret: flip(accessKeySecret) },
        { signatureAlgorithm: 'v2' },
      ),
    );
    expect(bad.code).toBe('SignatureDoesNotMatch');
    expect(String(bad.body.Message)).toContain('server string to sign is:POST&%2F&AccessKeyId');
  });
});
