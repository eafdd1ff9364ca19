// The emulator core: admin API (in-process and HTTP), product-declared defaults, malformed
// requests. Faults, ClientToken memory and latency are in calls.test.ts; quotas, the clock, the
// store and the state file have their own files. Cloud calls go through the real Alibaba SDK.
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { ecsProduct } from '../../src/emulator/alibabacloud/ecs';
import { PRODUCTS } from '../../src/emulator/registry';
import { DEFAULT_SETTINGS } from '../../src/emulator/server';
import { productDurations } from '../../src/emulator/settings';
import type { ProductHandler } from '../../src/emulator/types';
import { useCoreEmulator } from '../helpers/core-emulator';

const { TYPE, REGION, buggyProduct, em, call, describe1, admin } = useCoreEmulator();

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
