// The emulator core: admin API (in-process and HTTP), faults, ClientToken memory, latency,
// malformed requests, product-declared defaults. Quotas, the clock, the store and the state file
// have their own files. Cloud calls go through the real
// Alibaba SDK, the family this core ships with.
import type OpenApi from '@alicloud/openapi-client';
import { emulatorAccount, emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { ecsProduct } from '../../src/emulator/alibabacloud/ecs';
import { PRODUCTS } from '../../src/emulator/registry';
import { DEFAULT_SETTINGS } from '../../src/emulator/server';
import { productDurations } from '../../src/emulator/settings';
import { EmulatorApiError, type ProductHandler } from '../../src/emulator/types';
import { adminRequest, alibabaSdk, callAlibabaRpc, useEmulator, waitFor } from '../helpers/provider-harness';

const TYPE = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';

// A product whose handler has a bug, to check the core turns it into InternalError.
const buggyProduct: ProductHandler = {
  provider: 'alibabacloud',
  service: 'buggy',
  version: '2099-01-01',
  actions: {
    Explode: () => {
      throw new TypeError('cannot read properties of undefined');
    },
    Refuse: () => {
      throw new EmulatorApiError(409, 'Custom.Refusal', 'refused on purpose');
    },
  },
};

const em = useEmulator({
  products: [...PRODUCTS, buggyProduct],
  settings: { durations: { 'alibabacloud.ecs.delete': 200, 'alibabacloud.ecs.stop': 200 } },
});

const sdkFor = (account: 'default' | 'other') =>
  alibabaSdk(em.endpoint, emulatorAccount('alibabacloud', account));

let client: OpenApi;
beforeAll(() => {
  client = sdkFor('default');
});
beforeEach(() => {
  em.seed([{ type: TYPE, id: 'i-core00001', region: REGION, status: 'Stopped' }]);
});

const call = (
  action: string,
  query: Record<string, string>,
  opts: { version?: string; via?: OpenApi } = {},
) => callAlibabaRpc(opts.via ?? client, action, query, { version: opts.version });

const describe1 = { RegionId: REGION, InstanceIds: '["i-core00001"]' };
const deleteQuery = (token?: string, ...ids: string[]) => ({
  RegionId: REGION,
  ...(token ? { ClientToken: token } : {}),
  ...Object.fromEntries((ids.length ? ids : ['i-core00001']).map((id, i) => [`InstanceId.${i + 1}`, id])),
});

const admin = (method: string, path: string, body?: unknown, rawBody?: string) =>
  adminRequest(em, method, path, body, rawBody);

describe('startEmulator', () => {
  it('exposes url, endpoint, port and the default accounts', () => {
    expect(em.url).toBe(`http://127.0.0.1:${em.port}`);
    expect(em.endpoint).toBe(`127.0.0.1:${em.port}`);
    expect(em.accounts.alibabacloud.account).toBe('default');
    expect(em.accounts.tencentcloud.provider).toBe('tencentcloud');
    expect(em.accounts.volcengine.provider).toBe('volcengine');
  });

  it('builds the worker environment pointing every provider at the emulator', () => {
    const env = emulatorCredentialsEnv(em);
    expect(env).toEqual({
      ALIBABA_CLOUD_ACCESS_KEY_ID: em.accounts.alibabacloud.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: em.accounts.alibabacloud.accessKeySecret,
      TENCENTCLOUD_SECRET_ID: em.accounts.tencentcloud.accessKeyId,
      TENCENTCLOUD_SECRET_KEY: em.accounts.tencentcloud.accessKeySecret,
      VOLCENGINE_ACCESS_KEY: em.accounts.volcengine.accessKeyId,
      VOLCENGINE_SECRET_KEY: em.accounts.volcengine.accessKeySecret,
      CLOUD_TEARDOWN_ENDPOINT: em.endpoint,
    });
  });

  it('seeds with the product defaults and validates seeds', () => {
    const [r] = em.seed([{ type: TYPE, id: 'i-core00002', region: REGION }]);
    expect(r).toMatchObject({ account: 'default', status: 'Running', name: 'i-core00002' });
    expect(r.attributes).toMatchObject({ InstanceChargeType: 'PostPaid', DeletionProtection: false });
    expect(() => em.seed([{ type: 'nobody.knows', id: 'x' }])).toThrow(/status.*required/);
    expect(() => em.seed([{ type: TYPE, id: '' }])).toThrow(/id/);
    // A bad entry seeds nothing.
    expect(() =>
      em.seed([
        { type: TYPE, id: 'i-core00003' },
        { type: 'nobody.knows', id: 'x' },
      ]),
    ).toThrow();
    expect(em.resources(TYPE).map((x) => x.id)).toEqual(['i-core00001', 'i-core00002']);
  });
});

describe('product defaults', () => {
  it('starts the settings from the durations each product declares; start settings override them', () => {
    const durations = em.settings().durations;
    for (const product of PRODUCTS) {
      expect(product.durations).toBeDefined();
      for (const [name, ms] of Object.entries(product.durations ?? {}))
        if (!['alibabacloud.ecs.delete', 'alibabacloud.ecs.stop'].includes(name))
          expect(durations[name]).toBe(ms);
    }
    expect(durations['alibabacloud.ecs.stop']).toBe(200);
    expect(DEFAULT_SETTINGS.durations['alibabacloud.ecs.stop']).toBe(
      ecsProduct.durations?.['alibabacloud.ecs.stop'],
    );
    expect(Object.keys(DEFAULT_SETTINGS.durations).sort()).toEqual(Object.keys(durations).sort());
  });

  it('refuses two products declaring one duration differently', () => {
    const twin: ProductHandler = { ...buggyProduct, durations: { 'alibabacloud.ecs.stop': 1 } };
    expect(() => productDurations([ecsProduct, twin])).toThrow(/alibabacloud\.ecs\.stop twice/);
  });
});

describe('admin HTTP API', () => {
  it('seeds, lists, sets, logs and resets', async () => {
    const seeded = await admin('POST', '/_emulator/resources', {
      resources: [{ type: TYPE, id: 'i-adm000001', region: REGION, tags: { a: 'b' } }],
    });
    expect(seeded.status).toBe(200);
    expect(seeded.body.seeded).toBe(1);
    const listed = await admin('GET', `/_emulator/resources?type=${TYPE}`);
    expect(listed.body.resources.map((r: any) => r.id).sort()).toEqual(['i-adm000001', 'i-core00001']);
    expect((await admin('GET', '/_emulator/resources?type=other.type')).body.resources).toEqual([]);

    const settings = await admin('POST', '/_emulator/settings', {
      durations: { 'alibabacloud.ecs.delete': 50 },
      latencyMs: 0,
    });
    expect(settings.body.settings.durations['alibabacloud.ecs.delete']).toBe(50);
    expect(settings.body.settings.durations['alibabacloud.ecs.stop']).toBe(200);
    expect(settings.body.settings.quotaPerSecond).toBe(20);

    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    const calls = await admin('GET', '/_emulator/calls?action=DescribeInstances');
    expect(calls.body.calls).toHaveLength(1);
    expect(calls.body.calls[0]).toMatchObject({
      provider: 'alibabacloud',
      service: 'ecs',
      account: 'default',
      httpStatus: 200,
    });
    expect((await admin('GET', '/_emulator/stats')).body.callsByAction).toEqual({ DescribeInstances: 1 });

    const accounts = await admin('GET', '/_emulator/accounts');
    expect(accounts.body.default.alibabacloud.accessKeyId).toBe(em.accounts.alibabacloud.accessKeyId);

    expect((await admin('POST', '/_emulator/reset')).status).toBe(200);
    expect((await admin('GET', '/_emulator/resources')).body.resources).toEqual([]);
    expect((await admin('GET', '/_emulator/calls')).body.calls).toEqual([]);
    expect(
      (await admin('GET', '/_emulator/settings')).body.settings.durations['alibabacloud.ecs.delete'],
    ).toBe(200);
  });

  it('answers 400 with the field named on bad input, 404 on unknown routes', async () => {
    const notJson = await admin('POST', '/_emulator/resources', undefined, '{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/not valid JSON/);

    const noId = await admin('POST', '/_emulator/resources', [{ type: TYPE, region: REGION }]);
    expect(noId.status).toBe(400);
    expect(noId.body.error).toMatch(/id/);

    const negative = await admin('POST', '/_emulator/settings', { latencyMs: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatch(/latencyMs/);

    const typo = await admin('POST', '/_emulator/settings', { quotaPerSecnd: 5 });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatch(/quotaPerSecnd/);

    const both = await admin('POST', '/_emulator/faults', {
      action: 'X',
      code: 'Y',
      count: 1,
      probability: 0.5,
    });
    expect(both.status).toBe(400);
    const noCode = await admin('POST', '/_emulator/faults', { action: 'X' });
    expect(noCode.status).toBe(400);
    expect(noCode.body.error).toMatch(/code/);

    const badProvider = await admin('GET', '/_emulator/calls?provider=aws');
    expect(badProvider.status).toBe(400);

    expect((await admin('GET', '/_emulator/nothing')).status).toBe(404);
  });

  it('injects and clears faults over HTTP', async () => {
    const added = await admin('POST', '/_emulator/faults', {
      action: 'DescribeInstances',
      code: 'ServiceUnavailable',
      count: 1,
    });
    expect(added.body.faults).toHaveLength(1);
    const failed = await call('DescribeInstances', describe1);
    expect(failed).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    await admin('POST', '/_emulator/faults', {
      action: 'DescribeInstances',
      code: 'InternalError',
      probability: 1,
    });
    expect((await call('DescribeInstances', describe1)).code).toBe('InternalError');
    expect((await admin('DELETE', '/_emulator/faults')).body.faults).toEqual([]);
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
  });
});

describe('faults', () => {
  it('fails the next N calls of an action with the given code, then lets calls through', async () => {
    em.injectFault({ action: 'DeleteInstances', code: 'InternalError', httpStatus: 500, count: 2 });
    const first = await call('DeleteInstances', deleteQuery());
    const second = await call('DeleteInstances', deleteQuery());
    expect(first).toMatchObject({ code: 'InternalError', status: 500 });
    expect(second.code).toBe('InternalError');
    expect(first.body).toMatchObject({ Code: 'InternalError', HostId: 'ecs.aliyuncs.com' });
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    expect((await call('DeleteInstances', deleteQuery())).ok).toBe(true);
    const injected = em.calls({ action: 'DeleteInstances' }).filter((c) => c.injected);
    expect(injected).toHaveLength(2);
    expect(em.stats().injectedFaults).toBe(2);
  });

  it('fails only the calls naming resourceId (repeat lists and JSON arrays)', async () => {
    em.seed([{ type: TYPE, id: 'i-core00002', region: REGION, status: 'Stopped' }]);
    em.injectFault({
      action: '*',
      code: 'IncorrectInstanceStatus',
      httpStatus: 403,
      resourceId: 'i-core00002',
      count: 5,
    });
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    expect((await call('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-core00002"]' })).code).toBe(
      'IncorrectInstanceStatus',
    );
    expect((await call('DeleteInstances', deleteQuery(undefined, 'i-core00001'))).ok).toBe(true);
    const named = await call('DeleteInstances', deleteQuery(undefined, 'i-core00002'));
    expect(named).toMatchObject({ code: 'IncorrectInstanceStatus', status: 403 });
    expect(em.faults()[0].remaining).toBe(3);
    em.clearFaults();
    expect((await call('DeleteInstances', deleteQuery(undefined, 'i-core00002'))).ok).toBe(true);
  });

  it('fires by probability (0 never, 1 always) and can target one provider', async () => {
    em.injectFault({ action: 'DescribeInstances', code: 'Throttling', probability: 0 });
    em.injectFault({
      action: 'DescribeInstances',
      code: 'ServiceUnavailable',
      provider: 'volcengine',
      probability: 1,
    });
    for (let i = 0; i < 5; i += 1) expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    em.clearFaults();
    em.injectFault({ action: 'DescribeInstances', code: 'Throttling', probability: 1 });
    for (let i = 0; i < 3; i += 1)
      expect((await call('DescribeInstances', describe1)).code).toBe('Throttling');
  });
});

describe('ClientToken memory', () => {
  it('same token + same parameters replays the first answer; the delete happens once', async () => {
    const a = await call('DeleteInstances', deleteQuery('tok-replay'));
    const b = await call('DeleteInstances', deleteQuery('tok-replay'));
    expect(a.ok && b.ok).toBe(true);
    expect(b.body.RequestId).not.toBe(a.body.RequestId);
    expect(em.stats().idempotentReplays).toBe(1);
  });

  it('same token + different parameters answers IdempotentParameterMismatch and counts it', async () => {
    em.seed([{ type: TYPE, id: 'i-core00002', region: REGION, status: 'Stopped' }]);
    expect((await call('DeleteInstances', deleteQuery('tok-mismatch', 'i-core00001'))).ok).toBe(true);
    const other = await call('DeleteInstances', deleteQuery('tok-mismatch', 'i-core00002'));
    expect(other).toMatchObject({ code: 'IdempotentParameterMismatch', status: 400 });
    expect(em.stats().idempotentParameterMismatches).toBe(1);
    expect(em.resources(TYPE).find((r) => r.id === 'i-core00002')?.attributes.Releasing).toBeUndefined();
    expect(em.calls({ clientToken: 'tok-mismatch' }).map((c) => c.errorCode)).toEqual([
      undefined,
      'IdempotentParameterMismatch',
    ]);
  });

  it('same token while the first call is in flight answers LastTokenProcessing', async () => {
    // The first call is held by its latency; the second is sent once the first is seen in flight.
    em.setSettings({ latencyByAction: { DeleteInstances: 2_000 } });
    const firstCall = call('DeleteInstances', deleteQuery('tok-inflight'));
    await waitFor(() => em.inFlight().some((c) => c.clientToken === 'tok-inflight'), 10_000);
    const second = await call('DeleteInstances', deleteQuery('tok-inflight'));
    const first = await firstCall;
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ code: 'LastTokenProcessing', status: 403 });
    expect(em.stats().idempotentProcessing).toBe(1);
    // Once the first finished, the token replays it.
    expect((await call('DeleteInstances', deleteQuery('tok-inflight'))).ok).toBe(true);
  });

  it('does not remember refusals: the same token succeeds once the instance can be deleted', async () => {
    em.seed([{ type: TYPE, id: 'i-core00003', region: REGION, status: 'Running' }]);
    const refused = await call('DeleteInstances', deleteQuery('tok-retry', 'i-core00003'));
    expect(refused.code).toBe('IncorrectInstanceStatus');
    em.clock.freeze();
    expect((await call('StopInstances', { RegionId: REGION, 'InstanceId.1': 'i-core00003' })).ok).toBe(true);
    em.clock.advance(200);
    expect(em.resources(TYPE).find((r) => r.id === 'i-core00003')?.status).toBe('Stopped');
    expect((await call('DeleteInstances', deleteQuery('tok-retry', 'i-core00003'))).ok).toBe(true);
  });

  it('keeps tokens per account', async () => {
    em.seed([{ type: TYPE, id: 'i-core00001', region: REGION, status: 'Stopped', account: 'other' }]);
    expect((await call('DeleteInstances', deleteQuery('tok-shared'))).ok).toBe(true);
    expect((await call('DeleteInstances', deleteQuery('tok-shared'), { via: sdkFor('other') })).ok).toBe(
      true,
    );
    expect(em.stats().idempotentReplays).toBe(0);
  });
});

describe('latency', () => {
  it('delays calls by latencyMs; a per-action override answers while the slow call is held', async () => {
    em.setSettings({ latencyMs: 1_500, latencyByAction: { DescribeInstanceStatus: 0 } });
    const t = Date.now();
    const slow = call('DescribeInstances', describe1);
    await waitFor(() => em.inFlight().some((c) => c.action === 'DescribeInstances'), 10_000);
    expect((await call('DescribeInstanceStatus', { RegionId: REGION })).ok).toBe(true);
    // Answered while the slow call is still held by its latency (no timing margin needed).
    expect(em.inFlight().map((c) => c.action)).toEqual(['DescribeInstances']);
    expect((await slow).ok).toBe(true);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1_500);
  });
});

describe('malformed requests get provider-shaped errors', () => {
  it('an unsigned x-acs request answers IncompleteSignature in Alibaba’s body', async () => {
    const res = await fetch(`${em.url}/?RegionId=${REGION}`, {
      method: 'POST',
      headers: { 'x-acs-action': 'DescribeInstances' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ Code: 'IncompleteSignature' });
    expect(Object.keys(body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(res.headers.get('x-acs-request-id')).toBe(body.RequestId);
  });

  it('a garbled ACS3 Authorization header answers IncompleteSignature', async () => {
    const res = await fetch(`${em.url}/`, {
      method: 'POST',
      headers: { authorization: 'ACS3-HMAC-SHA256 garbage' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).Code).toBe('IncompleteSignature');
  });

  it('a request in no known scheme answers a JSON 400, and the server keeps serving', async () => {
    const res = await fetch(`${em.url}/%%%?a=%zz`, { method: 'PUT', body: '\u0000\u0001' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).Error.Code).toBe('UnrecognizedRequest');
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
  });

  it('unknown action and unknown version answer Alibaba routing codes', async () => {
    expect(await call('NoSuchAction', {})).toMatchObject({ code: 'InvalidAction.NotFound', status: 404 });
    expect(await call('DescribeInstances', {}, { version: '1999-01-01' })).toMatchObject({
      code: 'InvalidVersion',
      status: 400,
    });
  });

  it('a handler bug answers 500 InternalError; a handler refusal keeps its code and status', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await call('Explode', {}, { version: '2099-01-01' })).toMatchObject({
      code: 'InternalError',
      status: 500,
    });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(await call('Refuse', {}, { version: '2099-01-01' })).toMatchObject({
      code: 'Custom.Refusal',
      status: 409,
    });
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
  });
});
