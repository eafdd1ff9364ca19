// The TC3-HMAC-SHA256 family against requests the real tencentcloud-sdk-nodejs-common sends: each
// request is captured by a throwaway HTTP server, then handed to family.authenticate.
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import {
  createTencentFamily,
  tencentFamily,
  TENCENT_CLOCK_SKEW_SECONDS,
} from '../../src/emulator/tencentcloud/family';
import { gaapProduct } from '../../src/emulator/tencentcloud/gaap';
import { msProduct } from '../../src/emulator/tencentcloud/ms';
import {
  EmulatorApiError,
  type ApiCall,
  type EmulatorAccount,
  type ProductHandler,
  type RawRequest,
} from '../../src/emulator/types';
import { captureEmulatorError, useCaptureServer } from '../helpers/provider-harness';

const ACCOUNT: EmulatorAccount = {
  provider: 'tencentcloud',
  account: 'default',
  accessKeyId: 'AKIDTestFamily0000000000000000001',
  accessKeySecret: 'TestFamilySecret0000000000000001',
};
const OTHER_CLOUD: EmulatorAccount = {
  provider: 'volcengine',
  account: 'default',
  accessKeyId: 'AKLTOtherCloud0001',
  accessKeySecret: 'VolcSecret',
};
const PRODUCTS: ProductHandler[] = [msProduct, gaapProduct];

const capture = useCaptureServer('{"Response":{"RequestId":"r"}}');

interface SendOptions {
  service?: string;
  version?: string;
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  method?: 'POST' | 'GET';
  /** Send to this host name (resolved to the capture server): the scope then names its first label. */
  hostname?: string;
}

/** Sends one request through the SDK and returns it as the emulator core would hand it over. */
async function send(
  action: string,
  params: Record<string, unknown>,
  opts: SendOptions = {},
): Promise<RawRequest> {
  const service = opts.service ?? 'ms';
  const agent = opts.hostname
    ? Object.assign(new Agent(), { createConnection: () => connect(capture.port, '127.0.0.1') })
    : undefined;
  const client = new CommonClient(
    `${service}.tencentcloudapi.com`,
    opts.version ?? (service === 'ms' ? '2018-04-08' : '2018-05-29'),
    {
      credential: {
        secretId: opts.secretId ?? ACCOUNT.accessKeyId,
        secretKey: opts.secretKey ?? ACCOUNT.accessKeySecret,
        token: opts.token,
      },
      region: opts.region,
      profile: {
        httpProfile: {
          endpoint: opts.hostname ?? capture.endpoint,
          protocol: 'http://',
          reqMethod: opts.method ?? 'POST',
          agent,
        },
      },
    },
  );
  return capture.request(() => client.request(action, params));
}

function env(now = Date.now()) {
  return {
    findAccount: (id: string) => [ACCOUNT, OTHER_CLOUD].find((a) => a.accessKeyId === id),
    products: PRODUCTS,
    now,
    requestId: 'req-1',
  };
}

describe('tencentcloud family: requests signed by the real SDK', () => {
  test('a good signature passes and resolves product, action, params and account', async () => {
    const req = await send(
      'DeleteScanInstances',
      { AppSids: ['app-1', 'app-2'] },
      { region: 'ap-guangzhou' },
    );
    expect(tencentFamily.matches(req)).toBe(true);
    // With an overridden endpoint the SDK signs the host's first label as the service.
    expect(String(req.headers.authorization)).toContain('/127/tc3_request');
    const call = tencentFamily.authenticate(req, env());
    expect(call).toMatchObject({
      provider: 'tencentcloud',
      service: 'ms',
      action: 'DeleteScanInstances',
      version: '2018-04-08',
      region: 'ap-guangzhou',
      accessKeyId: ACCOUNT.accessKeyId,
      account: 'default',
      params: { AppSids: ['app-1', 'app-2'] },
      requestId: 'req-1',
    });
  });

  test('routes by action and version: GAAP on the same host', async () => {
    const req = await send(
      'DestroyProxies',
      { ProxyIds: ['link-11112222'], Force: 1, ClientToken: 't' },
      { service: 'gaap' },
    );
    const call = tencentFamily.authenticate(req, env());
    expect(call.service).toBe('gaap');
    expect(call.region).toBeUndefined();
    expect(call.params).toEqual({ ProxyIds: ['link-11112222'], Force: 1, ClientToken: 't' });
  });

  test('the real host name signs the real service in the scope', async () => {
    const req = await send(
      'DescribeProxies',
      { ProxyIds: ['link-11112222'] },
      { service: 'gaap', hostname: 'gaap.tencentcloudapi.com' },
    );
    expect(String(req.headers.authorization)).toContain('/gaap/tc3_request');
    expect(req.headers.host).toBe('gaap.tencentcloudapi.com');
    expect(tencentFamily.authenticate(req, env()).service).toBe('gaap');
  });

  test('GET requests (flattened query) verify and unflatten', async () => {
    const req = await send(
      'DescribeScanInstances',
      { Filters: [{ Name: 'AppSid', Value: 'a b/c' }], Limit: 5 },
      { method: 'GET' },
    );
    expect(req.method).toBe('GET');
    const call = tencentFamily.authenticate(req, env());
    expect(call.params).toEqual({ Filters: [{ Name: 'AppSid', Value: 'a b/c' }], Limit: '5' });
  });

  test('a secret one byte off fails with AuthFailure.SignatureFailure', async () => {
    const wrong = ACCOUNT.accessKeySecret.slice(0, -1) + '2';
    const req = await send('DeleteScanInstances', { AppSids: ['app-1'] }, { secretKey: wrong });
    expect(captureEmulatorError(() => tencentFamily.authenticate(req, env())).code).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  test('a parameter changed by one byte after signing fails with AuthFailure.SignatureFailure', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['app-1'] });
    const tampered = { ...req, body: Buffer.from(req.body.toString('utf8').replace('app-1', 'app-2')) };
    expect(captureEmulatorError(() => tencentFamily.authenticate(tampered, env())).code).toBe(
      'AuthFailure.SignatureFailure',
    );
    const otherAction = { ...req, headers: { ...req.headers, 'x-tc-action': 'DescribeScanInstances' } };
    // The action header is not signed by the Node SDK, but the body still must verify: it does, and
    // the call is routed to the action named — exactly what the real gateway does.
    expect(tencentFamily.authenticate(otherAction, env()).action).toBe('DescribeScanInstances');
  });

  test('a stale or future timestamp fails with AuthFailure.SignatureExpire', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['app-1'] });
    const signedAt = Number(req.headers['x-tc-timestamp']) * 1000;
    const late = signedAt + (TENCENT_CLOCK_SKEW_SECONDS + 1) * 1000;
    const early = signedAt - (TENCENT_CLOCK_SKEW_SECONDS + 1) * 1000;
    expect(captureEmulatorError(() => tencentFamily.authenticate(req, env(late))).code).toBe(
      'AuthFailure.SignatureExpire',
    );
    expect(captureEmulatorError(() => tencentFamily.authenticate(req, env(early))).code).toBe(
      'AuthFailure.SignatureExpire',
    );
    // Within the skew it still passes.
    expect(
      tencentFamily.authenticate(req, env(signedAt + (TENCENT_CLOCK_SKEW_SECONDS - 1) * 1000)).action,
    ).toBe('DeleteScanInstances');
    // A family built with a wider skew accepts it, and so does the emulator's setting.
    const lenient = createTencentFamily({ clockSkewSeconds: 3600 });
    expect(lenient.authenticate(req, env(late)).action).toBe('DeleteScanInstances');
    expect(tencentFamily.authenticate(req, { ...env(late), clockSkewSeconds: 900 }).action).toBe(
      'DeleteScanInstances',
    );
    expect(
      captureEmulatorError(() =>
        tencentFamily.authenticate(req, { ...env(signedAt + 60_000), clockSkewSeconds: 30 }),
      ).code,
    ).toBe('AuthFailure.SignatureExpire');
  });

  test('a timestamp edited after signing fails (it is in the string to sign)', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['app-1'] });
    const ts = Number(req.headers['x-tc-timestamp']) + 1;
    const edited = { ...req, headers: { ...req.headers, 'x-tc-timestamp': String(ts) } };
    expect(captureEmulatorError(() => tencentFamily.authenticate(edited, env(ts * 1000))).code).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  test('unknown SecretIds, and other clouds’ keys, fail with AuthFailure.SecretIdNotFound', async () => {
    const unknown = await send('DeleteScanInstances', { AppSids: ['a'] }, { secretId: 'AKIDnobody' });
    expect(captureEmulatorError(() => tencentFamily.authenticate(unknown, env())).code).toBe(
      'AuthFailure.SecretIdNotFound',
    );
    const other = await send(
      'DeleteScanInstances',
      { AppSids: ['a'] },
      {
        secretId: OTHER_CLOUD.accessKeyId,
        secretKey: OTHER_CLOUD.accessKeySecret,
      },
    );
    expect(captureEmulatorError(() => tencentFamily.authenticate(other, env())).code).toBe(
      'AuthFailure.SecretIdNotFound',
    );
  });

  test('a temporary-credential token is refused with AuthFailure.TokenFailure', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['a'] }, { token: 'sts-token' });
    expect(captureEmulatorError(() => tencentFamily.authenticate(req, env())).code).toBe(
      'AuthFailure.TokenFailure',
    );
  });

  test('missing or malformed Authorization fails with AuthFailure.InvalidAuthorization', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['a'] });
    const { authorization: _dropped, ...rest } = req.headers;
    expect(
      captureEmulatorError(() => tencentFamily.authenticate({ ...req, headers: rest }, env())).code,
    ).toBe('AuthFailure.InvalidAuthorization');
    const garbled = { ...req, headers: { ...req.headers, authorization: 'TC3-HMAC-SHA256 Credential=x' } };
    expect(captureEmulatorError(() => tencentFamily.authenticate(garbled, env())).code).toBe(
      'AuthFailure.InvalidAuthorization',
    );
    const badScope = {
      ...req,
      headers: {
        ...req.headers,
        authorization: String(req.headers.authorization).replace('tc3_request', 'tc2_request'),
      },
    };
    expect(captureEmulatorError(() => tencentFamily.authenticate(badScope, env())).code).toBe(
      'AuthFailure.InvalidAuthorization',
    );
  });

  test('unknown actions and versions fail with InvalidAction after the signature checks out', async () => {
    const unknown = await send('DeleteEverything', {});
    expect(captureEmulatorError(() => tencentFamily.authenticate(unknown, env())).code).toBe('InvalidAction');
    const wrongVersion = await send('DeleteScanInstances', { AppSids: ['a'] }, { version: '2099-01-01' });
    expect(captureEmulatorError(() => tencentFamily.authenticate(wrongVersion, env())).code).toBe(
      'InvalidAction',
    );
    // An action of the other product under this product's version is unknown too.
    const crossed = await send(
      'DestroyProxies',
      { ProxyIds: ['link-1'], Force: 1 },
      { version: '2018-04-08' },
    );
    expect(captureEmulatorError(() => tencentFamily.authenticate(crossed, env())).code).toBe('InvalidAction');
  });

  test('missing X-TC headers fail with MissingParameter', async () => {
    const req = await send('DeleteScanInstances', { AppSids: ['a'] });
    for (const name of ['x-tc-action', 'x-tc-version', 'x-tc-timestamp']) {
      const headers = { ...req.headers };
      delete headers[name];
      expect(captureEmulatorError(() => tencentFamily.authenticate({ ...req, headers }, env())).code).toBe(
        'MissingParameter',
      );
    }
  });

  test('a body that is not a JSON object fails with InvalidParameter (signature valid)', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const host = capture.endpoint;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Host: host,
      'X-TC-Action': 'DeleteScanInstances',
      'X-TC-Version': '2018-04-08',
      'X-TC-Timestamp': String(timestamp),
    };
    for (const body of ['[1,2]', '{not json']) {
      const authorization = Sign.sign3({
        method: 'POST',
        url: `http://${host}/`,
        payload: Buffer.from(body),
        timestamp,
        service: '127',
        secretId: ACCOUNT.accessKeyId,
        secretKey: ACCOUNT.accessKeySecret,
        multipart: false,
        boundary: '',
        headers,
      });
      const lower = Object.fromEntries(
        Object.entries({ ...headers, Authorization: authorization }).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const req: RawRequest = {
        method: 'POST',
        path: '/',
        query: new URLSearchParams(),
        headers: lower,
        body: Buffer.from(body),
      };
      expect(captureEmulatorError(() => tencentFamily.authenticate(req, env())).code).toBe(
        'InvalidParameter',
      );
    }
  });

  test('peekAction names the action of a request that failed authentication', async () => {
    const req = await send('DescribeProxies', {}, { service: 'gaap', secretId: 'AKIDnobody' });
    expect(tencentFamily.peekAction?.(req)).toBe('DescribeProxies');
  });

  test('matches only TC3 requests', () => {
    const plain: RawRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(tencentFamily.matches(plain)).toBe(false);
    expect(tencentFamily.matches({ ...plain, headers: { authorization: 'HMAC-SHA256 Credential=x' } })).toBe(
      false,
    );
    expect(tencentFamily.matches({ ...plain, headers: { 'x-tc-action': 'DescribeProxies' } })).toBe(true);
  });
});

describe('tencentcloud family: rendering', () => {
  const call = { action: 'DestroyProxies' } as ApiCall;

  test('success wraps the payload in Response with the RequestId', () => {
    const out = tencentFamily.render(call, { ok: true, payload: { Progress: 2 } }, 'rid-1');
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toEqual({ Response: { Progress: 2, RequestId: 'rid-1' } });
  });

  test('errors are HTTP 200 with Response.Error, whatever status the error carries', () => {
    for (const status of [200, 400, 404, 500]) {
      const out = tencentFamily.render(
        call,
        { ok: false, error: new EmulatorApiError(status, 'InternalError', 'boom') },
        'rid-2',
      );
      expect(out.status).toBe(200);
      expect(JSON.parse(out.body)).toEqual({
        Response: { Error: { Code: 'InternalError', Message: 'boom' }, RequestId: 'rid-2' },
      });
    }
  });

  test('a fault coded HTTP<status> fails below the API with that status', () => {
    const out = tencentFamily.render(
      undefined,
      { ok: false, error: new EmulatorApiError(502, 'HTTP502', 'bad gateway') },
      'rid',
    );
    expect(out.status).toBe(502);
  });

  test('throttling and ClientToken reuse answer Tencent codes', () => {
    expect(tencentFamily.throttled(call).code).toBe('RequestLimitExceeded');
    expect(tencentFamily.idempotentParameterMismatch(call).code).toBe('FailedOperation.DuplicatedRequest');
    expect(tencentFamily.idempotentProcessing(call).code).toBe('FailedOperation.ActionIsDoing');
    expect(tencentFamily.invalidClientToken?.(call).code).toBe('InvalidParameterValue');
    for (const err of [tencentFamily.throttled(call), tencentFamily.idempotentProcessing(call)]) {
      expect(tencentFamily.render(call, { ok: false, error: err }, 'r').status).toBe(200);
    }
  });
});
