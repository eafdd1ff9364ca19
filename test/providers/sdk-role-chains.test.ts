// The SDK chains' own role paths against the emulator: Tencent TKE OIDC (TKE_* environment ->
// unsigned STS AssumeRoleWithWebIdentity at the configured STS endpoint), Alibaba OIDC/RRSA
// (ALIBABA_CLOUD_* environment -> unsigned AssumeRoleWithOIDC at https://sts.aliyuncs.com, which the
// SDK hard-codes: redirected to the emulator, as below), the Tencent CVM role and
// the Alibaba ECS RAM role (instance metadata at hosts the SDKs hard-code: a test-only redirect,
// test/helpers/host-redirect.ts, sends them to the emulator, which serves them by Host). The keys the emulated STS
// issues belong to the role's account (the emulator's second one), so a call booked there proves
// the chain's keys signed it. Refresh: the SDK decides by Date.now() against the answer's
// ExpiredTime, so the test moves Date (jest's fake Date only; timers stay real) together with the
// emulator's clock, never waits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alibabaDefaultChain } from '../../src/providers/alibabacloud/credentials';
import { alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
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
let restore: (() => void) | undefined;
const emulatorPort = () => Number(/:(\d+)\/?$/.exec(emu.endpoint)![1]);

/** A local port nothing listens on: a connection there is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sdk-roles-'));
  for (const name of CHAIN_VARS) delete process.env[name];
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
  restore?.();
  restore = undefined;
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
    // No CVM role here: its metadata host refuses the connection, so the chain moves on to TKE
    // OIDC without depending on this machine's DNS.
    restore = redirectHosts(['metadata.tencentyun.com'], await closedPort());
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

/** One signed Alibaba call (an ECS listing) with these keys; the call log says which account signed it. */
function describeEcs(credentials: CloudCredentials) {
  return alibabaEcsInstance.discover(
    { credentials, endpoint: emu.endpoint, region: 'cn-hangzhou', timeoutMs: 5_000 },
    {},
    undefined,
  );
}

describe('instance roles through the SDK providers', () => {
  test('Tencent CVM role: metadata keys sign in the role account; renewed 30 s before ExpiredTime', async () => {
    restore = redirectHosts(['metadata.tencentyun.com'], emulatorPort());
    const chain = tencentDefaultChain();
    const first = await chain.resolve();
    expect(first.accessKeyId).toMatch(/^AKID/);
    await describeProxy(first);
    expect(emu.calls().at(-1)).toMatchObject({ action: 'DescribeProxies', account: 'other' });
    expect(runtimeSecrets().has(first.securityToken!)).toBe(true);

    advance(5 * HOUR);
    expect(await chain.resolve()).toEqual(first);
    // Twenty seconds before the six-hour keys expire (within the SDK's 30 s), still valid: new ones.
    advance(HOUR - 20_000);
    await describeProxy(first);
    const renewed = await chain.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    await describeProxy(renewed);
    expect(emu.calls().at(-1)).toMatchObject({ account: 'other', httpStatus: 200 });
  });

  test('Alibaba ECS RAM role: IMDSv2 metadata keys sign in the role account; prefetched an hour before Expiration', async () => {
    restore = redirectHosts(['100.100.100.200'], emulatorPort());
    const chain = alibabaDefaultChain();
    const first = await chain.resolve();
    expect(first.accessKeyId).toMatch(/^STS\./);
    await describeEcs(first);
    expect(emu.calls().at(-1)).toMatchObject({ action: 'DescribeInstances', account: 'other' });
    expect(runtimeSecrets().has(first.securityToken!)).toBe(true);

    advance(4 * HOUR);
    expect(await chain.resolve()).toEqual(first);
    // Within the SDK's one-hour prefetch window, the old keys still valid: new ones, which sign.
    advance(HOUR + 30 * 60_000);
    await describeEcs(first);
    const renewed = await chain.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    await describeEcs(renewed);
    expect(emu.calls().at(-1)).toMatchObject({ account: 'other', httpStatus: 200 });
  });
});

describe('Alibaba OIDC/RRSA through the SDK provider', () => {
  test('AssumeRoleWithOIDC keys sign in the role account; renewed 15 minutes before Expiration', async () => {
    restore = redirectHosts(['sts.aliyuncs.com'], emulatorPort());
    const tokenFile = path.join(dir, 'oidc-token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.rrsa-service-account.sig');
    Object.assign(process.env, {
      ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1000000000000002:role/teardown',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1000000000000002:oidc-provider/ack-rrsa',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    });
    const chain = alibabaDefaultChain();
    const first = await chain.resolve();
    expect(first.accessKeyId).toMatch(/^STS\./);
    const assumed = emu.calls({ action: 'AssumeRoleWithOIDC' });
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ service: 'sts', account: 'unsigned', httpStatus: 200 });
    expect(assumed[0]!.params).toMatchObject({
      OIDCProviderArn: 'acs:ram::1000000000000002:oidc-provider/ack-rrsa',
      DurationSeconds: '3600',
    });
    await describeEcs(first);
    expect(emu.calls().at(-1)).toMatchObject({ action: 'DescribeInstances', account: 'other' });
    expect(runtimeSecrets().has(first.securityToken!)).toBe(true);

    advance(30 * 60_000);
    expect(await chain.resolve()).toEqual(first);
    expect(emu.calls({ action: 'AssumeRoleWithOIDC' })).toHaveLength(1);
    // Ten minutes before the one-hour keys expire (within the SDK's 15), still valid: new ones.
    advance(20 * 60_000);
    await describeEcs(first);
    const renewed = await chain.resolve();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(emu.calls({ action: 'AssumeRoleWithOIDC' })).toHaveLength(2);
    await describeEcs(renewed);
    expect(emu.calls().at(-1)).toMatchObject({ account: 'other', httpStatus: 200 });
  });
});
