// Tencent Cloud through the whole emulator (startEmulator), spoken to by the real
// tencentcloud-sdk-nodejs-common CommonClient and by plain fetch (to see the wire).
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { emulatorAccount } from '../../src/emulator/accounts';
import { GAAP_DESTROY_DURATION, GAAP_PROXY_TYPE } from '../../src/emulator/tencentcloud/gaap';
import { MS_DELETE_DURATION, MS_SCAN_TYPE } from '../../src/emulator/tencentcloud/ms';
import { sleep, useEmulator, untilInFlight, IN_FLIGHT_LATENCY_MS } from '../helpers/provider-harness';

const emu = useEmulator({
  settings: { durations: { [GAAP_DESTROY_DURATION]: 200, [MS_DELETE_DURATION]: 200 } },
});

function client(
  service: 'ms' | 'gaap',
  opts: { secretKey?: string; account?: 'default' | 'other' } = {},
): CommonClient {
  const account = emulatorAccount('tencentcloud', opts.account);
  return new CommonClient(`${service}.tencentcloudapi.com`, service === 'ms' ? '2018-04-08' : '2018-05-29', {
    credential: { secretId: account.accessKeyId, secretKey: opts.secretKey ?? account.accessKeySecret },
    profile: { httpProfile: { endpoint: emu.endpoint, protocol: 'http://' } },
  });
}

async function errorOf(
  run: Promise<unknown>,
): Promise<{ code?: string; requestId?: string; httpCode?: number; message: string }> {
  try {
    await run;
  } catch (err) {
    return err as { code?: string; requestId?: string; message: string };
  }
  throw new Error('expected the call to fail');
}

test('seeding fills the defaults of both types', () => {
  const [scan, proxy] = emu.seed([
    { type: MS_SCAN_TYPE, id: 'app-dflt' },
    { type: GAAP_PROXY_TYPE, id: 'link-dflt0001' },
  ]);
  expect(scan).toMatchObject({ status: 'SCANNED', attributes: { TaskStatus: 1 } });
  expect(proxy).toMatchObject({ status: 'RUNNING' });
});

test('a signed call reaches the product and comes back in the Response envelope', async () => {
  emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-aaaa0001', name: 'edge' }]);
  const answer = await client('gaap').request('DescribeProxies', { ProxyIds: ['link-aaaa0001'] });
  expect(answer).toMatchObject({
    TotalCount: 1,
    ProxySet: [{ ProxyId: 'link-aaaa0001', ProxyName: 'edge', Status: 'RUNNING' }],
  });
  expect(typeof answer.RequestId).toBe('string');
  // The call log knows it as Tencent's gaap DescribeProxies.
  expect(emu.calls({ action: 'DescribeProxies' })[0]).toMatchObject({
    provider: 'tencentcloud',
    service: 'gaap',
    httpStatus: 200,
  });
});

test('errors travel as HTTP 200 with Response.Error, even when the fault defaults to a 5xx', async () => {
  emu.injectFault({
    provider: 'tencentcloud',
    action: 'DescribeScanInstances',
    code: 'InternalError.ServerError',
    count: 1,
  });
  const res = await fetch(emu.url, {
    method: 'POST',
    headers: { 'X-TC-Action': 'DescribeScanInstances', 'Content-Type': 'application/json' },
    body: '{}',
  });
  // An unsigned request: Tencent's own auth code, still HTTP 200.
  expect(res.status).toBe(200);
  const body = (await res.json()) as { Response: { Error: { Code: string }; RequestId: string } };
  expect(body.Response.Error.Code).toBe('AuthFailure.InvalidAuthorization');
  expect(body.Response.RequestId).toEqual(expect.any(String));

  const err = await errorOf(client('ms').request('DescribeScanInstances', {}));
  expect(err.code).toBe('InternalError.ServerError');
  expect(err.requestId).toEqual(expect.any(String));
  expect(emu.calls({ action: 'DescribeScanInstances' }).at(-1)).toMatchObject({
    httpStatus: 200,
    injected: true,
  });
});

test('a fault coded HTTP502 fails below the API', async () => {
  emu.injectFault({ provider: 'tencentcloud', action: 'DescribeProxies', code: 'HTTP502', count: 1 });
  const err = await errorOf(client('gaap').request('DescribeProxies', {}));
  expect(err.httpCode).toBe(502);
  expect(err.code).toBeUndefined();
});

test('auth failures answer Tencent codes: bad secret, unknown action', async () => {
  expect(
    (await errorOf(client('ms', { secretKey: 'wrong' }).request('DescribeScanInstances', {}))).code,
  ).toBe('AuthFailure.SignatureFailure');
  expect((await errorOf(client('ms').request('DescribeShieldInstances', {}))).code).toBe('InvalidAction');
  expect(emu.calls().at(-1)).toMatchObject({ action: 'DescribeShieldInstances', errorCode: 'InvalidAction' });
});

test('a second account sees none of the first account’s resources', async () => {
  emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-mine0001' }]);
  expect(
    (
      await errorOf(
        client('gaap', { account: 'other' }).request('DescribeProxies', { ProxyIds: ['link-mine0001'] }),
      )
    ).code,
  ).toBe('ResourceNotFound');
});

test('20 requests per second per action: the rest answer RequestLimitExceeded', async () => {
  const c = client('gaap');
  // All 30 calls within one emulator second (its clock is frozen): exactly 20 pass.
  emu.clock.freeze();
  const results = await Promise.allSettled(
    Array.from({ length: 30 }, () => c.request('DescribeProxies', {})),
  );
  const throttled = results.filter(
    (r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'RequestLimitExceeded',
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  expect(ok).toHaveLength(20);
  expect(throttled.length).toBe(30 - ok.length);
  // Another action has its own quota.
  await expect(
    client('gaap').request('DestroyProxies', { ProxyIds: ['link-none0001'], Force: 1 }),
  ).rejects.toMatchObject({
    code: 'ResourceNotFound',
  });
  expect(emu.stats().quotaBreaches.byAction).toEqual({ DescribeProxies: throttled.length });
});

test('ClientToken: same token and parameters replay the first answer; other parameters are a duplicate', async () => {
  emu.seed([
    { type: GAAP_PROXY_TYPE, id: 'link-tok00001' },
    { type: GAAP_PROXY_TYPE, id: 'link-tok00002', status: 'CREATING' },
  ]);
  const c = client('gaap');
  const params = { ProxyIds: ['link-tok00001', 'link-tok00002'], Force: 1, ClientToken: 'ct-same' };
  const first = await c.request('DestroyProxies', params);
  expect(first).toMatchObject({
    InvalidStatusInstanceSet: ['link-tok00002'],
    OperationFailedInstanceSet: [],
  });
  const again = await c.request('DestroyProxies', params);
  expect(again).toMatchObject({
    InvalidStatusInstanceSet: ['link-tok00002'],
    OperationFailedInstanceSet: [],
  });
  expect(emu.calls({ clientToken: 'ct-same' }).map((call) => call.errorCode)).toEqual([undefined, undefined]);
  const mismatch = await errorOf(c.request('DestroyProxies', { ...params, Force: 0 }));
  expect(mismatch.code).toBe('FailedOperation.DuplicatedRequest');
  const tooLong = await errorOf(c.request('DestroyProxies', { ...params, ClientToken: 'x'.repeat(65) }));
  expect(tooLong.code).toBe('InvalidParameterValue');
});

test('ClientToken: a second call while the first is in flight answers FailedOperation.ActionIsDoing', async () => {
  emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-slow0001' }]);
  emu.setSettings({ latencyByAction: { DestroyProxies: IN_FLIGHT_LATENCY_MS } });
  const c = client('gaap');
  const params = { ProxyIds: ['link-slow0001'], Force: 1, ClientToken: 'ct-slow' };
  const first = c.request('DestroyProxies', params);
  await untilInFlight(emu, 'DestroyProxies');
  const second = await errorOf(c.request('DestroyProxies', params));
  expect(second.code).toBe('FailedOperation.ActionIsDoing');
  await expect(first).resolves.toMatchObject({ InvalidStatusInstanceSet: [] });
});

test('GAAP: destroyed proxies disappear after the destroy duration', async () => {
  emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-life0001' }]);
  const c = client('gaap');
  await c.request('DestroyProxies', { ProxyIds: ['link-life0001'], Force: 0, ClientToken: 'ct-life' });
  expect(await c.request('DescribeProxies', { ProxyIds: ['link-life0001'] })).toMatchObject({
    ProxySet: [{ Status: 'DESTROYING' }],
  });
  await sleep(250);
  expect((await errorOf(c.request('DescribeProxies', { ProxyIds: ['link-life0001'] }))).code).toBe(
    'ResourceNotFound',
  );
  expect(emu.resources(GAAP_PROXY_TYPE)).toEqual([]);
});

test('MS: a delete task runs, reports its progress, then the scans are gone', async () => {
  emu.seed([
    { type: MS_SCAN_TYPE, id: 'app-life-1' },
    { type: MS_SCAN_TYPE, id: 'app-life-2' },
  ]);
  const c = client('ms');
  expect(await c.request('DeleteScanInstances', { AppSids: ['app-life-1', 'app-life-2'] })).toMatchObject({
    Progress: 2,
  });
  const listing = (await c.request('DescribeScanInstances', { Limit: 100 })) as {
    ScanSet: Array<{ AppSid: string; TaskStatus: number }>;
  };
  expect(listing.ScanSet.find((scan) => scan.AppSid === 'app-life-1')).toMatchObject({ TaskStatus: 2 });
  await sleep(250);
  expect(await c.request('DeleteScanInstances', { AppSids: ['app-life-2', 'app-life-1'] })).toMatchObject({
    Progress: 1,
  });
  expect(await c.request('DescribeScanInstances', {})).toMatchObject({ TotalCount: 0 });
});
