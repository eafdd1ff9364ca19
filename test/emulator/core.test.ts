// The emulator core: admin API (in-process and HTTP), faults, quotas, ClientToken memory,
// latency, malformed requests, the store's timed transitions. Cloud calls go through the real
// Alibaba SDK, the family this core ships with.
import type OpenApi from '@alicloud/openapi-client';
import { emulatorAccount, emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { PRODUCTS } from '../../src/emulator/registry';
import { MemoryStore } from '../../src/emulator/store';
import { EmulatorApiError, type ProductHandler } from '../../src/emulator/types';
import {
  alibabaSdk,
  callAlibabaRpc,
  useEmulator,
  waitFor,
  type RpcAnswer,
} from '../helpers/provider-harness';

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

async function admin(method: string, path: string, body?: unknown, rawBody?: string) {
  const res = await fetch(`${em.url}${path}`, {
    method,
    headers: body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  return { status: res.status, body: (await res.json()) as any };
}

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

describe('quota', () => {
  it('answers Throttling.User past 20 calls a second per account and action, and counts breaches', async () => {
    const results = await Promise.all(Array.from({ length: 26 }, () => call('DescribeInstances', describe1)));
    const throttled = results.filter((r) => r.code === 'Throttling.User');
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(20);
    expect(throttled[0]).toMatchObject({ status: 400 });
    expect(throttled[0].body.Message).toBe('Request was denied due to user flow control.');

    const stats = em.stats();
    expect(stats.quotaBreaches.total).toBe(throttled.length);
    expect(stats.quotaBreaches.byAction.DescribeInstances).toBe(throttled.length);
    expect(stats.quotaBreaches.byAccount.default).toBe(throttled.length);
    expect(stats.quotaBreaches.byAccountAction['default/alibabacloud.ecs.DescribeInstances']).toBe(
      throttled.length,
    );

    // Another action and another account have their own buckets.
    expect((await call('DescribeInstanceStatus', { RegionId: REGION })).ok).toBe(true);
    expect((await call('DescribeInstances', { RegionId: REGION }, { via: sdkFor('other') })).ok).toBe(true);

    // The bucket refills at the quota rate.
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
  });

  it('follows quotaPerSecond and per-action overrides; 0 disables the quota', async () => {
    em.setSettings({ quotaPerSecond: 0, quotaByAction: { DescribeInstanceStatus: 2 } });
    const unlimited = await Promise.all(
      Array.from({ length: 40 }, () => call('DescribeInstances', describe1)),
    );
    expect(unlimited.every((r) => r.ok)).toBe(true);
    const limited = await Promise.all(
      Array.from({ length: 4 }, () => call('DescribeInstanceStatus', { RegionId: REGION })),
    );
    expect(limited.filter((r) => r.code === 'Throttling.User').length).toBeGreaterThanOrEqual(1);
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
    em.setSettings({ latencyByAction: { DeleteInstances: 300 } });
    const started = Date.now();
    const [first, second] = await Promise.all([
      call('DeleteInstances', deleteQuery('tok-inflight')),
      new Promise<RpcAnswer>((resolve) =>
        setTimeout(() => resolve(call('DeleteInstances', deleteQuery('tok-inflight'))), 50),
      ),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
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
    expect((await call('StopInstances', { RegionId: REGION, 'InstanceId.1': 'i-core00003' })).ok).toBe(true);
    await waitFor(() => em.resources(TYPE).find((r) => r.id === 'i-core00003')?.status === 'Stopped');
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
  it('delays calls by latencyMs and per-action overrides', async () => {
    em.setSettings({ latencyMs: 150, latencyByAction: { DescribeInstanceStatus: 0 } });
    let t = Date.now();
    await call('DescribeInstances', describe1);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    t = Date.now();
    await call('DescribeInstanceStatus', { RegionId: REGION });
    expect(Date.now() - t).toBeLessThan(140);
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

describe('MemoryStore', () => {
  const base = {
    type: 't',
    account: 'a',
    region: 'r',
    status: 'Running',
    attributes: { x: 1 } as Record<string, unknown>,
    tags: {},
    name: 'n',
    createdAt: '2024-01-01T00:00:00.000Z',
  };

  it('applies due transitions lazily, in order, and removes resources', () => {
    let clock = 1_000;
    const store = new MemoryStore(() => clock);
    store.put({ ...base, id: '1' });
    store.scheduleSequence('t', 'a', '1', [
      { afterMs: 100, status: 'Stopping' },
      { afterMs: 100, status: 'Stopped', attributes: { x: undefined, y: 2 } },
      { afterMs: 100, remove: true },
    ]);
    expect(store.get('t', 'a', '1')?.status).toBe('Running');
    clock += 150;
    expect(store.get('t', 'a', '1')?.status).toBe('Stopping');
    expect(store.hasPending('t', 'a', '1')).toBe(true);
    clock += 100;
    expect(store.get('t', 'a', '1')?.attributes).toEqual({ y: 2 });
    clock += 100;
    expect(store.get('t', 'a', '1')).toBeUndefined();
    expect(store.list('t', 'a')).toEqual([]);
  });

  it('schedule replaces every pending change; channels replace only their own', () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    store.put({ ...base, id: '1' });
    store.scheduleSequence('t', 'a', '1', [{ afterMs: 100, status: 'Stopped' }], { channel: 'power' });
    store.scheduleSequence('t', 'a', '1', [{ afterMs: 100, attributes: { charge: 'PostPaid' } }], {
      channel: 'charge',
    });
    expect(store.hasPendingOn('t', 'a', '1', 'power')).toBe(true);
    clock = 100;
    expect(store.get('t', 'a', '1')).toMatchObject({
      status: 'Stopped',
      attributes: { x: 1, charge: 'PostPaid' },
    });

    store.scheduleSequence('t', 'a', '1', [{ afterMs: 50, status: 'Starting' }], { channel: 'power' });
    store.schedule('t', 'a', '1', 500, { remove: true });
    clock = 200;
    expect(store.get('t', 'a', '1')?.status).toBe('Stopped');
    clock = 600;
    expect(store.get('t', 'a', '1')).toBeUndefined();
  });

  it('keeps accounts apart', () => {
    const store = new MemoryStore();
    store.put({ ...base, id: '1' });
    store.put({ ...base, id: '1', account: 'b', status: 'Stopped' });
    expect(store.get('t', 'a', '1')?.status).toBe('Running');
    expect(store.get('t', 'b', '1')?.status).toBe('Stopped');
    expect(store.all('t')).toHaveLength(2);
  });

  it('seeds with timed follow-ups (then)', async () => {
    em.seed([
      {
        type: TYPE,
        id: 'i-core00009',
        region: REGION,
        status: 'Pending',
        then: [{ afterMs: 100, status: 'Running' }],
      },
    ]);
    expect(em.resources(TYPE).find((r) => r.id === 'i-core00009')?.status).toBe('Pending');
    await waitFor(() => em.resources(TYPE).find((r) => r.id === 'i-core00009')?.status === 'Running');
  });
});
