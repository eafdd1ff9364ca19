// The shared Alibaba client wiring: endpoints, SDK retries off, and how every kind of failure the
// SDK can throw becomes a classified ProviderError. A canned-answer server plays the wire quirks
// the emulator never produces (HTML error pages, hangs, 200 with Success=false).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  ALIBABA_COMMON_ERRORS,
  callRoa,
  callRpc,
  makeAlibabaClassifier,
  resolveEndpoint,
  type AlibabaProduct,
} from '../../src/providers/alibabacloud/client';
import { ECS_ERRORS, alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
import { SAE_ERRORS } from '../../src/providers/alibabacloud/sae';
import type { CallContext } from '../../src/providers/types';
import { captureProviderError, closeServer, deadEndpoint, listen } from '../helpers/provider-harness';

type Answer = { status: number; body: string; headers?: Record<string, string> } | 'hang';

let server: Server;
let endpoint: string;
let answer: Answer;
let requests: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req);
    req.resume();
    req.on('end', () => {
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8', ...answer.headers });
      res.end(answer.body);
    });
  });
  endpoint = await listen(server);
});
afterAll(() => closeServer(server));
beforeEach(() => {
  requests = [];
});

const classify = makeAlibabaClassifier({ ...ECS_ERRORS, ...SAE_ERRORS });
const API: AlibabaProduct = { product: 'ecs', version: '2014-05-26', classify };

function ctx(overrides: Partial<CallContext> = {}): CallContext {
  return {
    credentials: { accessKeyId: 'LTAI5tCanned', accessKeySecret: 'canned-secret' },
    endpoint,
    region: 'cn-hangzhou',
    timeoutMs: 2_000,
    ...overrides,
  };
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body: JSON.stringify(body),
  headers,
});

describe('endpoints', () => {
  test('host:port is the emulator over http; a URL keeps its scheme', () => {
    expect(resolveEndpoint(ctx({ endpoint: '127.0.0.1:4566' }), 'ecs')).toEqual({
      endpoint: '127.0.0.1:4566',
      protocol: 'http',
    });
    expect(resolveEndpoint(ctx({ endpoint: 'https://proxy.example.com:8443/' }), 'sae')).toEqual({
      endpoint: 'proxy.example.com:8443',
      protocol: 'https',
    });
    expect(resolveEndpoint(ctx({ endpoint: 'http://localhost:9000' }), 'sae')).toEqual({
      endpoint: 'localhost:9000',
      protocol: 'http',
    });
  });

  test('no endpoint means the real regional endpoint over https', () => {
    expect(resolveEndpoint(ctx({ endpoint: undefined, region: 'cn-hangzhou' }), 'ecs')).toEqual({
      endpoint: 'ecs.cn-hangzhou.aliyuncs.com',
      protocol: 'https',
    });
    expect(resolveEndpoint(ctx({ endpoint: undefined, region: 'ap-southeast-1' }), 'sae')).toEqual({
      endpoint: 'sae.ap-southeast-1.aliyuncs.com',
      protocol: 'https',
    });
  });

  test('a missing region or a malformed endpoint is permanent', () => {
    expect(() => resolveEndpoint(ctx({ endpoint: undefined, region: undefined }), 'ecs')).toThrow(
      expect.objectContaining({ code: 'MissingRegion', errorClass: 'permanent' }),
    );
    expect(() => resolveEndpoint(ctx({ endpoint: 'http://a/b/c' }), 'ecs')).toThrow(
      expect.objectContaining({ code: 'InvalidEndpoint', errorClass: 'permanent' }),
    );
  });
});

describe('RPC calls', () => {
  test('sends the action as ACS3 headers with the query, and returns body and request id', async () => {
    answer = json(200, { RequestId: 'REQ-1', Instances: { Instance: [] } });
    const result = await callRpc(ctx(), API, 'DescribeInstances', {
      RegionId: 'cn-hangzhou',
      PageSize: 100,
      Force: false,
      Skip: undefined,
    });
    expect(result).toEqual({ body: { RequestId: 'REQ-1', Instances: { Instance: [] } }, requestId: 'REQ-1' });
    const req = requests[0];
    expect(req.method).toBe('POST');
    expect(req.headers['x-acs-action']).toBe('DescribeInstances');
    expect(req.headers['x-acs-version']).toBe('2014-05-26');
    expect(String(req.headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tCanned,/);
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ RegionId: 'cn-hangzhou', PageSize: '100', Force: 'false' });
  });

  test('an Alibaba error body becomes a ProviderError with code, status, request id and class', async () => {
    answer = json(403, {
      RequestId: 'REQ-2',
      HostId: 'ecs.aliyuncs.com',
      Code: 'IncorrectInstanceStatus',
      Message: 'nope',
    });
    const err = await captureProviderError(callRpc(ctx(), API, 'DeleteInstances', {}));
    expect(err).toMatchObject({
      cloud: 'alibabacloud',
      code: 'IncorrectInstanceStatus',
      message: 'nope',
      errorClass: 'busy',
      httpStatus: 403,
      requestId: 'REQ-2',
    });
  });

  test('the SDK does not retry: one request per call, even on 5xx', async () => {
    answer = json(500, { RequestId: 'REQ-3', Code: 'InternalError', Message: 'boom' });
    const err = await captureProviderError(callRpc(ctx(), API, 'DeleteInstances', {}));
    expect(err).toMatchObject({ code: 'InternalError', errorClass: 'transient', httpStatus: 500 });
    expect(requests).toHaveLength(1);
  });

  test('unknown codes fall back to the HTTP status: 429 throttled, 5xx transient, 4xx permanent', async () => {
    answer = json(429, { Code: 'TooManyRequests', Message: 'slow down' });
    expect(await captureProviderError(callRpc(ctx(), API, 'X', {}))).toMatchObject({
      code: 'TooManyRequests',
      errorClass: 'throttled',
    });
    answer = json(502, { Message: 'bad gateway' });
    expect(await captureProviderError(callRpc(ctx(), API, 'X', {}))).toMatchObject({
      code: 'HTTP502',
      errorClass: 'transient',
    });
    answer = json(400, { Code: 'BrandNewCode', Message: 'what' });
    expect(await captureProviderError(callRpc(ctx(), API, 'X', {}))).toMatchObject({
      code: 'BrandNewCode',
      errorClass: 'permanent',
    });
  });

  test('a non-JSON answer (a gateway HTML page) is transient MalformedResponse', async () => {
    answer = {
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      headers: { 'content-type': 'text/html' },
    };
    expect(await captureProviderError(callRpc(ctx(), API, 'X', {}))).toMatchObject({
      code: 'MalformedResponse',
      errorClass: 'transient',
    });
  });

  test('a hung request times out: transient RequestTimeout', async () => {
    answer = 'hang';
    const err = await captureProviderError(callRpc(ctx({ timeoutMs: 200 }), API, 'X', {}));
    expect(err).toMatchObject({ code: 'RequestTimeout', errorClass: 'transient' });
  });

  test('nobody listening is a transient network error', async () => {
    const err = await captureProviderError(callRpc(ctx({ endpoint: await deadEndpoint() }), API, 'X', {}));
    expect(err).toMatchObject({ code: 'ECONNREFUSED', errorClass: 'transient' });
  });

  test('the request id falls back to the x-acs-request-id header', async () => {
    answer = json(200, {}, { 'x-acs-request-id': 'HDR-1' });
    expect(await callRpc(ctx(), API, 'X', {})).toEqual({ body: {}, requestId: 'HDR-1' });
  });
});

describe('ROA calls', () => {
  test('sends method and path with the query and returns the envelope', async () => {
    answer = json(200, {
      RequestId: 'R-1',
      Code: '200',
      Message: 'success',
      Data: { ChangeOrderId: 'co-1' },
      ErrorCode: '',
      Success: true,
    });
    const result = await callRoa<{ ChangeOrderId: string }>(
      ctx(),
      API,
      'DeleteInstances',
      'PUT',
      '/pop/v1/sam/app/deleteInstances',
      {
        AppId: 'app-1',
        InstanceIds: 'a,b',
      },
    );
    expect(result.body.Data).toEqual({ ChangeOrderId: 'co-1' });
    expect(result.requestId).toBe('R-1');
    expect(requests[0].method).toBe('PUT');
    const url = new URL(requests[0].url ?? '/', 'http://x');
    expect(url.pathname).toBe('/pop/v1/sam/app/deleteInstances');
    expect(Object.fromEntries(url.searchParams)).toEqual({ AppId: 'app-1', InstanceIds: 'a,b' });
  });

  test('SAE error bodies: the string code comes from ErrorCode when Code is the HTTP status', async () => {
    answer = json(400, {
      RequestId: 'R-2',
      Code: 400,
      ErrorCode: 'Application.ChangerOrderRunning',
      Message: 'wait',
      Success: false,
    });
    expect(await captureProviderError(callRoa(ctx(), API, 'X', 'GET', '/x', {}))).toMatchObject({
      code: 'Application.ChangerOrderRunning',
      errorClass: 'busy',
      httpStatus: 400,
      requestId: 'R-2',
    });
    answer = json(400, { RequestId: 'R-3', Code: '400', ErrorCode: '', Message: 'odd', Success: false });
    expect(await captureProviderError(callRoa(ctx(), API, 'X', 'GET', '/x', {}))).toMatchObject({
      code: 'HTTP400',
      errorClass: 'permanent',
    });
  });

  test('HTTP 200 with Success=false is still an error', async () => {
    answer = json(200, {
      RequestId: 'R-4',
      Code: '200',
      ErrorCode: 'Application.InvalidStatus',
      Message: 'abnormal',
      Success: false,
    });
    expect(await captureProviderError(callRoa(ctx(), API, 'X', 'GET', '/x', {}))).toMatchObject({
      code: 'Application.InvalidStatus',
      errorClass: 'busy',
      requestId: 'R-4',
      httpStatus: undefined,
    });
  });
});

test('an ECS discovery page answering the NextToken it was given is transient MalformedResponse', async () => {
  answer = json(200, { RequestId: 'REQ-9', Instances: { Instance: [] }, NextToken: 'page-2' });
  expect(await alibabaEcsInstance.discover(ctx(), {}, 'page-1')).toEqual({
    resources: [],
    nextPageToken: 'page-2',
  });
  expect(await captureProviderError(alibabaEcsInstance.discover(ctx(), {}, 'page-2'))).toMatchObject({
    cloud: 'alibabacloud',
    code: 'MalformedResponse',
    errorClass: 'transient',
  });
});

test('the shared table is Alibaba-wide only: no product codes leak into it', () => {
  for (const code of Object.keys(ALIBABA_COMMON_ERRORS)) {
    expect(code).not.toMatch(/Instance|Application|ChangeOrder/);
  }
});
