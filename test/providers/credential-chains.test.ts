// Each cloud's credential chain (src/providers/<cloud>/credentials.ts) resolved from what a real
// host would have: keys written to profile files under a temporary HOME, or set in the environment
// with a session token. The profile keys are the emulator's second account, so a call the emulator
// books on that account proves the chain, not a fallback, signed it.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulatorAccount } from '../../src/emulator/accounts';
import type { CloudProvider } from '../../src/emulator/types';
import { alibabaDefaultChain } from '../../src/providers/alibabacloud/credentials';
import { alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
import { tencentDefaultChain } from '../../src/providers/tencentcloud/credentials';
import { tencentGaapProxy } from '../../src/providers/tencentcloud/gaap';
import type { CloudCredentials, CredentialSource, KindProvider } from '../../src/providers/types';
import { volcengineDefaultChain } from '../../src/providers/volcengine/credentials';
import { volcengineEcsInstance } from '../../src/providers/volcengine/ecs';
import { useEmulator } from '../helpers/provider-harness';

const emu = useEmulator();

/** Every variable a chain reads: cleared so only the temporary HOME can answer. */
const CHAIN_VARS = Object.keys(process.env).filter((name) =>
  /^(ALIBABA_CLOUD_|ALICLOUD_|TENCENTCLOUD_|TKE_|VOLCENGINE_|VOLC_)/.test(name),
);
const saved = { ...process.env };
let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'chain-home-'));
  for (const name of CHAIN_VARS) delete process.env[name];
  process.env.HOME = home;
  // No instance metadata service here: the chains must not wait on one.
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
});

afterEach(() => {
  process.env = { ...saved };
  rmSync(home, { recursive: true, force: true });
});

function writeHomeFile(relative: string, text: string): void {
  const file = path.join(home, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The chain of `cloud` resolved in a child process whose HOME is the temporary one. */
function childChain(cloud: CloudProvider): CredentialSource {
  const script = path.resolve(__dirname, '../helpers/resolve-chain.ts');
  return {
    origin: `${cloud} chain in a child process`,
    resolve: () =>
      new Promise<CloudCredentials>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', script, cloud],
          { env: { ...process.env, HOME: home }, timeout: 30_000 },
          (err, stdout, stderr) =>
            err ? reject(new Error(stderr || String(err))) : resolve(JSON.parse(stdout)),
        );
      }),
  };
}

/** One list call signed with what `source` resolved; the account the emulator booked it on. */
async function signedAccount(
  cloud: CloudProvider,
  provider: KindProvider,
  source: CredentialSource,
  region?: string,
): Promise<string | undefined> {
  const credentials = await source.resolve();
  await provider.discover({ credentials, endpoint: emu.endpoint, region, timeoutMs: 5_000 }, {}, undefined);
  const calls = emu.calls();
  expect(calls.at(-1)?.provider).toBe(cloud);
  return calls.at(-1)?.account;
}

describe('credential chains', () => {
  test('Alibaba: the credentials file profile under HOME signs the call', async () => {
    const other = emulatorAccount('alibabacloud', 'other');
    writeHomeFile(
      '.alibabacloud/credentials',
      `[default]\ntype = access_key\naccess_key_id = ${other.accessKeyId}\naccess_key_secret = ${other.accessKeySecret}\n`,
    );
    expect(
      await signedAccount('alibabacloud', alibabaEcsInstance, childChain('alibabacloud'), 'cn-hangzhou'),
    ).toBe('other');
  });

  test('Tencent: the profile file under HOME signs the call', async () => {
    const other = emulatorAccount('tencentcloud', 'other');
    writeHomeFile(
      '.tencentcloud/credentials',
      `[default]\nsecret_id = ${other.accessKeyId}\nsecret_key = ${other.accessKeySecret}\n`,
    );
    expect(await signedAccount('tencentcloud', tencentGaapProxy, childChain('tencentcloud'))).toBe('other');
  });

  test('Volcengine: the ~/.volc/config profile signs the call', async () => {
    const other = emulatorAccount('volcengine', 'other');
    writeHomeFile(
      '.volc/config',
      JSON.stringify({ VOLC_ACCESSKEY: other.accessKeyId, VOLC_SECRETKEY: other.accessKeySecret }),
    );
    expect(
      await signedAccount('volcengine', volcengineEcsInstance, childChain('volcengine'), 'cn-beijing'),
    ).toBe('other');
  });

  test.each([
    [
      'alibabacloud',
      alibabaDefaultChain,
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'],
    ],
    [
      'tencentcloud',
      tencentDefaultChain,
      ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'],
    ],
    [
      'volcengine',
      () => volcengineDefaultChain(),
      ['VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN'],
    ],
  ] as const)(
    '%s: temporary keys with a session token from the environment come first',
    async (_cloud, chain, vars) => {
      const [idVar, secretVar, tokenVar] = vars;
      process.env[idVar] = 'STS.env-id';
      process.env[secretVar] = 'env-secret';
      process.env[tokenVar] = 'env-token';
      await expect(chain().resolve()).resolves.toEqual({
        accessKeyId: 'STS.env-id',
        accessKeySecret: 'env-secret',
        securityToken: 'env-token',
      });
    },
  );

  test('a chain that finds nothing says what it tried, and names no key', async () => {
    await expect(volcengineDefaultChain({ HOME: home }).resolve()).rejects.toThrow(
      /tried the environment and ~\/\.volc\/config/,
    );
    writeHomeFile('.volc/config', '{"VOLC_ACCESSKEY":"only-half"}');
    const err = await volcengineDefaultChain({ HOME: home })
      .resolve()
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/needs VOLC_ACCESSKEY and VOLC_SECRETKEY/);
    expect(String(err)).not.toContain('only-half');
  });
});
