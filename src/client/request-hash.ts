// The fingerprint of a validated request, kept in the workflow's memo: the same id with a different
// request is a conflict, the same id with the same request returns the existing teardown.
import { createHash } from 'node:crypto';
import type { TeardownRequest } from '../contract';

export const REQUEST_HASH_MEMO_KEY = 'teardownRequestHash';

/** JSON with object keys sorted, so equal requests hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the request's canonical JSON, as "sha256:<hex>". */
export function requestHash(request: TeardownRequest): string {
  return `sha256:${createHash('sha256').update(canonicalJson(request)).digest('hex')}`;
}
