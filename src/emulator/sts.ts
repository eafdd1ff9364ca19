// The emulated STS of Alibaba and Tencent: AssumeRole issues temporary keys (id, secret, token)
// of the account a role ARN names, valid until an expiry on the emulator's clock. The keys live in
// the STS product's memory (so reset() drops them and a state file keeps them); the gateway's
// authentication looks them up next to the built-in accounts, and each family refuses a call whose
// token is missing, wrong or expired with the provider's own code.
import { randomBytes } from 'node:crypto';
import type { CloudProvider, EmulatorAccount, EmulatorContext } from './types';

const KEY_PREFIX = 'sts:key:';

export interface IssueOptions {
  provider: CloudProvider;
  account: string;
  durationSeconds: number;
  /** Prefix of the temporary AccessKeyId, as each provider shapes it ('STS.', 'AKID'). */
  idPrefix: string;
}

function random(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function issueTemporaryKeys(ctx: EmulatorContext, opts: IssueOptions): EmulatorAccount {
  const keys: EmulatorAccount = {
    provider: opts.provider,
    account: opts.account,
    accessKeyId: `${opts.idPrefix}${random(18)}`,
    accessKeySecret: random(30),
    securityToken: random(96),
    expiresAt: ctx.now() + opts.durationSeconds * 1000,
  };
  ctx.memory.set(KEY_PREFIX + keys.accessKeyId, keys);
  return keys;
}

/** Temporary keys issued by this STS memory (expired ones too: the family answers their code). */
export function findTemporaryKeys(
  memory: Map<string, unknown> | undefined,
  accessKeyId: string,
): EmulatorAccount | undefined {
  return memory?.get(KEY_PREFIX + accessKeyId) as EmulatorAccount | undefined;
}

/** What is wrong with the token a call signed with `account`'s keys carries, if anything. */
export function tokenProblem(
  account: EmulatorAccount,
  token: string | undefined,
  now: number,
): 'missing' | 'mismatch' | 'expired' | 'unexpected' | undefined {
  if (account.securityToken === undefined) return token ? 'unexpected' : undefined;
  if (!token) return 'missing';
  if (token !== account.securityToken) return 'mismatch';
  if (now >= (account.expiresAt ?? 0)) return 'expired';
  return undefined;
}
