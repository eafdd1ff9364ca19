// The fingerprint of a validated request, kept in the workflow's memo: the same id with a different
// request is a conflict, the same id with the same request returns the existing teardown.
import { createHash } from 'node:crypto';
import type { TeardownRequest } from '../contract';
import { stableStringify } from '../stable-json';

export const REQUEST_HASH_MEMO_KEY = 'teardownRequestHash';

/** sha256 of the request's canonical JSON, as "sha256:<hex>". */
export function requestHash(request: TeardownRequest): string {
  return `sha256:${createHash('sha256').update(stableStringify(request)).digest('hex')}`;
}
