// The alibabacloud.ecs.instance provider module against the emulator: real @alicloud/openapi-client
// calls, real ACS3 signatures, ECS's error bodies and statuses.
import { prepareSteps } from '../../src/kinds';
import { ECS_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/ecs';
import { alibabaEcsInstance as provider, classifyEcs } from '../../src/providers/alibabacloud/ecs';
import type { ErrorClass } from '../../src/providers/errors';
import type { CallContext, DeletionOptions } from '../../src/providers/types';
import { FIXTURES } from '../helpers/kinds';
import { callContext, captureProviderError, until, useEmulator } from '../helpers/provider-harness';

const DAY = 86_400_000;
const REGION = 'cn-hangzhou';
const PLAIN: DeletionOptions = { force: false, convertPrepaid: false };
const FORCE: DeletionOptions = { force: true, convertPrepaid: false };
const CONVERT: DeletionOptions = { force: false, convertPrepaid: true };

const emu = useEmulator({
  settings: {
    durations: {
      'alibabacloud.ecs.stop': 200,
      'alibabacloud.ecs.delete': 200,
      'alibabacloud.ecs.convert': 200,
    },
  },
});
afterEach(() => jest.restoreAllMocks());

const ctx = (overrides: Partial<CallContext> = {}) =>
  callContext(emu, 'alibabacloud', { region: REGION, ...overrides });

function seed(id: string, status = 'Running', attributes: Record<string, unknown> = {}) {
  emu.seed([{ type: ECS_INSTANCE_TYPE, id, region: REGION, status, attributes }]);
}

const prepaid = (days: number) => ({
  InstanceChargeType: 'PrePaid',
  ExpiredTime: new Date(Date.now() + days * DAY).toISOString().slice(0, 16) + 'Z',
});

const lastCall = (action: string) => {
  const calls = emu.calls({ action });
  return calls[calls.length - 1];
};

describe('describe', () => {
  test('assesses every id from one DescribeInstances call', async () => {
    seed('i-run001');
    seed('i-stp002', 'Stopped');
    seed('i-pen003', 'Pending');
    seed('i-sta004', 'Starting');
    seed('i-sto005', 'Stopping');
    seed('i-pro006', 'Stopped', { DeletionProtection: true });
    seed('i-sec007', 'Running', { LockReason: 'security' });
    seed('i-fin008', 'Stopped', { ...prepaid(-1), LockReason: 'financial' });
    seed('i-pre009', 'Stopped', prepaid(30));
    const ids = [
      'i-run001',
      'i-stp002',
      'i-pen003',
      'i-sta004',
      'i-sto005',
      'i-pro006',
      'i-sec007',
      'i-fin008',
      'i-pre009',
      'i-gone010',
    ];
    const byId = Object.fromEntries((await provider.describe(ctx(), ids, PLAIN)).map((a) => [a.id, a]));

    expect(emu.calls({ action: 'DescribeInstances' })).toHaveLength(1);
    const params = lastCall('DescribeInstances').params;
    expect(JSON.parse(String(params.InstanceIds))).toEqual(ids);
    expect(params).toMatchObject({ RegionId: REGION, PageSize: '100' });

    expect(byId['i-run001']).toEqual({
      id: 'i-run001',
      state: 'needs-prepare',
      step: 'stop',
      status: 'Running',
    });
    expect(byId['i-stp002']).toEqual({ id: 'i-stp002', state: 'ready', status: 'Stopped' });
    expect(byId['i-pen003']).toEqual({ id: 'i-pen003', state: 'transitional', status: 'Pending' });
    expect(byId['i-sta004']).toEqual({ id: 'i-sta004', state: 'transitional', status: 'Starting' });
    expect(byId['i-sto005']).toEqual({ id: 'i-sto005', state: 'transitional', status: 'Stopping' });
    expect(byId['i-pro006']).toMatchObject({
      state: 'blocked',
      errorCode: 'InvalidOperation.DeletionProtection',
      errorClass: 'needs-operator',
      skipped: false,
    });
    expect((byId['i-pro006'] as { message: string }).message).toMatch(/turn it off/);
    expect(byId['i-sec007']).toMatchObject({
      state: 'blocked',
      errorCode: 'InstanceLockedForSecurity',
      errorClass: 'needs-operator',
      skipped: false,
    });
    // An expired subscription is locked 'financial', which does not stop its release.
    expect(byId['i-fin008']).toEqual({ id: 'i-fin008', state: 'ready', status: 'Stopped' });
    expect(byId['i-pre009']).toMatchObject({
      state: 'blocked',
      errorCode: 'ChargeTypeViolation',
      skipped: true,
    });
    expect((byId['i-pre009'] as { message: string }).message).toMatch(/convertPrepaid/);
    expect(byId['i-gone010']).toEqual({ id: 'i-gone010', state: 'gone' });
  });

  test('force makes a running instance ready; convertPrepaid asks for a conversion first', async () => {
    seed('i-run001');
    seed('i-pre002', 'Running', prepaid(30));
    seed('i-exp003', 'Running', prepaid(-2));
    expect(await provider.describe(ctx(), ['i-run001', 'i-pre002', 'i-exp003'], FORCE)).toEqual([
      { id: 'i-run001', state: 'ready', status: 'Running' },
      expect.objectContaining({ id: 'i-pre002', state: 'blocked', skipped: true }),
      { id: 'i-exp003', state: 'ready', status: 'Running' },
    ]);
    expect(await provider.describe(ctx(), ['i-run001', 'i-pre002', 'i-exp003'], CONVERT)).toEqual([
      { id: 'i-run001', state: 'needs-prepare', step: 'stop', status: 'Running' },
      { id: 'i-pre002', state: 'needs-prepare', step: 'convert', status: 'Running' },
      { id: 'i-exp003', state: 'needs-prepare', step: 'stop', status: 'Running' },
    ]);
    expect(await provider.describe(ctx(), ['i-pre002'], { force: true, convertPrepaid: true })).toEqual([
      { id: 'i-pre002', state: 'needs-prepare', step: 'convert', status: 'Running' },
    ]);
  });

  test('deletion protection and the security lock win over every option', async () => {
    seed('i-pro001', 'Running', { DeletionProtection: true, ...prepaid(30) });
    seed('i-sec002', 'Stopping', { LockReason: 'security' });
    const both: DeletionOptions = { force: true, convertPrepaid: true };
    const [protectedOne, locked] = await provider.describe(ctx(), ['i-pro001', 'i-sec002'], both);
    expect(protectedOne).toMatchObject({
      state: 'blocked',
      errorCode: 'InvalidOperation.DeletionProtection',
    });
    expect(locked).toMatchObject({ state: 'blocked', errorCode: 'InstanceLockedForSecurity' });
  });

  test('instances of another region or account are gone', async () => {
    emu.seed([
      { type: ECS_INSTANCE_TYPE, id: 'i-bj0001', region: 'cn-beijing', status: 'Stopped' },
      { type: ECS_INSTANCE_TYPE, id: 'i-oth002', region: REGION, status: 'Stopped', account: 'other' },
    ]);
    expect(await provider.describe(ctx(), ['i-bj0001', 'i-oth002'], PLAIN)).toEqual([
      { id: 'i-bj0001', state: 'gone' },
      { id: 'i-oth002', state: 'gone' },
    ]);
  });

  test('refuses more ids than one call takes, and calls without a region', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `i-many${String(i).padStart(3, '0')}`);
    expect(await captureProviderError(provider.describe(ctx(), ids, PLAIN))).toMatchObject({
      code: 'BatchTooLarge',
      errorClass: 'permanent',
    });
    expect(
      await captureProviderError(provider.describe(ctx({ region: undefined }), ['i-abc123'], PLAIN)),
    ).toMatchObject({
      code: 'MissingRegion',
      errorClass: 'permanent',
    });
    expect(emu.calls()).toHaveLength(0);
  });
});

describe('dryRunDelete', () => {
  test('resolves on DryRunOperation and releases nothing', async () => {
    seed('i-stp001', 'Stopped');
    seed('i-run002', 'Running');
    await provider.dryRunDelete!(ctx(), ['i-stp001'], PLAIN);
    await provider.dryRunDelete!(ctx(), ['i-stp001', 'i-run002'], FORCE);
    const call = lastCall('DeleteInstances');
    expect(call).toMatchObject({ errorCode: 'DryRunOperation' });
    expect(call.params).toMatchObject({
      DryRun: 'true',
      Force: 'true',
      'InstanceId.1': 'i-stp001',
      'InstanceId.2': 'i-run002',
    });
    expect(call.clientToken).toBeUndefined();
    expect(
      emu
        .resources(ECS_INSTANCE_TYPE)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['i-run002', 'i-stp001']);
  });

  test('throws what the real delete would meet', async () => {
    seed('i-run001', 'Running');
    seed('i-pro002', 'Stopped', { DeletionProtection: true });
    seed('i-pre003', 'Stopped', prepaid(30));
    expect(await captureProviderError(provider.dryRunDelete!(ctx(), ['i-run001'], PLAIN))).toMatchObject({
      code: 'IncorrectInstanceStatus',
      errorClass: 'busy',
      httpStatus: 403,
    });
    expect(await captureProviderError(provider.dryRunDelete!(ctx(), ['i-pro002'], PLAIN))).toMatchObject({
      code: 'InvalidOperation.DeletionProtection',
      errorClass: 'needs-operator',
    });
    expect(await captureProviderError(provider.dryRunDelete!(ctx(), ['i-pre003'], PLAIN))).toMatchObject({
      code: 'ChargeTypeViolation',
      errorClass: 'permanent',
    });
    expect(await captureProviderError(provider.dryRunDelete!(ctx(), ['i-none004'], PLAIN))).toMatchObject({
      code: 'InvalidInstanceId.NotFound',
      errorClass: 'gone',
    });
  });
});

describe('prepare', () => {
  test('stop: per-instance answers with SuccessFirst', async () => {
    seed('i-run001', 'Running');
    seed('i-sto002', 'Stopping');
    seed('i-stp003', 'Stopped');
    seed('i-sec004', 'Running', { LockReason: 'security' });
    seed('i-pen005', 'Pending');
    const outcomes = await provider.prepare!(
      ctx(),
      'stop',
      ['i-run001', 'i-sto002', 'i-stp003', 'i-sec004', 'i-pen005', 'i-none006'],
      'stop-token-1',
    );
    expect(outcomes).toEqual([
      { id: 'i-run001', result: 'accepted' },
      { id: 'i-sto002', result: 'accepted' },
      { id: 'i-stp003', result: 'accepted' },
      expect.objectContaining({
        id: 'i-sec004',
        result: 'failed',
        errorCode: 'InstanceLockedForSecurity',
        errorClass: 'needs-operator',
      }),
      expect.objectContaining({ id: 'i-pen005', result: 'retry', errorCode: 'IncorrectInstanceStatus' }),
      { id: 'i-none006', result: 'gone' },
    ]);
    // StopInstances has no ClientToken in the ECS API: none is sent.
    expect(lastCall('StopInstances').clientToken).toBeUndefined();
    expect(lastCall('StopInstances')).toMatchObject({
      params: expect.objectContaining({
        BatchOptimization: 'SuccessFirst',
        ForceStop: 'false',
        RegionId: REGION,
      }),
    });
    const after = await until(
      () => provider.describe(ctx(), ['i-run001'], PLAIN),
      ([a]) => a.state === 'ready',
    );
    expect(after).toEqual([{ id: 'i-run001', state: 'ready', status: 'Stopped' }]);
  });

  test('convert: ModifyInstanceChargeType to PostPaid, then the instance needs only a stop', async () => {
    seed('i-pre001', 'Running', prepaid(30));
    seed('i-pre002', 'Stopped', prepaid(60));
    const outcomes = await provider.prepare!(ctx(), 'convert', ['i-pre001', 'i-pre002'], 'convert-token-1');
    expect(outcomes).toEqual([
      { id: 'i-pre001', result: 'accepted' },
      { id: 'i-pre002', result: 'accepted' },
    ]);
    const call = lastCall('ModifyInstanceChargeType');
    expect(call.clientToken).toBe('convert-token-1');
    expect(JSON.parse(String(call.params.InstanceIds))).toEqual(['i-pre001', 'i-pre002']);
    expect(call.params).toMatchObject({ InstanceChargeType: 'PostPaid', AutoPay: 'true', RegionId: REGION });

    // A new generation while the conversion runs: look again later instead of failing.
    const again = await provider.prepare!(ctx(), 'convert', ['i-pre001', 'i-pre002'], 'convert-token-2');
    expect(again.map((o) => o.result)).toEqual(['retry', 'retry']);

    const converted = await until(
      () => provider.describe(ctx(), ['i-pre001', 'i-pre002'], CONVERT),
      (as) => as.every((a) => a.state !== 'needs-prepare' || a.step !== 'convert'),
    );
    expect(converted).toEqual([
      { id: 'i-pre001', state: 'needs-prepare', step: 'stop', status: 'Running' },
      { id: 'i-pre002', state: 'ready', status: 'Stopped' },
    ]);
    // A conversion ECS refuses (InvalidInstanceChargeType.ValueNotSupported) is a person's to
    // handle, never "accepted" (describe only converts instances it saw PrePaid).
    const late = await provider.prepare!(ctx(), 'convert', ['i-pre001'], 'convert-token-3');
    expect(late).toEqual([
      expect.objectContaining({ id: 'i-pre001', result: 'failed', errorClass: 'needs-operator' }),
    ]);
  });

  test('convert: at most 20 ids; unknown steps are refused', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `i-conv${String(i).padStart(3, '0')}`);
    expect(await captureProviderError(provider.prepare!(ctx(), 'convert', ids, 't'))).toMatchObject({
      code: 'BatchTooLarge',
    });
    expect(await captureProviderError(provider.prepare!(ctx(), 'reboot', ['i-abc123'], 't'))).toMatchObject({
      code: 'UnknownPrepareStep',
      errorClass: 'permanent',
    });
    expect(prepareSteps(provider.meta)).toEqual(['convert', 'stop']);
  });

  test('convert: a whole-call refusal is thrown with its class', async () => {
    seed('i-sec001', 'Running', { ...prepaid(30), LockReason: 'security' });
    expect(
      await captureProviderError(provider.prepare!(ctx(), 'convert', ['i-sec001'], 'tok')),
    ).toMatchObject({
      code: 'InstanceLockedForSecurity',
      errorClass: 'needs-operator',
    });
    expect(
      await captureProviderError(provider.prepare!(ctx(), 'convert', ['i-none002'], 'tok2')),
    ).toMatchObject({
      code: 'InvalidInstanceId.NotFound',
      errorClass: 'gone',
    });
  });
});

describe('delete and poll', () => {
  test('deletes a batch all or nothing, then polls until DescribeInstances no longer lists it', async () => {
    seed('i-stp001', 'Stopped');
    seed('i-exp002', 'Stopped', prepaid(-1));
    // The emulator's clock stands still until the test moves it past the release.
    emu.clock.freeze();
    const answer = await provider.delete(ctx(), ['i-stp001', 'i-exp002'], 'delete-token-1', PLAIN);
    expect(answer.outcomes).toEqual([
      { id: 'i-stp001', result: 'accepted' },
      { id: 'i-exp002', result: 'accepted' },
    ]);
    expect(answer.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(answer.tracking).toBeUndefined();
    const call = lastCall('DeleteInstances');
    expect(call.clientToken).toBe('delete-token-1');
    expect(call.params).toMatchObject({
      'InstanceId.1': 'i-stp001',
      'InstanceId.2': 'i-exp002',
      Force: 'false',
      TerminateSubscription: 'true',
      RegionId: REGION,
    });
    expect(call.params.DryRun).toBeUndefined();

    const first = await provider.poll(ctx(), ['i-stp001', 'i-exp002'], undefined);
    expect(first).toEqual([
      { id: 'i-stp001', result: 'pending', status: 'Stopped' },
      { id: 'i-exp002', result: 'pending', status: 'Stopped' },
    ]);
    emu.clock.advance(200);
    const done = await provider.poll(ctx(), ['i-stp001', 'i-exp002'], undefined);
    expect(done).toEqual([
      { id: 'i-stp001', result: 'gone' },
      { id: 'i-exp002', result: 'gone' },
    ]);
  });

  test('force releases a running instance', async () => {
    seed('i-run001', 'Running');
    await provider.delete(ctx(), ['i-run001'], 'force-token', FORCE);
    expect(lastCall('DeleteInstances').params).toMatchObject({ Force: 'true' });
    const done = await until(
      () => provider.poll(ctx(), ['i-run001'], undefined),
      ([o]) => o.result === 'gone',
    );
    expect(done).toEqual([{ id: 'i-run001', result: 'gone' }]);
  });

  test('whole-call refusals are thrown, including gone (the workflow re-describes)', async () => {
    seed('i-stp001', 'Stopped');
    seed('i-run002', 'Running');
    seed('i-pre003', 'Stopped', prepaid(30));
    expect(
      await captureProviderError(provider.delete(ctx(), ['i-stp001', 'i-none009'], 't1', PLAIN)),
    ).toMatchObject({
      code: 'InvalidInstanceId.NotFound',
      errorClass: 'gone',
      httpStatus: 404,
    });
    expect(
      await captureProviderError(provider.delete(ctx(), ['i-stp001', 'i-run002'], 't2', PLAIN)),
    ).toMatchObject({
      code: 'IncorrectInstanceStatus',
      errorClass: 'busy',
    });
    expect(await captureProviderError(provider.delete(ctx(), ['i-pre003'], 't3', PLAIN))).toMatchObject({
      code: 'ChargeTypeViolation',
      errorClass: 'permanent',
    });
    // Nothing was released by the refused calls.
    expect(emu.resources(ECS_INSTANCE_TYPE).filter((r) => r.attributes.Releasing)).toEqual([]);
  });

  test('the same token is answered the same; the same token with other ids is IdempotentParameterMismatch', async () => {
    seed('i-stp001', 'Stopped');
    seed('i-stp002', 'Stopped');
    const first = await provider.delete(ctx(), ['i-stp001'], 'same-token', PLAIN);
    const replay = await provider.delete(ctx(), ['i-stp001'], 'same-token', PLAIN);
    expect(replay.outcomes).toEqual(first.outcomes);
    expect(emu.stats().idempotentReplays).toBe(1);
    expect(
      await captureProviderError(provider.delete(ctx(), ['i-stp001', 'i-stp002'], 'same-token', PLAIN)),
    ).toMatchObject({
      code: 'IdempotentParameterMismatch',
      errorClass: 'permanent',
    });
  });

  test('empty batches make no call', async () => {
    expect(await provider.describe(ctx(), [], PLAIN)).toEqual([]);
    expect(await provider.delete(ctx(), [], 't', PLAIN)).toEqual({ outcomes: [] });
    expect(await provider.poll(ctx(), [], undefined)).toEqual([]);
    expect(await provider.prepare!(ctx(), 'stop', [], 't')).toEqual([]);
    expect(emu.calls()).toHaveLength(0);
  });
});

describe('error table', () => {
  // Every code of the DeleteInstances seed (shared/seeds/003, listed once in the kinds' fixtures)
  // with its HTTP status, plus the Alibaba-wide codes of design.md section 5.
  const cases: Array<[code: string, httpStatus: number, errorClass: ErrorClass]> = [
    ...FIXTURES['alibabacloud.ecs.instance'].seedCodes,
    ['Throttling', 400, 'throttled'],
    ['Throttling.User', 400, 'throttled'],
    ['Throttling.Api', 400, 'throttled'],
    ['Rejected.Throttling', 400, 'throttled'],
    ['ServiceUnavailable', 503, 'throttled'],
    ['InternalError.Unknown', 500, 'transient'],
    ['UnknownServerFault', 502, 'transient'],
    ['IncorrectInstanceStatus.Initializing', 403, 'busy'],
    ['LastTokenProcessing', 403, 'busy'],
    ['IdempotentProcessing', 400, 'busy'],
    ['InvalidInstanceId.NotFound', 404, 'gone'],
    ['InvalidInstanceIds.NotFound', 404, 'gone'],
    ['Forbidden.InstanceNotFound', 403, 'gone'],
    ['InvalidParameter', 400, 'permanent'],
    ['InvalidParameter.Force', 400, 'permanent'],
    ['MissingParameter', 400, 'permanent'],
    ['IdempotentParameterMismatch', 400, 'permanent'],
    ['InvalidAction.NotFound', 404, 'permanent'],
    ['InvalidClientToken.Malformed', 400, 'permanent'],
    ['ChargeTypeViolation', 403, 'permanent'],
    ['SomethingNobodyDocumented', 400, 'permanent'],
    ['InvalidAccessKeyId.NotFound', 404, 'auth'],
    ['InvalidAccessKeyId.Inactive', 400, 'auth'],
    ['SignatureDoesNotMatch', 400, 'auth'],
    ['IncompleteSignature', 400, 'auth'],
    ['Forbidden.RAM', 403, 'auth'],
    ['InvalidTimeStamp.Expired', 400, 'clock'],
    ['SignatureNonceUsed', 400, 'clock'],
  ];

  test.each(cases)('DeleteInstances answering %s (HTTP %i) is %s', async (code, httpStatus, errorClass) => {
    seed('i-stp001', 'Stopped');
    emu.injectFault({ action: 'DeleteInstances', code, httpStatus, count: 1 });
    const err = await captureProviderError(provider.delete(ctx(), ['i-stp001'], `token-${code}`, PLAIN));
    expect({ code: err.code, errorClass: err.errorClass, httpStatus: err.httpStatus }).toEqual({
      code,
      errorClass,
      httpStatus,
    });
    expect(err.cloud).toBe('alibabacloud');
    expect(err.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(classifyEcs(code, httpStatus)).toBe(errorClass);
  });

  test('describe and poll surface faults the same way', async () => {
    emu.injectFault({ action: 'DescribeInstances', code: 'Throttling.User', httpStatus: 400, count: 2 });
    expect(await captureProviderError(provider.describe(ctx(), ['i-abc123'], PLAIN))).toMatchObject({
      errorClass: 'throttled',
    });
    expect(await captureProviderError(provider.poll(ctx(), ['i-abc123'], undefined))).toMatchObject({
      errorClass: 'throttled',
    });
    expect(await provider.poll(ctx(), ['i-abc123'], undefined)).toEqual([{ id: 'i-abc123', result: 'gone' }]);
  });

  test('the emulator quota answers Throttling.User, classed throttled', async () => {
    emu.setSettings({ quotaByAction: { DescribeInstances: 1 } });
    await provider.describe(ctx(), ['i-abc123'], PLAIN);
    expect(await captureProviderError(provider.describe(ctx(), ['i-abc123'], PLAIN))).toMatchObject({
      code: 'Throttling.User',
      errorClass: 'throttled',
    });
  });
});

describe('credentials and clock', () => {
  test('an unknown access key is auth', async () => {
    const err = await captureProviderError(
      provider.describe(
        ctx({ credentials: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 'whatever' } }),
        ['i-abc123'],
        PLAIN,
      ),
    );
    expect(err).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', errorClass: 'auth' });
  });

  test('a wrong secret is auth (SignatureDoesNotMatch), and the secret never shows in the error', async () => {
    const { accessKeyId } = emu.accounts.alibabacloud;
    const err = await captureProviderError(
      provider.delete(
        ctx({ credentials: { accessKeyId, accessKeySecret: 'not-the-secret' } }),
        ['i-abc123'],
        't',
        PLAIN,
      ),
    );
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', errorClass: 'auth' });
    expect(err.message).not.toContain('not-the-secret');
    expect(err.message).not.toContain(emu.accounts.alibabacloud.accessKeySecret);
  });

  test('empty credentials are refused by the SDK before any request: auth', async () => {
    const err = await captureProviderError(
      provider.describe(ctx({ credentials: { accessKeyId: '', accessKeySecret: '' } }), ['i-abc123'], PLAIN),
    );
    expect(err).toMatchObject({ code: 'InvalidCredentials', errorClass: 'auth' });
    expect(emu.calls()).toHaveLength(0);
  });

  test('a request signed an hour ago is clock (InvalidTimeStamp.Expired)', async () => {
    // The emulator's clock runs an hour ahead of the SDK's, which stamps x-acs-date with new Date().
    emu.clock.advance(3_600_000);
    const err = await captureProviderError(provider.describe(ctx(), ['i-abc123'], PLAIN));
    expect(err).toMatchObject({ code: 'InvalidTimeStamp.Expired', errorClass: 'clock' });
  });
});
