// tencentcloud.gaap.proxy's provider module against the emulator (startEmulator): describe,
// delete (per-id InvalidStatusInstanceSet / OperationFailedInstanceSet, Force, ClientToken) and
// poll, and every code of GAAP's error table injected as a fault reaching its class.
import { prepareSteps } from '../../src/kinds';
import { GAAP_DESTROY_DURATION, GAAP_PROXY_TYPE } from '../../src/emulator/tencentcloud/gaap';
import type { ErrorClass, ProviderError } from '../../src/providers/errors';
import { tencentGaapProxy as gaap } from '../../src/providers/tencentcloud/gaap';
import type { CallContext, DeletionOptions } from '../../src/providers/types';
import {
  callContext,
  captureProviderError,
  sleep,
  useEmulator,
  untilInFlight,
  IN_FLIGHT_LATENCY_MS,
} from '../helpers/provider-harness';

const DESTROY_MS = 200;
const NO_FORCE: DeletionOptions = { force: false, convertPrepaid: false };
const FORCE: DeletionOptions = { force: true, convertPrepaid: false };

const emu = useEmulator({ settings: { durations: { [GAAP_DESTROY_DURATION]: DESTROY_MS } } });
let ctx: CallContext;
beforeAll(() => {
  ctx = callContext(emu, 'tencentcloud');
});

function seed(id: string, status = 'RUNNING', attributes: Record<string, unknown> = {}) {
  emu.seed([{ type: GAAP_PROXY_TYPE, id, status, attributes }]);
}

test('meta and shape', () => {
  expect(gaap.meta.kind).toBe('tencentcloud.gaap.proxy');
  expect(gaap.meta.batchLimit).toBe(100);
  expect(prepareSteps(gaap.meta)).toEqual([]);
});

test('describe: RUNNING/CLOSED/ISOLATED ready, transitional ones (DESTROYING included) transitional, absent gone', async () => {
  seed('link-run00001');
  seed('link-cls00001', 'CLOSED');
  seed('link-iso00001', 'ISOLATED');
  seed('link-new00001', 'CREATING');
  seed('link-del00001', 'DESTROYING');
  const ids = [
    'link-run00001',
    'link-cls00001',
    'link-iso00001',
    'link-new00001',
    'link-del00001',
    'link-ghost001',
  ];
  expect(await gaap.describe(ctx, ids, NO_FORCE)).toEqual([
    { id: 'link-run00001', state: 'ready', status: 'RUNNING' },
    { id: 'link-cls00001', state: 'ready', status: 'CLOSED' },
    { id: 'link-iso00001', state: 'ready', status: 'ISOLATED' },
    { id: 'link-new00001', state: 'transitional', status: 'CREATING' },
    { id: 'link-del00001', state: 'transitional', status: 'DESTROYING' },
    { id: 'link-ghost001', state: 'gone' },
  ]);
  // One call, with a Limit that covers every id (the default 20 would not).
  const [call] = emu.calls({ action: 'DescribeProxies' });
  expect(call.params).toEqual({ ProxyIds: ids, Offset: 0, Limit: 100 });
});

test('describe: ResourceNotFound (none of the proxies exists) means every id is gone', async () => {
  expect(await gaap.describe(ctx, ['link-ghost001', 'link-ghost002'], NO_FORCE)).toEqual([
    { id: 'link-ghost001', state: 'gone' },
    { id: 'link-ghost002', state: 'gone' },
  ]);
  expect(emu.calls({ action: 'DescribeProxies' })[0].errorCode).toBe('ResourceNotFound');
});

test('delete: Force and ClientToken on the wire; accepted -> poll pending DESTROYING -> gone', async () => {
  seed('link-aaaa0001');
  seed('link-bbbb0002', 'CLOSED');
  const ids = ['link-aaaa0001', 'link-bbbb0002'];
  const answer = await gaap.delete(ctx, ids, 'ct-delete-1', NO_FORCE);
  expect(answer.outcomes).toEqual(ids.map((id) => ({ id, result: 'accepted' })));
  expect(answer.requestId).toEqual(expect.any(String));
  expect(emu.calls({ action: 'DestroyProxies' })[0]).toMatchObject({
    clientToken: 'ct-delete-1',
    params: { ProxyIds: ids, Force: 0, ClientToken: 'ct-delete-1' },
  });
  expect(await gaap.poll(ctx, ids, undefined)).toEqual(
    ids.map((id) => ({ id, result: 'pending', status: 'DESTROYING' })),
  );
  await sleep(DESTROY_MS + 50);
  // Both gone: DescribeProxies answers ResourceNotFound, which the poll reads as gone.
  expect(await gaap.poll(ctx, ids, undefined)).toEqual(ids.map((id) => ({ id, result: 'gone' })));
  // An activity retry re-sends the same token and parameters: the first answer again.
  expect((await gaap.delete(ctx, ids, 'ct-delete-1', NO_FORCE)).outcomes).toEqual(
    ids.map((id) => ({ id, result: 'accepted' })),
  );
  expect(emu.stats().idempotentReplays).toBe(1);
});

test('delete: per-id sets — InvalidStatusInstanceSet and OperationFailedInstanceSet are retries, the rest accepted', async () => {
  seed('link-ok000001');
  seed('link-busy0001', 'ADJUSTING');
  seed('link-flak0001', 'RUNNING', { failDestroy: 1 });
  const ids = ['link-ok000001', 'link-busy0001', 'link-flak0001'];
  const answer = await gaap.delete(ctx, ids, 'ct-gen-0', FORCE);
  expect(answer.outcomes).toEqual([
    { id: 'link-ok000001', result: 'accepted' },
    expect.objectContaining({ id: 'link-busy0001', result: 'retry', errorCode: 'InvalidStatusInstanceSet' }),
    expect.objectContaining({
      id: 'link-flak0001',
      result: 'retry',
      errorCode: 'OperationFailedInstanceSet',
    }),
  ]);
  // The workflow re-issues the failed one with a new generation (another token): it goes through.
  expect((await gaap.delete(ctx, ['link-flak0001'], 'ct-gen-1', FORCE)).outcomes).toEqual([
    { id: 'link-flak0001', result: 'accepted' },
  ]);
  expect(emu.calls({ action: 'DestroyProxies' })[0].params).toMatchObject({ Force: 1 });
});

test('delete with Force=0 and bound origin servers: needs-operator for the whole call; with force it goes', async () => {
  seed('link-bound001', 'RUNNING', { boundRealServers: true });
  seed('link-free0001');
  const err = await captureProviderError(
    gaap.delete(ctx, ['link-bound001', 'link-free0001'], 'ct-1', NO_FORCE),
  );
  expect(err).toMatchObject({
    code: 'FailedOperation.RealServerAlreadyBound',
    errorClass: 'needs-operator',
    httpStatus: 200,
  });
  expect(err.message).toContain('force');
  expect((await gaap.delete(ctx, ['link-bound001', 'link-free0001'], 'ct-2', FORCE)).outcomes).toEqual([
    { id: 'link-bound001', result: 'accepted' },
    { id: 'link-free0001', result: 'accepted' },
  ]);
});

test('delete of vanished proxies: one id is gone; a batch throws ResourceNotFound (gone) for the workflow to re-describe', async () => {
  expect((await gaap.delete(ctx, ['link-ghost001'], 'ct-1', NO_FORCE)).outcomes).toEqual([
    { id: 'link-ghost001', result: 'gone' },
  ]);
  expect(
    await captureProviderError(gaap.delete(ctx, ['link-ghost001', 'link-ghost002'], 'ct-2', NO_FORCE)),
  ).toMatchObject({
    code: 'ResourceNotFound',
    errorClass: 'gone',
  });
});

test('the same token with other parameters is FailedOperation.DuplicatedRequest (permanent)', async () => {
  seed('link-aaaa0001');
  seed('link-bbbb0002');
  await gaap.delete(ctx, ['link-aaaa0001', 'link-bbbb0002'], 'ct-shared', NO_FORCE);
  expect(
    await captureProviderError(gaap.delete(ctx, ['link-aaaa0001'], 'ct-shared', NO_FORCE)),
  ).toMatchObject({
    code: 'FailedOperation.DuplicatedRequest',
    errorClass: 'permanent',
  });
});

test('a second delete while the first is in flight: FailedOperation.ActionIsDoing (busy)', async () => {
  seed('link-slow0001');
  emu.setSettings({ latencyByAction: { DestroyProxies: IN_FLIGHT_LATENCY_MS } });
  const first = gaap.delete(ctx, ['link-slow0001'], 'ct-slow', NO_FORCE);
  await untilInFlight(emu, 'DestroyProxies');
  expect(await captureProviderError(gaap.delete(ctx, ['link-slow0001'], 'ct-slow', NO_FORCE))).toMatchObject({
    code: 'FailedOperation.ActionIsDoing',
    errorClass: 'busy',
  });
  expect((await first).outcomes).toEqual([{ id: 'link-slow0001', result: 'accepted' }]);
});

describe('every code of GAAP’s table reaches its class', () => {
  const table: Array<[string, ErrorClass]> = [
    ['FailedOperation', 'transient'],
    ['FailedOperation.AccountBalanceInsufficient', 'needs-operator'],
    ['FailedOperation.ActionIsDoing', 'busy'],
    ['FailedOperation.BelongDifferentGroup', 'permanent'],
    ['FailedOperation.DuplicatedRequest', 'permanent'],
    ['FailedOperation.RealServerAlreadyBound', 'needs-operator'],
    ['InternalError', 'transient'],
    ['InvalidParameter', 'permanent'],
    ['InvalidParameterValue', 'permanent'],
    ['MissingParameter', 'permanent'],
    ['ResourceUnavailable', 'busy'],
    ['UnauthorizedOperation', 'permanent'],
    ['UnknownParameter', 'permanent'],
    ['UnsupportedOperation', 'permanent'],
    // common codes
    ['RequestLimitExceeded', 'throttled'],
    ['AuthFailure.SignatureFailure', 'auth'],
    ['AuthFailure.SignatureExpire', 'clock'],
  ];

  test.each(table)(
    '%s -> %s (DestroyProxies via delete, DescribeProxies via describe and poll)',
    async (code, errorClass) => {
      seed('link-aaaa0001');
      expect(gaap.classify(code)).toBe(errorClass);
      emu.injectFault({ provider: 'tencentcloud', action: 'DestroyProxies', code, count: 1 });
      expect(
        await captureProviderError(gaap.delete(ctx, ['link-aaaa0001', 'link-bbbb0002'], 'ct-1', NO_FORCE)),
      ).toMatchObject({
        cloud: 'tencentcloud',
        code,
        errorClass,
        httpStatus: 200,
        requestId: expect.any(String),
      });
      for (const run of [
        () => gaap.describe(ctx, ['link-aaaa0001'], NO_FORCE),
        () => gaap.poll(ctx, ['link-aaaa0001'], undefined),
      ]) {
        emu.injectFault({ provider: 'tencentcloud', action: 'DescribeProxies', code, count: 1 });
        expect(await captureProviderError(run())).toMatchObject({ code, errorClass });
      }
    },
  );

  test('ResourceNotFound -> gone (delete of one id, delete of a batch, describe and poll)', async () => {
    seed('link-aaaa0001');
    expect(gaap.classify('ResourceNotFound')).toBe('gone');
    emu.injectFault({
      provider: 'tencentcloud',
      action: 'DestroyProxies',
      code: 'ResourceNotFound',
      count: 2,
    });
    expect((await gaap.delete(ctx, ['link-aaaa0001'], 'ct-1', NO_FORCE)).outcomes).toEqual([
      { id: 'link-aaaa0001', result: 'gone' },
    ]);
    expect(
      await captureProviderError(gaap.delete(ctx, ['link-aaaa0001', 'link-bbbb0002'], 'ct-2', NO_FORCE)),
    ).toMatchObject({
      code: 'ResourceNotFound',
      errorClass: 'gone',
    });
    emu.injectFault({
      provider: 'tencentcloud',
      action: 'DescribeProxies',
      code: 'ResourceNotFound',
      count: 2,
    });
    expect(await gaap.describe(ctx, ['link-aaaa0001'], NO_FORCE)).toEqual([
      { id: 'link-aaaa0001', state: 'gone' },
    ]);
    expect(await gaap.poll(ctx, ['link-aaaa0001'], undefined)).toEqual([
      { id: 'link-aaaa0001', result: 'gone' },
    ]);
  });

  test('FailedOperation.RealServerAlreadyBound with Force=1 is permanent (GAAP should never say it then)', async () => {
    seed('link-aaaa0001');
    emu.injectFault({
      provider: 'tencentcloud',
      action: 'DestroyProxies',
      code: 'FailedOperation.RealServerAlreadyBound',
      count: 1,
    });
    expect(await captureProviderError(gaap.delete(ctx, ['link-aaaa0001'], 'ct-1', FORCE))).toMatchObject({
      code: 'FailedOperation.RealServerAlreadyBound',
      errorClass: 'permanent',
    });
  });

  test('a gateway failure (HTTP 502 below the API) is transient', async () => {
    emu.injectFault({ provider: 'tencentcloud', action: 'DescribeProxies', code: 'HTTP502', count: 1 });
    expect(await captureProviderError(gaap.poll(ctx, ['link-aaaa0001'], undefined))).toMatchObject({
      code: 'HTTP502',
      errorClass: 'transient',
      httpStatus: 502,
    });
  });

  test('a call over the quota is RequestLimitExceeded (throttled)', async () => {
    seed('link-aaaa0001');
    // One call per 1,000 s: the second and third calls are over quota however slowly they are sent
    // (the quota's own arithmetic, 20/s and its window, is the emulator's test).
    emu.setSettings({ quotaByAction: { DescribeProxies: 0.001 } });
    const results: Array<PromiseSettledResult<unknown>> = [];
    for (let i = 0; i < 3; i++)
      [results[i]] = await Promise.allSettled([gaap.poll(ctx, ['link-aaaa0001'], undefined)]);
    const rejected = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as ProviderError);
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const err of rejected)
      expect(err).toMatchObject({ code: 'RequestLimitExceeded', errorClass: 'throttled' });
  });
});
