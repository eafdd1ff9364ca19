// The Volcengine signature family against requests the real @volcengine/openapi SDK sends: each
// request is captured by a throwaway HTTP server, then handed to family.authenticate.
import type { IncomingHttpHeaders } from 'node:http';
import { Service, Signer } from '@volcengine/openapi';
import { volcengineEcsProduct } from '../../src/emulator/volcengine/ecs';
import {
  canonicalQuery,
  createVolcengineFamily,
  uriEscape,
  volcengineFamily,
  volcengineRequestId,
} from '../../src/emulator/volcengine/family';
import {
  EmulatorApiError,
  type EmulatorAccount,
  type ProductHandler,
  type RawRequest,
} from '../../src/emulator/types';
import { captureEmulatorError, useCaptureServer } from '../helpers/provider-harness';

const ACCOUNT: EmulatorAccount = {
  provider: 'volcengine',
  account: 'default',
  accessKeyId: 'AKLTTestFamily000000000001',
  accessKeySecret: 'TestFamilySecret0000000000000001',
};
const OTHER_CLOUD: EmulatorAccount = {
  provider: 'alibabacloud',
  account: 'default',
  accessKeyId: 'LTAITestOtherCloud0001',
  accessKeySecret: 'AlibabaSecret',
};

const capture = useCaptureServer('{"ResponseMetadata":{"RequestId":"r"},"Result":{}}');

function service(
  opts: { secret?: string; accessKeyId?: string; serviceName?: string; region?: string } = {},
) {
  return new Service({
    serviceName: opts.serviceName ?? 'ecs',
    region: opts.region ?? 'cn-beijing',
    host: capture.endpoint,
    protocol: 'http:',
    defaultVersion: '2020-04-01',
    accessKeyId: opts.accessKeyId ?? ACCOUNT.accessKeyId,
    secretKey: opts.secret ?? ACCOUNT.accessKeySecret,
  });
}

/** Sends one request through the SDK and returns it as the emulator core would hand it over. */
async function send(
  run: (svc: Service) => Promise<unknown>,
  opts: Parameters<typeof service>[0] = {},
): Promise<RawRequest> {
  return capture.request(() => run(service(opts)));
}

function env(overrides: Partial<Parameters<typeof volcengineFamily.authenticate>[1]> = {}) {
  return {
    findAccount: (ak: string) => [ACCOUNT, OTHER_CLOUD].find((a) => a.accessKeyId === ak),
    products: [volcengineEcsProduct] as ProductHandler[],
    now: Date.now(),
    requestId: 'req-1',
    ...overrides,
  };
}

function authError(req: RawRequest, e = env()): EmulatorApiError {
  return captureEmulatorError(() => volcengineFamily.authenticate(req, e));
}

function xDateMs(req: RawRequest): number {
  const v = String(req.headers['x-date']);
  return Date.UTC(
    +v.slice(0, 4),
    +v.slice(4, 6) - 1,
    +v.slice(6, 8),
    +v.slice(9, 11),
    +v.slice(11, 13),
    +v.slice(13, 15),
  );
}

const describe3 = (svc: Service) =>
  svc.createAPI('DescribeInstances', { method: 'GET' })({
    'InstanceIds.1': 'i-aaa111',
    'InstanceIds.2': 'i-bbb222',
    'InstanceIds.3': 'i-ccc333',
    InstanceName: "web (prod)! *x* é+ü/~'",
    MaxResults: 100,
    DryRun: false,
  });

describe('signature verification against the real SDK', () => {
  test('a GET signed by the SDK passes and resolves product, action, region and params', async () => {
    const req = await send(describe3);
    expect(volcengineFamily.matches(req)).toBe(true);
    const call = volcengineFamily.authenticate(req, env());
    expect(call).toMatchObject({
      provider: 'volcengine',
      service: 'ecs',
      action: 'DescribeInstances',
      version: '2020-04-01',
      region: 'cn-beijing',
      accessKeyId: ACCOUNT.accessKeyId,
      account: 'default',
      requestId: 'req-1',
    });
    expect(call.params).toEqual({
      'InstanceIds.1': 'i-aaa111',
      'InstanceIds.2': 'i-bbb222',
      'InstanceIds.3': 'i-ccc333',
      InstanceName: "web (prod)! *x* é+ü/~'",
      MaxResults: '100',
      DryRun: 'false',
    });
    expect(String(req.headers.authorization)).toMatch(
      /^HMAC-SHA256 Credential=AKLTTestFamily000000000001\/\d{8}\/cn-beijing\/ecs\/request, SignedHeaders=x-date, Signature=[0-9a-f]{64}$/,
    );
  });

  test('urlencoded and JSON POST bodies (signed through X-Content-Sha256) pass and join the params', async () => {
    const form = await send((svc) =>
      svc.createUrlEncodeAPI('StopInstances')({ 'InstanceIds.1': 'i-aaa111', ForceStop: true }),
    );
    const formCall = volcengineFamily.authenticate(form, env());
    expect(formCall.action).toBe('StopInstances');
    expect(formCall.params).toMatchObject({ 'InstanceIds.1': 'i-aaa111', ForceStop: 'true' });

    const json = await send((svc) =>
      svc.createJSONAPI('StopInstances')({ InstanceIds: ['i-aaa111'], StoppedMode: 'KeepCharging' }),
    );
    expect(String(json.headers.authorization)).toContain('SignedHeaders=x-content-sha256;x-date');
    const jsonCall = volcengineFamily.authenticate(json, env());
    expect(jsonCall.params).toMatchObject({ InstanceIds: ['i-aaa111'], StoppedMode: 'KeepCharging' });
  });

  test('a secret differing by one byte fails with SignatureDoesNotMatch (401, CodeN 100010)', async () => {
    const secret = ACCOUNT.accessKeySecret.slice(0, -1) + 'X';
    const err = authError(await send(describe3, { secret }));
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 401 });
    const rendered = volcengineFamily.render(undefined, { ok: false, error: err }, 'req-1');
    expect(rendered.status).toBe(401);
    expect(JSON.parse(rendered.body)).toEqual({
      ResponseMetadata: {
        RequestId: 'req-1',
        Action: 'DescribeInstances',
        Version: '2020-04-01',
        Service: 'ecs',
        Region: 'cn-beijing',
        Error: {
          Code: 'SignatureDoesNotMatch',
          CodeN: 100010,
          Message: expect.stringContaining('signature'),
        },
      },
    });
  });

  test('changing one query parameter after signing fails', async () => {
    const req = await send(describe3);
    req.query.set('InstanceIds.2', 'i-bbb223');
    expect(authError(req).code).toBe('SignatureDoesNotMatch');
    const added = await send(describe3);
    added.query.append('InstanceIds.4', 'i-ddd444');
    expect(authError(added).code).toBe('SignatureDoesNotMatch');
  });

  test('changing the region, the body or a signed header after signing fails', async () => {
    const req = await send(describe3, { region: 'cn-shanghai' });
    req.headers.authorization = String(req.headers.authorization).replace('/cn-shanghai/', '/cn-beijing/');
    expect(authError(req).code).toBe('SignatureDoesNotMatch');

    const post = await send((svc) => svc.createJSONAPI('StopInstances')({ InstanceIds: ['i-aaa111'] }));
    post.body = Buffer.from(JSON.stringify({ InstanceIds: ['i-zzz999'] }));
    expect(authError(post).code).toBe('SignatureDoesNotMatch');

    const moved = await send(describe3);
    const later = new Date(xDateMs(moved) + 1000).toISOString().replace(/[-:]|\.\d{3}/g, '');
    moved.headers['x-date'] = later;
    expect(authError(moved).code).toBe('SignatureDoesNotMatch');
  });

  test('a stale or future X-Date fails with InvalidTimestamp (403); the skew limit is configurable', async () => {
    const req = await send(describe3);
    const signedAt = xDateMs(req);
    expect(() => volcengineFamily.authenticate(req, env({ now: signedAt + 899_000 }))).not.toThrow();
    expect(authError(req, env({ now: signedAt + 901_000 }))).toMatchObject({
      code: 'InvalidTimestamp',
      httpStatus: 403,
    });
    expect(authError(req, env({ now: signedAt - 901_000 })).code).toBe('InvalidTimestamp');
    expect(authError(req, env({ now: signedAt + 61_000, clockSkewSeconds: 60 })).code).toBe(
      'InvalidTimestamp',
    );
    const strict = createVolcengineFamily({ clockSkewSeconds: 10 });
    expect(() => strict.authenticate(req, env({ now: signedAt + 11_000 }))).toThrow('expired');
  });

  test('an unknown access key, or one of another cloud, fails with InvalidAccessKey (401)', async () => {
    const unknown = await send(describe3, { accessKeyId: 'AKLTNobody' });
    expect(authError(unknown)).toMatchObject({ code: 'InvalidAccessKey', httpStatus: 401 });
    expect(authError(unknown).message).toContain('AKLTNobody');
    const foreign = await send(describe3, {
      accessKeyId: OTHER_CLOUD.accessKeyId,
      secret: OTHER_CLOUD.accessKeySecret,
    });
    expect(authError(foreign).code).toBe('InvalidAccessKey');
  });

  test('missing or malformed authentication gets the gateway codes', async () => {
    const req = await send(describe3);
    const { authorization, ...unsigned } = req.headers;
    expect(authorization).toBeDefined();
    const bare = { ...req, headers: unsigned };
    expect(volcengineFamily.matches(bare)).toBe(true);
    expect(authError(bare)).toMatchObject({ code: 'MissingAuthenticationToken', httpStatus: 401 });

    expect(
      authError({ ...req, headers: { ...req.headers, authorization: 'HMAC-SHA256 garbage' } }),
    ).toMatchObject({
      code: 'InvalidAuthorization',
      httpStatus: 400,
    });
    const noSig = String(req.headers.authorization).replace(/, Signature=.*$/, '');
    expect(authError({ ...req, headers: { ...req.headers, authorization: noSig } }).code).toBe(
      'MissingSignature',
    );
    const badScope = String(req.headers.authorization).replace('/request,', '/req,');
    expect(authError({ ...req, headers: { ...req.headers, authorization: badScope } }).code).toBe(
      'InvalidCredential',
    );
    const { 'x-date': _date, ...noDate } = req.headers;
    expect(authError({ ...req, headers: noDate })).toMatchObject({
      code: 'MissingRequestInfo',
      httpStatus: 400,
    });
  });

  test('routing: unknown action or version -> InvalidActionOrVersion (404), unknown service -> ServiceNotFound', async () => {
    const unknownAction = await send((svc) => svc.createAPI('RebootEverything', { method: 'GET' })({}));
    expect(authError(unknownAction)).toMatchObject({ code: 'InvalidActionOrVersion', httpStatus: 404 });
    const oldVersion = await send((svc) =>
      svc.createAPI('DeleteInstances', { method: 'GET', Version: '2018-01-01' })({}),
    );
    expect(authError(oldVersion).code).toBe('InvalidActionOrVersion');
    const vpc = await send((svc) => svc.createAPI('DescribeVpcs', { method: 'GET' })({}), {
      serviceName: 'vpc',
    });
    expect(authError(vpc)).toMatchObject({ code: 'ServiceNotFound', httpStatus: 404 });
  });

  test('a correctly signed request without Action gets MissingParameter', () => {
    const request = {
      region: 'cn-beijing',
      method: 'GET',
      pathname: '/',
      params: { Version: '2020-04-01', 'InstanceIds.1': 'i-aaa111' },
      headers: {} as Record<string, string>,
    };
    new Signer(request, 'ecs').addAuthorization({
      accessKeyId: ACCOUNT.accessKeyId,
      secretKey: ACCOUNT.accessKeySecret,
    });
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const raw: RawRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams(request.params),
      headers,
      body: Buffer.alloc(0),
    };
    expect(authError(raw)).toMatchObject({ code: 'MissingParameter', httpStatus: 400 });
  });
});

describe('wire details', () => {
  test("uriEscape and canonicalQuery follow the SDK (escape() of !'() and %2A for *)", () => {
    expect(uriEscape("a b!'()*~-_.é")).toBe('a%20b%21%27%28%29%2A~-_.%C3%A9');
    const q = new URLSearchParams();
    q.append('b', '2');
    q.append('a', 'y');
    q.append('a', 'x');
    q.append('Z', '');
    expect(canonicalQuery(q)).toBe('Z=&a=x&a=y&b=2');
  });

  test('matches only Volcengine-signed requests', () => {
    const base: RawRequest = {
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(
      volcengineFamily.matches({ ...base, headers: { authorization: 'TC3-HMAC-SHA256 Credential=x' } }),
    ).toBe(false);
    expect(
      volcengineFamily.matches({ ...base, headers: { authorization: 'ACS3-HMAC-SHA256 Credential=x' } }),
    ).toBe(false);
    expect(volcengineFamily.matches({ ...base, headers: { 'x-acs-action': 'DeleteInstances' } })).toBe(false);
    expect(volcengineFamily.matches(base)).toBe(false);
    expect(
      volcengineFamily.matches({ ...base, headers: { authorization: 'HMAC-SHA256 Credential=x' } }),
    ).toBe(true);
  });

  test('success and error envelopes, throttling and ClientToken answers', async () => {
    const call = volcengineFamily.authenticate(await send(describe3), env());
    const ok = volcengineFamily.render(call, { ok: true, payload: { Instances: [] } }, 'req-9');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      ResponseMetadata: {
        RequestId: 'req-9',
        Action: 'DescribeInstances',
        Version: '2020-04-01',
        Service: 'ecs',
        Region: 'cn-beijing',
      },
      Result: { Instances: [] },
    });

    const throttled = volcengineFamily.throttled(call);
    expect(throttled).toMatchObject({ code: 'AccountFlowLimitExceeded', httpStatus: 429 });
    const body = JSON.parse(volcengineFamily.render(call, { ok: false, error: throttled }, 'req-9').body);
    expect(body.ResponseMetadata.Error).toMatchObject({ Code: 'AccountFlowLimitExceeded', CodeN: 100027 });
    expect(body.Result).toBeUndefined();

    expect(volcengineFamily.idempotentParameterMismatch(call)).toMatchObject({
      code: 'IdempotentParameterMismatch',
      httpStatus: 400,
    });
    expect(volcengineFamily.idempotentProcessing(call)).toMatchObject({
      code: 'IdempotentProcessing',
      httpStatus: 412,
    });
    expect(volcengineFamily.invalidClientToken?.(call)).toMatchObject({
      code: 'InvalidClientToken.Malformed',
      httpStatus: 400,
    });

    // Service-level codes carry no CodeN.
    const business = volcengineFamily.render(
      call,
      { ok: false, error: new EmulatorApiError(400, 'InvalidArgument', 'bad') },
      'r',
    );
    expect(JSON.parse(business.body).ResponseMetadata.Error).toEqual({
      Code: 'InvalidArgument',
      Message: 'bad',
    });
  });

  test("request ids look like Volcengine's and peekAction reads the query", () => {
    expect(volcengineRequestId(Date.UTC(2024, 0, 2, 3, 4, 5))).toMatch(/^20240102030405[0-9A-F]{20}$/);
    expect(volcengineFamily.newRequestId?.()).toMatch(/^\d{14}[0-9A-F]{20}$/);
    const raw: RawRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams('Action=DeleteInstances&Version=2020-04-01'),
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(volcengineFamily.peekAction?.(raw)).toBe('DeleteInstances');
  });
});
