// The shared Tencent wiring: endpoint resolution and how whatever the SDK throws becomes a
// classified ProviderError (API errors, non-200 answers, malformed bodies, network failures).
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import {
  TENCENT_COMMON_ERRORS,
  callTencent,
  makeTencentClassifier,
  resolveEndpoint,
  type TencentProduct,
} from '../../src/providers/tencentcloud/client';
import type { CallContext } from '../../src/providers/types';
import { captureProviderError, closeServer, deadEndpoint, listen } from '../helpers/provider-harness';

const PRODUCT: TencentProduct = {
  service: 'gaap',
  version: '2018-05-29',
  classify: makeTencentClassifier({}),
};

type Reply = { status: number; body: string; delayMs?: number };
let reply: Reply;
let server: Server;
let endpoint: string;
const bodies: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      const send = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  endpoint = await listen(server);
});
afterAll(() => closeServer(server));

function ctx(overrides: Partial<CallContext> = {}): CallContext {
  return {
    credentials: { accessKeyId: 'AKIDx', accessKeySecret: 'secret' },
    endpoint,
    timeoutMs: 2_000,
    ...overrides,
  };
}

const anySchema = z.object({ Value: z.number() });

describe('resolveEndpoint', () => {
  test('no endpoint: the real public endpoint over HTTPS', () => {
    expect(resolveEndpoint({ ...ctx(), endpoint: undefined }, 'ms')).toEqual({
      endpoint: 'ms.tencentcloudapi.com',
      protocol: 'https://',
    });
  });
  test('bare host:port is plain HTTP; a scheme is kept', () => {
    expect(resolveEndpoint(ctx({ endpoint: '127.0.0.1:4566' }), 'ms')).toEqual({
      endpoint: '127.0.0.1:4566',
      protocol: 'http://',
    });
    expect(resolveEndpoint(ctx({ endpoint: 'https://proxy.local:8443/' }), 'ms')).toEqual({
      endpoint: 'proxy.local:8443',
      protocol: 'https://',
    });
  });
  test('anything else is a permanent InvalidEndpoint', () => {
    expect(() => resolveEndpoint(ctx({ endpoint: 'ftp://x/y' }), 'ms')).toThrow(
      expect.objectContaining({ code: 'InvalidEndpoint', errorClass: 'permanent' }),
    );
  });
});

describe('callTencent', () => {
  test('answers the validated Response with its RequestId, and sends the params as JSON', async () => {
    reply = { status: 200, body: '{"Response":{"Value":7,"Extra":"x","RequestId":"rid-1"}}' };
    const answer = await callTencent(ctx(), PRODUCT, 'DescribeProxies', { ProxyIds: ['link-1'] }, anySchema);
    expect(answer).toEqual({ Value: 7, RequestId: 'rid-1' });
    expect(bodies.at(-1)).toEqual({ ProxyIds: ['link-1'] });
  });

  test('an API error keeps its code and RequestId and is classified', async () => {
    reply = {
      status: 200,
      body: '{"Response":{"Error":{"Code":"RequestLimitExceeded.UinLimitExceeded","Message":"slow down"},"RequestId":"rid-2"}}',
    };
    const err = await captureProviderError(callTencent(ctx(), PRODUCT, 'DescribeProxies', {}, anySchema));
    expect(err).toMatchObject({
      cloud: 'tencentcloud',
      code: 'RequestLimitExceeded.UinLimitExceeded',
      message: 'slow down',
      errorClass: 'throttled',
      requestId: 'rid-2',
    });
  });

  test('a non-200 answer becomes HTTP<status>, classified by status', async () => {
    reply = { status: 503, body: 'unavailable' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'HTTP503',
      errorClass: 'transient',
      httpStatus: 503,
    });
    reply = { status: 429, body: 'slow' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'HTTP429',
      errorClass: 'throttled',
    });
    reply = { status: 403, body: 'no' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'HTTP403',
      errorClass: 'permanent',
    });
  });

  test('a 200 that is not the Response envelope, or not the expected shape, is MalformedResponse (transient)', async () => {
    reply = { status: 200, body: '<html>gateway</html>' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'MalformedResponse',
      errorClass: 'transient',
    });
    reply = { status: 200, body: '{"Other":1}' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'MalformedResponse',
    });
    reply = { status: 200, body: '{"Response":{"Value":"seven","RequestId":"rid-3"}}' };
    expect(await captureProviderError(callTencent(ctx(), PRODUCT, 'X', {}, anySchema))).toMatchObject({
      code: 'MalformedResponse',
      errorClass: 'transient',
      requestId: 'rid-3',
    });
  });

  test('a request that times out is RequestTimeout (transient)', async () => {
    reply = { status: 200, body: '{"Response":{"Value":1,"RequestId":"r"}}', delayMs: 500 };
    expect(
      await captureProviderError(callTencent(ctx({ timeoutMs: 100 }), PRODUCT, 'X', {}, anySchema)),
    ).toMatchObject({
      code: 'RequestTimeout',
      errorClass: 'transient',
    });
  });

  test('a refused connection is NetworkError (transient)', async () => {
    expect(
      await captureProviderError(
        callTencent(ctx({ endpoint: await deadEndpoint() }), PRODUCT, 'X', {}, anySchema),
      ),
    ).toMatchObject({
      code: 'NetworkError',
      errorClass: 'transient',
    });
  });

  test('missing credentials fail before any request (auth)', async () => {
    const err = await captureProviderError(
      callTencent(
        ctx({ credentials: { accessKeyId: '', accessKeySecret: '' } }),
        PRODUCT,
        'X',
        {},
        anySchema,
      ),
    );
    expect(err).toMatchObject({ code: 'InvalidCredentials', errorClass: 'auth' });
  });
});

describe('the common Tencent table (design.md section 5)', () => {
  const classify = makeTencentClassifier({});
  test.each([
    ['RequestLimitExceeded', 'throttled'],
    ['RequestLimitExceeded.GlobalRegionUinLimitExceeded', 'throttled'],
    ['LimitExceeded', 'throttled'],
    ['InternalError', 'transient'],
    ['InternalError.ServerError', 'transient'],
    ['ResourceInUse', 'busy'],
    ['ResourceInUse.Proxy', 'busy'],
    ['ResourceBusy', 'busy'],
    ['ResourceUnavailable', 'busy'],
    ['FailedOperation.ActionIsDoing', 'busy'],
    ['ResourceNotFound', 'gone'],
    ['InvalidParameter', 'permanent'],
    ['InvalidParameterValue.Range', 'permanent'],
    ['MissingParameter', 'permanent'],
    ['UnknownParameter', 'permanent'],
    ['InvalidAction', 'permanent'],
    ['ActionOffline', 'permanent'],
    ['UnauthorizedOperation', 'permanent'],
    ['UnsupportedOperation', 'permanent'],
    ['FailedOperation.DuplicatedRequest', 'permanent'],
    ['AuthFailure.SignatureFailure', 'auth'],
    ['AuthFailure.SecretIdNotFound', 'auth'],
    ['AuthFailure.InvalidAuthorization', 'auth'],
    ['AuthFailure.SignatureExpire', 'clock'],
  ])('%s -> %s', (code, cls) => {
    expect(classify(code)).toBe(cls);
  });

  test('a ResourceNotFound.<sub-code> is not taken for "gone"', () => {
    expect(classify('ResourceNotFound.Listener')).toBe('permanent');
  });

  test('the table has no entry without a class', () => {
    expect(Object.values(TENCENT_COMMON_ERRORS).every(Boolean)).toBe(true);
  });
});
