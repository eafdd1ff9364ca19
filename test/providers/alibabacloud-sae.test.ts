// The alibabacloud.sae.instance provider module against the emulator: real @alicloud/openapi-client
// ROA calls with ACS3 signatures, SAE's envelope, change orders walking to their final status.
import { prepareSteps } from '../../src/kinds';
import {
  SAE_APPLICATION_TYPE,
  SAE_CHANGE_ORDER_STEP,
  SAE_INSTANCE_TYPE,
} from '../../src/emulator/alibabacloud/sae';
import { alibabaSaeInstance as provider, classifySae } from '../../src/providers/alibabacloud/sae';
import type { ErrorClass } from '../../src/providers/errors';
import type { CallContext, DeletionOptions, PollOutcome } from '../../src/providers/types';
import { FIXTURES } from '../helpers/kinds';
import { callContext, captureProviderError, useEmulator } from '../helpers/provider-harness';

const REGION = 'cn-shanghai';
const APP = '017f39b8-dfa4-4e16-a84b-1dcee4b1aaaa';
const STEP_MS = 150;
const PLAIN: DeletionOptions = { force: false, convertPrepaid: false };

const emu = useEmulator({ settings: { durations: { [SAE_CHANGE_ORDER_STEP]: STEP_MS } } });
afterEach(() => jest.restoreAllMocks());

const ctx = (overrides: Partial<CallContext> = {}) =>
  callContext(emu, 'alibabacloud', { region: REGION, appId: APP, ...overrides });

function seedApp(attributes: Record<string, unknown> = {}, appId = APP) {
  emu.seed([{ type: SAE_APPLICATION_TYPE, id: appId, region: REGION, name: 'demo-app', attributes }]);
}

function seedInstances(
  ids: string[],
  attributes: Record<string, unknown> = {},
  status = 'Running',
  appId = APP,
) {
  emu.seed(
    ids.map((id) => ({
      type: SAE_INSTANCE_TYPE,
      id,
      region: REGION,
      status,
      attributes: { AppId: appId, ...attributes },
    })),
  );
}

// The emulator's clock stands still unless a test advances it: a change order moves one step per
// advance of STEP_MS, however slow the machine is.
beforeEach(() => emu.clock.freeze());

/** Most steps an order takes to settle (each pending poll advances the clock one step). */
const MAX_STEPS = 20;

/** Polls, advancing the emulator's clock one step after each pending answer, until the order leaves 0/1. */
async function settle(
  ids: string[],
  tracking: string,
  onPending: (outcomes: PollOutcome[]) => void = () => undefined,
): Promise<PollOutcome[]> {
  for (let step = 0; step < MAX_STEPS; step++) {
    const outcomes = await provider.poll(ctx(), ids, tracking);
    if (outcomes.every((o) => o.result !== 'pending')) return outcomes;
    onPending(outcomes);
    emu.clock.advance(STEP_MS);
  }
  throw new Error(`change order ${tracking} still pending after ${MAX_STEPS} steps`);
}

describe('describe', () => {
  test('present instances are ready with their container status, absent ones gone', async () => {
    seedApp();
    seedInstances(['demo-aaa-1', 'demo-aaa-2']);
    seedInstances(['demo-aaa-3'], {}, 'CrashLoopBackOff');
    const assessments = await provider.describe(ctx(), ['demo-aaa-1', 'demo-aaa-3', 'demo-zzz-9'], PLAIN);
    expect(assessments).toEqual([
      { id: 'demo-aaa-1', state: 'ready', status: 'Running' },
      { id: 'demo-aaa-3', state: 'ready', status: 'CrashLoopBackOff' },
      { id: 'demo-zzz-9', state: 'gone' },
    ]);
    const groups = emu.calls({ action: 'DescribeApplicationGroups' });
    const pages = emu.calls({ action: 'DescribeApplicationInstances' });
    expect(groups).toHaveLength(1);
    expect(groups[0].params).toMatchObject({ AppId: APP });
    expect(pages).toHaveLength(1);
    expect(pages[0].params).toMatchObject({
      AppId: APP,
      GroupId: `${APP}-default-group`,
      CurrentPage: '1',
      PageSize: '100',
    });
  });

  test('instances of another application, or of another account, are gone', async () => {
    seedApp();
    seedApp({}, 'other-app');
    seedInstances(['demo-other-1'], {}, 'Running', 'other-app');
    emu.seed([
      {
        type: SAE_INSTANCE_TYPE,
        id: 'demo-acct-1',
        account: 'other',
        region: REGION,
        attributes: { AppId: APP },
      },
    ]);
    expect(await provider.describe(ctx(), ['demo-other-1', 'demo-acct-1'], PLAIN)).toEqual([
      { id: 'demo-other-1', state: 'gone' },
      { id: 'demo-acct-1', state: 'gone' },
    ]);
  });

  test('an unknown application means every id is gone', async () => {
    expect(await provider.describe(ctx(), ['demo-aaa-1', 'demo-aaa-2'], PLAIN)).toEqual([
      { id: 'demo-aaa-1', state: 'gone' },
      { id: 'demo-aaa-2', state: 'gone' },
    ]);
    expect(emu.calls({ action: 'DescribeApplicationGroups' })[0]).toMatchObject({
      errorCode: 'InvalidApplication.NotFound',
      httpStatus: 400,
    });
  });

  test('pages through every group until all ids are found', async () => {
    seedApp();
    const many = Array.from({ length: 230 }, (_, i) => `demo-page-${String(i).padStart(3, '0')}`);
    seedInstances(many);
    seedInstances(['demo-blue-1', 'demo-blue-2'], { GroupId: 'grp-blue' });
    const wanted = ['demo-page-000', 'demo-page-150', 'demo-page-229', 'demo-blue-2', 'demo-none-1'];
    const assessments = await provider.describe(ctx(), wanted, PLAIN);
    expect(assessments.map((a) => a.state)).toEqual(['ready', 'ready', 'ready', 'ready', 'gone']);
    const pages = emu
      .calls({ action: 'DescribeApplicationInstances' })
      .map((c) => [c.params.GroupId, c.params.CurrentPage]);
    expect(pages).toEqual([
      [`${APP}-default-group`, '1'],
      [`${APP}-default-group`, '2'],
      [`${APP}-default-group`, '3'],
      ['grp-blue', '1'],
    ]);
  });

  test('stops paging once every id is found', async () => {
    seedApp();
    seedInstances(Array.from({ length: 150 }, (_, i) => `demo-stop-${String(i).padStart(3, '0')}`));
    await provider.describe(ctx(), ['demo-stop-001'], PLAIN);
    expect(emu.calls({ action: 'DescribeApplicationInstances' })).toHaveLength(1);
  });

  test('instances a change order is removing are transitional', async () => {
    seedApp();
    seedInstances(['demo-aaa-1', 'demo-aaa-2']);
    await provider.delete(ctx(), ['demo-aaa-1'], 'unused', PLAIN);
    expect(await provider.describe(ctx(), ['demo-aaa-1', 'demo-aaa-2'], PLAIN)).toEqual([
      { id: 'demo-aaa-1', state: 'transitional', status: 'Terminating' },
      { id: 'demo-aaa-2', state: 'ready', status: 'Running' },
    ]);
  });

  test('needs the application id; refuses more than 100 ids', async () => {
    expect(
      await captureProviderError(provider.describe(ctx({ appId: undefined }), ['demo-aaa-1'], PLAIN)),
    ).toMatchObject({
      code: 'MissingAppId',
      errorClass: 'permanent',
    });
    const ids = Array.from({ length: 101 }, (_, i) => `demo-many-${i}`);
    expect(await captureProviderError(provider.describe(ctx(), ids, PLAIN))).toMatchObject({
      code: 'BatchTooLarge',
    });
    expect(emu.calls()).toHaveLength(0);
    expect(prepareSteps(provider.meta)).toEqual([]);
    expect(provider.prepare).toBeUndefined();
    expect(provider.dryRunDelete).toBeUndefined();
  });
});

describe('delete and poll', () => {
  test('the change order walks 0 -> 1 -> 2 and the instances go away', async () => {
    seedApp();
    seedInstances(['demo-aaa-1', 'demo-aaa-2', 'demo-aaa-3']);
    const answer = await provider.delete(ctx(), ['demo-aaa-1', 'demo-aaa-2'], 'ignored-token', PLAIN);
    expect(answer.outcomes).toEqual([
      { id: 'demo-aaa-1', result: 'accepted' },
      { id: 'demo-aaa-2', result: 'accepted' },
    ]);
    expect(answer.tracking).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const call = emu.calls({ action: 'DeleteInstances' })[0];
    expect(call.params).toMatchObject({ AppId: APP, InstanceIds: 'demo-aaa-1,demo-aaa-2' });
    // SAE's DeleteInstances takes no ClientToken.
    expect(call.params.ClientToken).toBeUndefined();

    const ids = ['demo-aaa-1', 'demo-aaa-2'];
    const tracking = answer.tracking as string;
    const seen = new Set<string>();
    const done = await settle(ids, tracking, (outcomes) => {
      for (const o of outcomes) if (o.result === 'pending') seen.add(o.status);
    });
    expect(done).toEqual([
      { id: 'demo-aaa-1', result: 'gone' },
      { id: 'demo-aaa-2', result: 'gone' },
    ]);
    expect([...seen]).toEqual([`change order ${tracking}: preparing`, `change order ${tracking}: executing`]);
    expect(emu.resources(SAE_INSTANCE_TYPE).map((r) => r.id)).toEqual(['demo-aaa-3']);
    expect(await provider.describe(ctx(), ['demo-aaa-1', 'demo-aaa-3'], PLAIN)).toEqual([
      { id: 'demo-aaa-1', state: 'gone' },
      { id: 'demo-aaa-3', state: 'ready', status: 'Running' },
    ]);
  });

  const failures: Array<[outcome: number, code: string, errorClass: ErrorClass, message: RegExp]> = [
    [3, 'ChangeOrder.Failed', 'permanent', /failed/],
    [6, 'ChangeOrder.Terminated', 'permanent', /terminated/],
    [10, 'ChangeOrder.SystemError', 'permanent', /system error/],
    [8, 'ChangeOrder.AwaitingBatchConfirmation', 'needs-operator', /a person must confirm/],
    [11, 'ChangeOrder.PendingApproval', 'needs-operator', /a person must approve/],
  ];

  test.each(failures)(
    'a change order ending at %i is failed %s (%s)',
    async (outcome, code, errorClass, message) => {
      seedApp({ changeOrderOutcome: outcome });
      seedInstances(['demo-bbb-1']);
      const { tracking } = await provider.delete(ctx(), ['demo-bbb-1'], 't', PLAIN);
      const [result] = await settle(['demo-bbb-1'], tracking as string);
      expect(result).toMatchObject({ id: 'demo-bbb-1', result: 'failed', errorCode: code, errorClass });
      const failed = result as Extract<PollOutcome, { result: 'failed' }>;
      expect(failed.message).toMatch(message);
      expect(failed.message).toContain(tracking as string);
      expect(failed.status).toBe(`change order ${tracking}: status ${outcome}`);
      expect(classifySae(code)).toBe(errorClass);
      // The instance stays: the order did not remove it.
      expect(emu.resources(SAE_INSTANCE_TYPE).map((r) => r.id)).toEqual(['demo-bbb-1']);
    },
  );

  test('an instance seeded with changeOrderOutcome decides its batch', async () => {
    seedApp();
    seedInstances(['demo-ccc-1']);
    seedInstances(['demo-ccc-2'], { changeOrderOutcome: 11 });
    const { tracking } = await provider.delete(ctx(), ['demo-ccc-1', 'demo-ccc-2'], 't', PLAIN);
    const outcomes = await settle(['demo-ccc-1', 'demo-ccc-2'], tracking as string);
    expect(outcomes.map((o) => (o.result === 'failed' ? o.errorCode : o.result))).toEqual([
      'ChangeOrder.PendingApproval',
      'ChangeOrder.PendingApproval',
    ]);
  });

  test('statuses 8 and 11 stay, and block every later change order of the application', async () => {
    seedApp({ changeOrderOutcome: 8 });
    seedInstances(['demo-ddd-1', 'demo-ddd-2']);
    const { tracking } = await provider.delete(ctx(), ['demo-ddd-1'], 't', PLAIN);
    await settle(['demo-ddd-1'], tracking as string);
    emu.clock.advance(3 * STEP_MS);
    const [still] = await provider.poll(ctx(), ['demo-ddd-1'], tracking);
    expect(still).toMatchObject({ result: 'failed', errorCode: 'ChangeOrder.AwaitingBatchConfirmation' });
    expect(await captureProviderError(provider.delete(ctx(), ['demo-ddd-2'], 't', PLAIN))).toMatchObject({
      code: 'Application.ChangerOrderRunning',
      errorClass: 'busy',
      httpStatus: 400,
    });
  });

  test('Application.ChangerOrderRunning while another order runs, accepted once it is done', async () => {
    seedApp();
    seedInstances(['demo-eee-1', 'demo-eee-2']);
    const first = await provider.delete(ctx(), ['demo-eee-1'], 't', PLAIN);
    const busy = await captureProviderError(provider.delete(ctx(), ['demo-eee-2'], 't', PLAIN));
    expect(busy).toMatchObject({
      code: 'Application.ChangerOrderRunning',
      errorClass: 'busy',
      httpStatus: 400,
    });
    await settle(['demo-eee-1'], first.tracking as string);
    const second = await provider.delete(ctx(), ['demo-eee-2'], 't', PLAIN);
    expect(second.tracking).not.toBe(first.tracking);
    expect(await settle(['demo-eee-2'], second.tracking as string)).toEqual([
      { id: 'demo-eee-2', result: 'gone' },
    ]);
  });

  test('a failed order is final: the next delete is accepted', async () => {
    seedApp();
    seedInstances(['demo-fff-1'], { changeOrderOutcome: 3 });
    seedInstances(['demo-fff-2']);
    const first = await provider.delete(ctx(), ['demo-fff-1'], 't', PLAIN);
    await settle(['demo-fff-1'], first.tracking as string);
    const second = await provider.delete(ctx(), ['demo-fff-2'], 't', PLAIN);
    expect(await settle(['demo-fff-2'], second.tracking as string)).toEqual([
      { id: 'demo-fff-2', result: 'gone' },
    ]);
  });

  test('an application that is not deployed: Application.NotDeployYet, permanent', async () => {
    seedApp({ deployed: false });
    seedInstances(['demo-ggg-1']);
    expect(await captureProviderError(provider.delete(ctx(), ['demo-ggg-1'], 't', PLAIN))).toMatchObject({
      code: 'Application.NotDeployYet',
      errorClass: 'permanent',
      httpStatus: 400,
    });
  });

  test('a deleted application: delete throws gone, poll reports every id gone', async () => {
    expect(await captureProviderError(provider.delete(ctx(), ['demo-hhh-1'], 't', PLAIN))).toMatchObject({
      code: 'InvalidApplication.NotFound',
      errorClass: 'gone',
    });
    emu.injectFault({
      action: 'DescribeChangeOrder',
      code: 'InvalidApplication.NotFound',
      httpStatus: 400,
      count: 1,
    });
    expect(await provider.poll(ctx(), ['demo-hhh-1'], 'some-order')).toEqual([
      { id: 'demo-hhh-1', result: 'gone' },
    ]);
  });

  test('without tracking, poll watches the instances themselves', async () => {
    seedApp();
    seedInstances(['demo-iii-1']);
    expect(await provider.poll(ctx(), ['demo-iii-1', 'demo-iii-2'], undefined)).toEqual([
      { id: 'demo-iii-1', result: 'pending', status: 'Running' },
      { id: 'demo-iii-2', result: 'gone' },
    ]);
    expect(emu.calls({ action: 'DescribeChangeOrder' })).toHaveLength(0);
  });

  test('an unknown change order is a permanent error', async () => {
    seedApp();
    expect(await captureProviderError(provider.poll(ctx(), ['demo-jjj-1'], 'no-such-order'))).toMatchObject({
      code: 'InvalidChangeOrder.NotFound',
      errorClass: 'permanent',
      httpStatus: 400,
    });
  });
});

describe('error table', () => {
  // Every code of the SAE DeleteInstances seed (shared/seeds/002, listed once in the kinds'
  // fixtures), all HTTP 400, plus the Alibaba-wide codes shared with ECS through client.ts.
  const cases: Array<[code: string, httpStatus: number, errorClass: ErrorClass]> = [
    ...FIXTURES['alibabacloud.sae.instance'].seedCodes,
    ['InvalidAppId.NotFound', 400, 'gone'],
    ['Throttling.User', 400, 'throttled'],
    ['Rejected.Throttling', 400, 'throttled'],
    ['ServiceUnavailable', 503, 'throttled'],
    ['InternalError', 500, 'transient'],
    ['InvalidAccessKeyId.NotFound', 404, 'auth'],
    ['SignatureDoesNotMatch', 400, 'auth'],
    ['Forbidden.RAM', 403, 'auth'],
    ['InvalidTimeStamp.Expired', 400, 'clock'],
    ['SignatureNonceUsed', 400, 'clock'],
    ['IdempotentProcessing', 400, 'busy'],
    ['MissingParameter', 400, 'permanent'],
  ];

  test.each(cases)('DeleteInstances answering %s (HTTP %i) is %s', async (code, httpStatus, errorClass) => {
    seedApp();
    seedInstances(['demo-err-1']);
    emu.injectFault({ action: 'DeleteInstances', code, httpStatus, count: 1 });
    const err = await captureProviderError(provider.delete(ctx(), ['demo-err-1'], 't', PLAIN));
    expect({ code: err.code, errorClass: err.errorClass, httpStatus: err.httpStatus }).toEqual({
      code,
      errorClass,
      httpStatus,
    });
    expect(err.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(classifySae(code, httpStatus)).toBe(errorClass);
  });

  test('describe surfaces non-gone errors and poll surfaces busy ones', async () => {
    seedApp();
    emu.injectFault({
      action: 'DescribeApplicationInstances',
      code: 'System.Upgrading',
      httpStatus: 400,
      count: 1,
    });
    expect(await captureProviderError(provider.describe(ctx(), ['demo-aaa-1'], PLAIN))).toMatchObject({
      code: 'System.Upgrading',
      errorClass: 'busy',
    });
    emu.injectFault({ action: 'DescribeChangeOrder', code: 'Throttling.User', httpStatus: 400, count: 1 });
    expect(await captureProviderError(provider.poll(ctx(), ['demo-aaa-1'], 'x'))).toMatchObject({
      errorClass: 'throttled',
    });
  });

  test('wrong credentials are auth', async () => {
    seedApp();
    const { accessKeyId } = emu.accounts.alibabacloud;
    expect(
      await captureProviderError(
        provider.describe(
          ctx({ credentials: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 's' } }),
          ['a-b-c'],
          PLAIN,
        ),
      ),
    ).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', errorClass: 'auth' });
    expect(
      await captureProviderError(
        provider.delete(
          ctx({ credentials: { accessKeyId, accessKeySecret: 'wrong' } }),
          ['a-b-c'],
          't',
          PLAIN,
        ),
      ),
    ).toMatchObject({ code: 'SignatureDoesNotMatch', errorClass: 'auth' });
  });
});
