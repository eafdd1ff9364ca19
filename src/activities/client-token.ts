// ClientToken rule (design.md section 6): a pure function of the teardown's workflow id, the step,
// and the exact parameters of the call, so a retried or replayed call re-sends the same token with
// the same parameters, and any call with other parameters gets another token.
import { createHash } from 'node:crypto';

export interface ClientTokenParts {
  teardownId: string;
  step: string;
  kind: string;
  region?: string;
  appId?: string;
  /** Mixed in only when set, so tokens of requests without accounts never change. */
  account?: string;
  ids: readonly string[];
  /** Call parameters that change the request (Force, TerminateSubscription, ...). */
  params?: Record<string, string | number | boolean | undefined>;
  /** Bumped by the workflow when it deliberately re-issues the same call. */
  generation: number;
}

/** 64 ASCII characters: the providers' ClientToken limit. */
export function clientToken(parts: ClientTokenParts): string {
  const params = Object.entries(parts.params ?? {})
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([
    parts.teardownId,
    parts.step,
    parts.kind,
    parts.region ?? '',
    parts.appId ?? '',
    [...parts.ids].sort(),
    params,
    parts.generation,
    ...(parts.account ? [parts.account] : []),
  ]);
  return 'ct-' + createHash('sha256').update(canonical).digest('hex').slice(0, 61);
}
