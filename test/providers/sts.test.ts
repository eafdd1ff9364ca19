// Emulated STS AssumeRole for Alibaba (RPC) and Tencent (TC3) through the worker's role sources:
// temporary keys of the role's account with an expiry on the emulator's clock, calls signed with
// them land in that account, expired keys are refused with each provider's code, and the source
// fetches new keys before expiry without being rebuilt.
import { ECS_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/ecs';
import { GAAP_PROXY_TYPE } from '../../src/emulator/tencentcloud/gaap';
import { alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
import { alibabaRoleSource, assumeAlibabaRole } from '../../src/providers/alibabacloud/sts';
import { tencentGaapProxy } from '../../src/providers/tencentcloud/gaap';
import { assumeTencentRole, tencentRoleSource } from '../../src/providers/tencentcloud/sts';
import type { CloudCredentials, CredentialSource } from '../../src/providers/types';
import { loadWorkerConfig } from '../../src/config';
import { runtimeSecrets } from '../../src/observability/runtime-secrets';
import { callContext, captureProviderError, useEmulator } from '../helpers/provider-harness';

const PLAIN = { force: false, convertPrepaid: false };
const ALI_OTHER_ROLE = 'acs:ram::1000000000000002:role/teardown';
const TC_OTHER_ROLE = 'qcs::cam::uin/100000000002:roleName/teardown';
const HOUR = 3_600_000;

// The test moves the emulator's clock by hours: signatures (real time) must still be in its window.
const emu = useEmulator({ settings: { clockSkewSeconds: 86_400 } });
beforeEach(() => emu.clock.freeze());

function staticSource(credentials: CloudCredentials): CredentialSource {
  return { origin: 'test keys', resolve: () => Promise.resolve(credentials) };
}
const defaultKeys = (cloud: 'alibabacloud' | 'tencentcloud') =>
  staticSource(callContext(emu, cloud).credentials);
const spec = (roleArn: string, durationSeconds = 3600) => ({
  roleArn,
  sessionName: 'cloud-teardown-test',
  durationSeconds,
});

describe('Alibaba STS AssumeRole', () => {
  test('answers temporary keys of the role account with the expiry asked for', async () => {
    const keys = await assumeAlibabaRole(
      defaultKeys('alibabacloud'),
      spec(ALI_OTHER_ROLE, 1800),
      emu.endpoint,
      5_000,
    );
    expect(keys.credentials.accessKeyId).toMatch(/^STS\./);
    expect(keys.credentials.securityToken).toBeTruthy();
    // Alibaba's Expiration has whole seconds.
    expect(Math.abs(keys.expiresAt - (emu.clock.now() + 1800_000))).toBeLessThan(1_000);
    const [call] = emu.calls({ action: 'AssumeRole' });
    expect(call).toMatchObject({
      provider: 'alibabacloud',
      service: 'sts',
      account: 'default',
      httpStatus: 200,
    });
    expect(call!.params).toMatchObject({ RoleArn: ALI_OTHER_ROLE, DurationSeconds: '1800' });
  });

  test('a role of an account the cloud does not have is EntityNotExist.Role', async () => {
    const err = await captureProviderError(
      assumeAlibabaRole(defaultKeys('alibabacloud'), spec('acs:ram::999:role/x'), emu.endpoint, 5_000),
    );
    expect(err).toMatchObject({ code: 'EntityNotExist.Role', errorClass: 'auth' });
  });

  test('calls signed with the keys land in the role account; expired keys are refused; the source renews them first', async () => {
    emu.seed([
      {
        type: ECS_INSTANCE_TYPE,
        id: 'i-other001',
        region: 'cn-hangzhou',
        status: 'Stopped',
        account: 'other',
      },
    ]);
    const source = alibabaRoleSource(defaultKeys('alibabacloud'), spec(ALI_OTHER_ROLE), emu.endpoint, {
      timeoutMs: 5_000,
      now: () => emu.clock.now(),
    });
    const describe = async (credentials: CloudCredentials) =>
      alibabaEcsInstance.describe(
        callContext(emu, 'alibabacloud', { region: 'cn-hangzhou', credentials }),
        ['i-other001'],
        PLAIN,
      );

    const first = await source.resolve();
    expect(await describe(first)).toEqual([expect.objectContaining({ id: 'i-other001', state: 'ready' })]);
    expect(emu.calls({ action: 'DescribeInstances' }).map((c) => c.account)).toEqual(['other']);
    // The same keys are reused while far from expiry: one AssumeRole.
    expect(await source.resolve()).toEqual(first);
    expect(emu.calls({ action: 'AssumeRole' })).toHaveLength(1);
    // The secret and token are known to the log redactor.
    expect(runtimeSecrets().has(first.securityToken!)).toBe(true);
    expect(runtimeSecrets().has(first.accessKeySecret)).toBe(true);

    emu.clock.advance(HOUR);
    const expired = await captureProviderError(describe(first));
    expect(expired).toMatchObject({ code: 'InvalidSecurityToken.Expired', errorClass: 'auth' });

    // 56 minutes into a one-hour lifetime (within its five-minute margin) the source assumes again.
    emu.clock.set(emu.clock.now() - HOUR + 56 * 60_000);
    const renewed = await source.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(emu.calls({ action: 'AssumeRole' })).toHaveLength(2);
    expect(await describe(renewed)).toEqual([expect.objectContaining({ id: 'i-other001' })]);
  });

  test('temporary keys without their token, or with another one, are refused', async () => {
    const keys = await assumeAlibabaRole(
      defaultKeys('alibabacloud'),
      spec(ALI_OTHER_ROLE),
      emu.endpoint,
      5_000,
    );
    const ctx = (credentials: CloudCredentials) =>
      callContext(emu, 'alibabacloud', { region: 'cn-hangzhou', credentials });
    for (const securityToken of [undefined, 'not-the-token']) {
      const err = await captureProviderError(
        alibabaEcsInstance.describe(ctx({ ...keys.credentials, securityToken }), ['i-x'], PLAIN),
      );
      expect(err.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    }
  });
});

describe('Tencent STS AssumeRole', () => {
  test('answers temporary keys with ExpiredTime; calls land in the role account; expiry refused; source renews', async () => {
    emu.seed([{ type: GAAP_PROXY_TYPE, id: 'link-other01', status: 'RUNNING', account: 'other' }]);
    const keys = await assumeTencentRole(
      defaultKeys('tencentcloud'),
      spec(TC_OTHER_ROLE, 7200),
      emu.endpoint,
      5_000,
    );
    expect(keys.credentials.accessKeyId).toMatch(/^AKID/);
    expect(Math.abs(keys.expiresAt - (emu.clock.now() + 2 * HOUR))).toBeLessThan(1_000);
    expect(emu.calls({ action: 'AssumeRole' })[0]).toMatchObject({ service: 'sts', account: 'default' });

    const source = tencentRoleSource(defaultKeys('tencentcloud'), spec(TC_OTHER_ROLE, 7200), emu.endpoint, {
      timeoutMs: 5_000,
      now: () => emu.clock.now(),
    });
    const describe = (credentials: CloudCredentials) =>
      tencentGaapProxy.describe(callContext(emu, 'tencentcloud', { credentials }), ['link-other01'], PLAIN);
    const first = await source.resolve();
    expect(await describe(first)).toEqual([expect.objectContaining({ id: 'link-other01' })]);
    expect(emu.calls({ action: 'DescribeProxies' }).map((c) => c.account)).toEqual(['other']);

    emu.clock.advance(2 * HOUR);
    const expired = await captureProviderError(describe(first));
    expect(expired).toMatchObject({ code: 'AuthFailure.TokenFailure', errorClass: 'auth' });
    const renewed = await source.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(await describe(renewed)).toEqual([expect.objectContaining({ id: 'link-other01' })]);
  });

  test('a role of an unknown uin is refused', async () => {
    const err = await captureProviderError(
      assumeTencentRole(
        defaultKeys('tencentcloud'),
        spec('qcs::cam::uin/42:roleName/x'),
        emu.endpoint,
        5_000,
      ),
    );
    expect(err.code).toBe('InvalidParameter.RoleNotExist');
  });
});

describe('the worker config', () => {
  test('an account map role is assumed through the STS endpoint CLOUD_TEARDOWN_<CLOUD>_STS_ENDPOINT names', async () => {
    const mine = callContext(emu, 'alibabacloud').credentials;
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: mine.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: mine.accessKeySecret,
      // Nothing listens here: only the STS override can answer.
      CLOUD_TEARDOWN_ALIBABACLOUD_ENDPOINT: '127.0.0.1:9',
      TEARDOWN_REQUEST_TIMEOUT_MS: '2000',
      TEARDOWN_ACCOUNTS: JSON.stringify({ other: { alibabacloud: { roleArn: ALI_OTHER_ROLE } } }),
    };
    const viaOverride = loadWorkerConfig({ ...env, CLOUD_TEARDOWN_ALIBABACLOUD_STS_ENDPOINT: emu.endpoint });
    const keys = await viaOverride.accounts.other!.clouds.alibabacloud!.resolve();
    expect(keys.accessKeyId).toMatch(/^STS\./);
    expect(emu.calls({ action: 'AssumeRole' })).toHaveLength(1);
    await expect(loadWorkerConfig(env).accounts.other!.clouds.alibabacloud!.resolve()).rejects.toThrow();
  });
});
