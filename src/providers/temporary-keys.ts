// Temporary keys (an assumed role's) cached until shortly before they expire, then fetched again,
// so a long-running worker never signs with expired keys and never restarts for new ones.
import { rememberSecrets } from '../observability/runtime-secrets';
import type { CloudCredentials, CredentialSource } from './types';

export interface TemporaryKeys {
  credentials: CloudCredentials;
  /** Epoch ms. */
  expiresAt: number;
}

export interface TemporaryKeyOptions {
  origin: string;
  fetch: () => Promise<TemporaryKeys>;
  /** Epoch ms; injectable so tests move time. */
  now?: () => number;
  /** Fetch again this long before expiry (default: 5 minutes, or a fifth of a shorter lifetime). */
  refreshBeforeMs?: number;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

export function temporaryKeySource(opts: TemporaryKeyOptions): CredentialSource {
  const now = opts.now ?? Date.now;
  let cached: { keys: TemporaryKeys; refreshAt: number } | undefined;
  let inFlight: Promise<TemporaryKeys> | undefined;
  const refresh = async (): Promise<TemporaryKeys> => {
    const fetchedAt = now();
    const keys = await opts.fetch();
    rememberSecrets(keys.credentials.accessKeySecret, keys.credentials.securityToken);
    const lifetime = keys.expiresAt - fetchedAt;
    const margin = opts.refreshBeforeMs ?? Math.min(DEFAULT_REFRESH_BEFORE_MS, Math.floor(lifetime / 5));
    cached = { keys, refreshAt: keys.expiresAt - margin };
    return keys;
  };
  return {
    origin: opts.origin,
    async resolve() {
      if (cached && now() < cached.refreshAt) return cached.keys.credentials;
      // One fetch at a time: concurrent calls share it.
      inFlight ??= refresh().finally(() => (inFlight = undefined));
      return (await inFlight).credentials;
    },
  };
}

/** What a role to assume needs, in every cloud's STS AssumeRole. */
export interface AssumeRoleSpec {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
}

export type AssumeRole = (
  base: CredentialSource,
  spec: AssumeRoleSpec,
  endpoint: string | undefined,
  timeoutMs: number,
) => Promise<TemporaryKeys>;

/** A role's keys, assumed with `base` through a cloud's `assume` and renewed before they expire. */
export function roleKeySource(assume: AssumeRole) {
  return (
    base: CredentialSource,
    spec: AssumeRoleSpec,
    endpoint: string | undefined,
    opts: { timeoutMs: number; now?: () => number },
  ): CredentialSource =>
    temporaryKeySource({
      origin: `STS AssumeRole of ${spec.roleArn} (with ${base.origin})`,
      fetch: () => assume(base, spec, endpoint, opts.timeoutMs),
      now: opts.now,
    });
}
