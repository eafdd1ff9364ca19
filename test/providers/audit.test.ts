// The fixes of the provider audit (issue 8, section 2) and the region checks (section 1), each
// against the emulator: every test here failed before its fix.
import { addRegionsFromEnv } from '../../src/config';
import { parseTeardownRequest } from '../../src/contract';
import { ECS_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/ecs';
import { SAE_APPLICATION_TYPE, SAE_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/sae';
import { GAAP_PROXY_TYPE } from '../../src/emulator/tencentcloud/gaap';
import { VOLCENGINE_ECS_INSTANCE } from '../../src/emulator/volcengine/ecs';
import { resolveEndpoint } from '../../src/providers/alibabacloud/client';
import { alibabaEcsInstance as ecs, classifyEcs } from '../../src/providers/alibabacloud/ecs';
import { ALIBABA_ECS_ENDPOINTS } from '../../src/providers/alibabacloud/regions';
import { alibabaSaeInstance as sae } from '../../src/providers/alibabacloud/sae';
import { tencentGaapProxy as gaap } from '../../src/providers/tencentcloud/gaap';
import { tencentMsScan as ms } from '../../src/providers/tencentcloud/ms';
import type { DeletionOptions } from '../../src/providers/types';
import { volcengineEcsInstance as volc } from '../../src/providers/volcengine/ecs';
import { callContext, captureProviderError, sleep, useEmulator } from '../helpers/provider-harness';

const STEP_MS = 150;
const emu = useEmulator({
  settings: {
    durations: {
      'alibabacloud.ecs.stop': 100,
      'alibabacloud.ecs.convert': 100,
      'alibabacloud.sae.changeOrderStep': STEP_MS,
      'tencentcloud.gaap.destroy': 100,
    },
  },
});
const PLAIN: DeletionOptions = { force: false, convertPrepaid: false };
const ali = (overrides = {}) => callContext(emu, 'alibabacloud', { region: 'cn-hangzhou', ...overrides });
const tencent = (overrides = {}) => callContext(emu, 'tencentcloud', overrides);
const prepaid = { InstanceChargeType: 'PrePaid', ExpiredTime: '2099-01-01T00:00Z' };

describe('Alibaba ECS', () => {
  test('DryRun: DRYRUN.SUCCESS (current SDK docs) is a pass, like DryRunOperation', async () => {
    emu.seed([{ type: ECS_INSTANCE_TYPE, id: 'i-dry00001', region: 'cn-hangzhou', status: 'Stopped' }]);
    emu.injectFault({ action: 'DeleteInstances', code: 'DRYRUN.SUCCESS', httpStatus: 400, count: 1 });
    await expect(ecs.dryRunDelete!(ali(), ['i-dry00001'], PLAIN)).resolves.toBeUndefined();
    expect(emu.resources(ECS_INSTANCE_TYPE).some((r) => r.id === 'i-dry00001')).toBe(true);
  });

  test.each([
    'InvalidInstanceChargeType.ValueNotSupported',
    'InvalidInstance.TempBandwidthUpgrade',
    'ReleaseTimeHaveBeenSet',
    'Account.Arrearage',
  ])('ModifyInstanceChargeType refused with %s: needs-operator, never accepted', async (code) => {
    const id = `i-cv${code.length}${code.charCodeAt(0)}x`.toLowerCase();
    emu.seed([
      { type: ECS_INSTANCE_TYPE, id, region: 'cn-hangzhou', status: 'Running', attributes: prepaid },
    ]);
    emu.injectFault({ action: 'ModifyInstanceChargeType', code, httpStatus: 400, count: 1 });
    const [outcome] = await ecs.prepare!(ali(), 'convert', [id], 'ct-convert');
    expect(outcome).toMatchObject({ id, result: 'failed', errorCode: code, errorClass: 'needs-operator' });
    expect(classifyEcs(code)).toBe('needs-operator');
  });

  test('StopInstances carries no ClientToken (the API has none)', async () => {
    emu.seed([{ type: ECS_INSTANCE_TYPE, id: 'i-stop0001', region: 'cn-hangzhou', status: 'Running' }]);
    await ecs.prepare!(ali(), 'stop', ['i-stop0001'], 'ct-stop');
    const [stop] = emu.calls({ action: 'StopInstances' }).slice(-1);
    expect(stop!.params.ClientToken).toBeUndefined();
    expect(stop!.clientToken).toBeUndefined();
  });

  test('finance and government regions use their documented ECS endpoints', () => {
    const at = (region: string) =>
      resolveEndpoint(ali({ endpoint: undefined, region }), 'ecs', ALIBABA_ECS_ENDPOINTS);
    expect(at('cn-hangzhou-finance').endpoint).toBe('ecs.aliyuncs.com');
    expect(at('cn-shanghai-finance-1').endpoint).toBe('ecs-cn-hangzhou.aliyuncs.com');
    expect(at('cn-shenzhen-finance-1').endpoint).toBe('ecs-cn-hangzhou.aliyuncs.com');
    expect(at('cn-beijing').endpoint).toBe('ecs.cn-beijing.aliyuncs.com');
  });

  test('a region Alibaba does not have answers InvalidRegionId.NotFound (404)', async () => {
    expect(
      await captureProviderError(ecs.describe(ali({ region: 'cn-hangzhuo' }), ['i-any00001'], PLAIN)),
    ).toMatchObject({ code: 'InvalidRegionId.NotFound', httpStatus: 404 });
  });
});

describe('Alibaba SAE', () => {
  test('DescribeChangeOrder SubStatus=1 while executing is reported with the change order id', async () => {
    emu.seed([
      {
        type: SAE_APPLICATION_TYPE,
        id: 'app-exc',
        region: 'cn-hangzhou',
        attributes: { changeOrderException: true },
      },
      { type: SAE_INSTANCE_TYPE, id: 'sae-exc-1', region: 'cn-hangzhou', attributes: { AppId: 'app-exc' } },
    ]);
    const ctx = ali({ appId: 'app-exc' });
    const answer = await sae.delete(ctx, ['sae-exc-1'], 'unused', PLAIN);
    expect(answer.tracking).toBeTruthy();
    await sleep(2 * STEP_MS + 50);
    const [outcome] = await sae.poll(ctx, ['sae-exc-1'], answer.tracking);
    expect(outcome).toMatchObject({
      result: 'failed',
      errorCode: 'ChangeOrder.Exception',
      errorClass: 'needs-operator',
    });
    expect(outcome!.result === 'failed' && outcome!.message).toContain(answer.tracking!);
  });
});

describe('Volcengine ECS', () => {
  test('DeletionProtection is needs-operator with what to do', async () => {
    emu.seed([
      {
        type: VOLCENGINE_ECS_INSTANCE,
        id: 'i-ybprot001',
        region: 'cn-beijing',
        attributes: { DeletionProtection: true },
      },
    ]);
    const [assessment] = await volc.describe(
      callContext(emu, 'volcengine', { region: 'cn-beijing' }),
      ['i-ybprot001'],
      PLAIN,
    );
    expect(assessment).toMatchObject({ state: 'blocked', errorClass: 'needs-operator', skipped: false });
    expect(assessment!.state === 'blocked' && assessment!.message).toMatch(/DeletionProtection=false/);
  });

  test('a region Volcengine does not have answers UnsupportedRegion (400)', async () => {
    const ctx = callContext(emu, 'volcengine', { region: 'cn-beijng' });
    expect(await captureProviderError(volc.describe(ctx, ['i-ybany0001'], PLAIN))).toMatchObject({
      code: 'UnsupportedRegion',
    });
  });
});

describe('Tencent GAAP', () => {
  test('FailedOperation.DuplicatedRequest after our own re-send: accepted, then confirmed by describe', async () => {
    emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-dup00001', status: 'RUNNING' }]);
    emu.injectFault({ action: 'DestroyProxies', code: 'FailedOperation.DuplicatedRequest', count: 1 });
    const answer = await gaap.delete(tencent({ attempt: 2 }), ['link-dup00001'], 'ct-dup', PLAIN);
    expect(answer.outcomes).toEqual([{ id: 'link-dup00001', result: 'accepted' }]);
    // Nothing was destroyed: the poll's describe says send it again (new token), not "pending".
    expect(await gaap.poll(tencent(), ['link-dup00001'], undefined)).toEqual([
      { id: 'link-dup00001', result: 'reissue', status: 'RUNNING' },
    ]);
    // On a first send the same answer is a real refusal.
    emu.injectFault({ action: 'DestroyProxies', code: 'FailedOperation.DuplicatedRequest', count: 1 });
    expect(
      await captureProviderError(gaap.delete(tencent(), ['link-dup00001'], 'ct-dup2', PLAIN)),
    ).toMatchObject({
      errorClass: 'permanent',
    });
  });

  test('InvalidStatusInstanceSet: a stable status is needs-operator after one describe, a transitional one retried', async () => {
    emu.seed([
      { type: GAAP_PROXY_TYPE, id: 'link-stuck0001', status: 'RUNNING', attributes: { refuseDestroy: true } },
      { type: GAAP_PROXY_TYPE, id: 'link-busy00001', status: 'CREATING' },
    ]);
    const { outcomes } = await gaap.delete(tencent(), ['link-stuck0001', 'link-busy00001'], 'ct-inv', PLAIN);
    expect(outcomes[0]).toMatchObject({
      result: 'failed',
      errorClass: 'needs-operator',
      errorCode: 'InvalidStatusInstanceSet',
    });
    expect(outcomes[1]).toMatchObject({ result: 'retry', errorCode: 'InvalidStatusInstanceSet' });
    expect(emu.calls({ action: 'DescribeProxies' }).length).toBe(1);
  });

  test.each([
    'ResourceUnavailable.AccountViolation',
    'FailedOperation.UserNotConfirmProtocol',
    'FailedOperation.NonStandardProxy',
    'AuthFailure.NotEnterpriseAuthorization',
  ])('%s is needs-operator, not busy or auth', (code) => {
    expect(gaap.classify(code)).toBe('needs-operator');
    expect(ms.classify(code)).toBe('needs-operator');
  });
});

describe('regions before anything starts', () => {
  const ecsGroup = (region?: string) => ({ kind: 'alibabacloud.ecs.instance', region, ids: ['i-bp1aaaaaa'] });
  const refusal = (input: unknown) => {
    try {
      parseTeardownRequest(input);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };

  test('a typo is refused naming the field and the nearest real regions', () => {
    expect(refusal({ resources: [ecsGroup('cn-hangzhuo')] })).toMatch(
      /resources\[0\]\.region: "cn-hangzhuo" is not a region of alibabacloud \(nearest: cn-hangzhou,/,
    );
    expect(refusal({ resources: [ecsGroup('cn-hangzhou-finance')] })).toBe('accepted');
  });

  test('regionless kinds refuse a region; selectors follow the same rules', () => {
    expect(
      refusal({
        resources: [{ kind: 'tencentcloud.gaap.proxy', region: 'ap-guangzhou', ids: ['link-aaaa'] }],
      }),
    ).toMatch(/resources\[0\]\.region: is not used by tencentcloud\.gaap\.proxy/);
    expect(
      refusal({ resources: [{ kind: 'tencentcloud.ms.scan', region: 'ap-guangzhou', ids: ['app-1'] }] }),
    ).toMatch(/is not used by tencentcloud\.ms\.scan/);
    expect(
      refusal({ selectors: [{ kind: 'volcengine.ecs.instance', region: 'cn-beijng', tags: ['env=ci'] }] }),
    ).toMatch(/selectors\[0\]\.region: "cn-beijng" is not a region of volcengine \(nearest: cn-beijing,/);
  });

  test('the environment adds regions newer than the lists', () => {
    expect(refusal({ resources: [ecsGroup('cn-newcity-1')] })).not.toBe('accepted');
    addRegionsFromEnv({ CLOUD_TEARDOWN_ALIBABACLOUD_EXTRA_REGIONS: 'cn-newcity-1' });
    expect(refusal({ resources: [ecsGroup('cn-newcity-1')] })).toBe('accepted');
  });
});
