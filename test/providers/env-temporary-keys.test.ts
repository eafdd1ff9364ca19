// Temporary keys in the worker's environment (id, secret and session token), read by each cloud's
// default chain and used to sign a real call: the keys are ones the emulated STS issued for the
// emulator's second account, so a call booked on that account proves the chain passed the token
// with them (the emulator refuses temporary keys without their token). Once expired, the same keys
// are refused with the provider's own code: the chain does not hide an expired token.
import { alibabaDefaultChain } from '../../src/providers/alibabacloud/credentials';
import { alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
import { assumeAlibabaRole } from '../../src/providers/alibabacloud/sts';
import { tencentDefaultChain } from '../../src/providers/tencentcloud/credentials';
import { tencentGaapProxy } from '../../src/providers/tencentcloud/gaap';
import { assumeTencentRole } from '../../src/providers/tencentcloud/sts';
import type { CloudCredentials, CredentialSource, KindProvider } from '../../src/providers/types';
import { volcengineDefaultChain } from '../../src/providers/volcengine/credentials';
import { volcengineEcsInstance } from '../../src/providers/volcengine/ecs';
import { emulatorAccount } from '../../src/emulator/accounts';
import { callContext, captureProviderError, useEmulator } from '../helpers/provider-harness';

const HOUR = 3_600_000;
// The test moves the emulator's clock: signatures (real time) must stay in its window.
const emu = useEmulator({ settings: { clockSkewSeconds: 86_400 } });

const CHAIN_VARS = Object.keys(process.env).filter((name) =>
  /^(ALIBABA_CLOUD_|ALICLOUD_|TENCENTCLOUD_|TKE_|VOLCENGINE_|VOLC_)/.test(name),
);
const saved = { ...process.env };

beforeEach(() => {
  emu.clock.freeze();
  for (const name of CHAIN_VARS) delete process.env[name];
  // No instance metadata service here: the chains must not wait on one.
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
});
afterEach(() => {
  process.env = { ...saved };
});

function staticSource(credentials: CloudCredentials): CredentialSource {
  return { origin: 'test keys', resolve: () => Promise.resolve(credentials) };
}

function putInEnv(vars: readonly [string, string, string], keys: CloudCredentials): void {
  process.env[vars[0]] = keys.accessKeyId;
  process.env[vars[1]] = keys.accessKeySecret;
  process.env[vars[2]] = keys.securityToken;
}

/** One list call signed with what the chain resolved; the account the emulator booked it on. */
async function signWith(
  provider: KindProvider,
  credentials: CloudCredentials,
  region?: string,
): Promise<string | undefined> {
  await provider.discover({ credentials, endpoint: emu.endpoint, region, timeoutMs: 5_000 }, {}, undefined);
  return emu.calls().at(-1)?.account;
}

describe('temporary keys from the environment', () => {
  test('Alibaba: ALIBABA_CLOUD_SECURITY_TOKEN signs with the STS keys; expired, InvalidSecurityToken.Expired', async () => {
    const base = staticSource(callContext(emu, 'alibabacloud').credentials);
    const role = {
      roleArn: 'acs:ram::1000000000000002:role/teardown',
      sessionName: 'env-test',
      durationSeconds: 3600,
    };
    const issued = await assumeAlibabaRole(base, role, emu.endpoint, 5_000);
    putInEnv(
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'],
      issued.credentials,
    );
    const resolved = await alibabaDefaultChain().resolve();
    expect(resolved).toEqual(issued.credentials);
    expect(await signWith(alibabaEcsInstance, resolved, 'cn-hangzhou')).toBe('other');

    emu.clock.advance(HOUR);
    const err = await captureProviderError(signWith(alibabaEcsInstance, resolved, 'cn-hangzhou'));
    expect(err).toMatchObject({ code: 'InvalidSecurityToken.Expired', errorClass: 'auth' });
  });

  test('Tencent: TENCENTCLOUD_SESSION_TOKEN signs with the STS keys; expired, AuthFailure.TokenFailure', async () => {
    const base = staticSource(callContext(emu, 'tencentcloud').credentials);
    const role = {
      roleArn: 'qcs::cam::uin/100000000002:roleName/teardown',
      sessionName: 'env-test',
      durationSeconds: 3600,
    };
    const issued = await assumeTencentRole(base, role, emu.endpoint, 5_000);
    putInEnv(
      ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'],
      issued.credentials,
    );
    const resolved = await tencentDefaultChain().resolve();
    expect(resolved).toEqual(issued.credentials);
    expect(await signWith(tencentGaapProxy, resolved)).toBe('other');

    emu.clock.advance(HOUR);
    const err = await captureProviderError(signWith(tencentGaapProxy, resolved));
    expect(err).toMatchObject({ code: 'AuthFailure.TokenFailure', errorClass: 'auth' });
  });

  test('Volcengine: keys with VOLCENGINE_SESSION_TOKEN from the environment sign the call', async () => {
    // The emulator has no Volcengine STS: the token is carried (X-Security-Token) but not checked.
    const other = emulatorAccount('volcengine', 'other');
    putInEnv(['VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN'], {
      accessKeyId: other.accessKeyId,
      accessKeySecret: other.accessKeySecret,
      securityToken: 'volc-session-token',
    });
    const resolved = await volcengineDefaultChain().resolve();
    expect(resolved.securityToken).toBe('volc-session-token');
    expect(await signWith(volcengineEcsInstance, resolved, 'cn-beijing')).toBe('other');
  });
});
