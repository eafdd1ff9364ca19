// The emulator's built-in accounts. These keys are fake and only open the local emulator; they
// are literals on purpose so the demo, tests and benchmarks need no setup.
import type { CloudProvider, EmulatorAccount } from './types';

export const EMULATOR_ACCOUNTS: readonly EmulatorAccount[] = [
  {
    provider: 'alibabacloud',
    account: 'default',
    uid: '1000000000000001',
    accessKeyId: 'LTAI5tEmuDefault0000000001',
    accessKeySecret: 'EmuAlibabaDefaultSecret000000001',
  },
  {
    provider: 'alibabacloud',
    account: 'other',
    uid: '1000000000000002',
    accessKeyId: 'LTAI5tEmuOther00000000002',
    accessKeySecret: 'EmuAlibabaOtherSecret0000000002',
  },
  {
    provider: 'tencentcloud',
    account: 'default',
    uid: '100000000001',
    accessKeyId: 'AKIDEmuDefault00000000000000000001',
    accessKeySecret: 'EmuTencentDefaultSecret000000001',
  },
  {
    provider: 'tencentcloud',
    account: 'other',
    uid: '100000000002',
    accessKeyId: 'AKIDEmuOther0000000000000000000002',
    accessKeySecret: 'EmuTencentOtherSecret0000000002',
  },
  {
    provider: 'volcengine',
    account: 'default',
    uid: '2100000001',
    accessKeyId: 'AKLTEmuDefault0000000000000001',
    accessKeySecret: 'EmuVolcengineDefaultSecret00001',
  },
  {
    provider: 'volcengine',
    account: 'other',
    uid: '2100000002',
    accessKeyId: 'AKLTEmuOther00000000000000002',
    accessKeySecret: 'EmuVolcengineOtherSecret000002',
  },
];

export const PROVIDERS: readonly CloudProvider[] = ['alibabacloud', 'tencentcloud', 'volcengine'];

export function findEmulatorAccount(
  provider: CloudProvider,
  accessKeyId: string,
): EmulatorAccount | undefined {
  return EMULATOR_ACCOUNTS.find((a) => a.provider === provider && a.accessKeyId === accessKeyId);
}

export function emulatorAccount(provider: CloudProvider, account = 'default'): EmulatorAccount {
  const found = EMULATOR_ACCOUNTS.find((a) => a.provider === provider && a.account === account);
  if (!found) throw new Error(`the emulator has no ${provider} account named "${account}"`);
  return found;
}

/** The account whose uid (Alibaba) or uin (Tencent) a role ARN names. */
export function accountOfUid(provider: CloudProvider, uid: string): EmulatorAccount | undefined {
  return EMULATOR_ACCOUNTS.find((a) => a.provider === provider && a.uid === uid);
}

/** The default account of every provider. */
export function defaultAccounts(): Record<CloudProvider, EmulatorAccount> {
  return {
    alibabacloud: emulatorAccount('alibabacloud'),
    tencentcloud: emulatorAccount('tencentcloud'),
    volcengine: emulatorAccount('volcengine'),
  };
}

/**
 * The environment a worker needs to talk to this emulator with its default accounts:
 * each provider's credential variables plus CLOUD_TEARDOWN_ENDPOINT=<host:port>, which points
 * every provider at the emulator.
 */
export function emulatorCredentialsEnv(
  emulator: { endpoint: string },
  account = 'default',
): Record<string, string> {
  const ali = emulatorAccount('alibabacloud', account);
  const tc = emulatorAccount('tencentcloud', account);
  const volc = emulatorAccount('volcengine', account);
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: ali.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: ali.accessKeySecret,
    TENCENTCLOUD_SECRET_ID: tc.accessKeyId,
    TENCENTCLOUD_SECRET_KEY: tc.accessKeySecret,
    VOLCENGINE_ACCESS_KEY: volc.accessKeyId,
    VOLCENGINE_SECRET_KEY: volc.accessKeySecret,
    CLOUD_TEARDOWN_ENDPOINT: emulator.endpoint,
  };
}
