// The SDK chains' own role paths against the emulator: Tencent TKE OIDC (TKE_* environment ->
// unsigned STS AssumeRoleWithWebIdentity at the configured STS endpoint). The keys the emulated STS
// issues belong to the role's account (the emulator's second one), so a call booked there proves
// the chain's keys signed it. Refresh: the SDK decides by Date.now() against the answer's
// ExpiredTime, so the test moves Date (jest's fake Date only; timers stay real) together with the
// emulator's clock, never waits. The CVM role provider, tried before TKE OIDC, asks the fixed host
// metadata.tencentyun.com: a test-only redirect (test/helpers/host-redirect.ts) sends it to the
// emulator, which serves no metadata there, so the chain moves on without depending on this
// machine's DNS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tencentDefaultChain } from '../../src/providers/tencentcloud/credentials';
import { tencentGaapProxy } from '../../src/providers/tencentcloud/gaap';
import { runtimeSecrets } from '../../src/observability/runtime-secrets';
import type { CloudCredentials } from '../../src/providers/types';
import { captureProviderError, useEmulator } from '../helpers/provider-harness';
import { redirectHosts } from '../helpers/host-redirect';

const HOUR = 3_600_000;
const TC_OTHER_ROLE = 'qcs::cam::uin/100000000002:roleName/teardown';
const emu = useEmulator({ settings: { clockSkewSeconds: 86_400 } });

const CHAIN_VARS = Object.keys(process.env).filter((name) =>
  /^(ALIBABA_CLOUD_|ALICLOUD_|TENCENTCLOUD_|TKE_|VOLCENGINE_|VOLC_)/.test(name),
);
const saved = { ...process.env };
let dir: string;
let restore: () => void;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sdk-roles-'));
  for (const name of CHAIN_VARS) delete process.env[name];
  const port = Number(/:(\d+)\/?$/.exec(emu.endpoint)![1]);
  restore = redirectHosts(['metadata.tencentyun.com'], port);
  // Only Date is faked: sockets and timers run as usual.
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  emu.clock.freeze();
  jest.setSystemTime(emu.clock.now());
});

afterEach(() => {
  jest.useRealTimers();
  restore();
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

/** Moves the emulator's clock and the SDK's Date together. */
function advance(ms: number): void {
  emu.clock.advance(ms);
  jest.setSystemTime(emu.clock.now());
}

const describeProxy = (credentials: CloudCredentials) =>
  tencentGaapProxy.discover({ credentials, endpoint: emu.endpoint, timeoutMs: 5_000 }, {}, undefined);

describe('Tencent TKE OIDC through the SDK provider', () => {
  test('AssumeRoleWithWebIdentity keys sign calls in the role account, are kept, and are renewed after expiry', async () => {
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.tke-web-identity.sig');
    Object.assign(process.env, {
      TKE_REGION: 'ap-guangzhou',
      TKE_PROVIDER_ID: 'tke-oidc-provider',
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      TKE_ROLE_ARN: TC_OTHER_ROLE,
    });
    const chain = tencentDefaultChain({ stsEndpoint: emu.endpoint });

    const first = await chain.resolve();
    expect(first.accessKeyId).toMatch(/^AKID/);
    const assumed = emu.calls({ action: 'AssumeRoleWithWebIdentity' });
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ service: 'sts', account: 'unsigned', httpStatus: 200 });
    expect(assumed[0]!.params).toMatchObject({ ProviderId: 'tke-oidc-provider', RoleArn: TC_OTHER_ROLE });

    await describeProxy(first);
    expect(emu.calls().at(-1)).toMatchObject({ action: 'DescribeProxies', account: 'other' });
    // The log redactor knows the learnt secret and token.
    expect(runtimeSecrets().has(first.accessKeySecret)).toBe(true);
    expect(runtimeSecrets().has(first.securityToken!)).toBe(true);

    // An hour into the two-hour keys the SDK keeps them.
    advance(HOUR);
    expect(await chain.resolve()).toEqual(first);
    expect(emu.calls({ action: 'AssumeRoleWithWebIdentity' })).toHaveLength(1);

    // Past their expiry: refused, and the same chain object answers new ones, which sign.
    advance(HOUR);
    const expired = await captureProviderError(describeProxy(first));
    expect(expired).toMatchObject({ code: 'AuthFailure.TokenFailure' });
    const renewed = await chain.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(emu.calls({ action: 'AssumeRoleWithWebIdentity' })).toHaveLength(2);
    await describeProxy(renewed);
    expect(emu.calls().at(-1)).toMatchObject({
      action: 'DescribeProxies',
      account: 'other',
      httpStatus: 200,
    });
  });
});
