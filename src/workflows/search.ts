// The contract's search attributes as the workflows set them (design.md section 2): the parent from
// its validated request at its first task, whoever started it; each child from its group. Status and
// failed count are kept current during the run; TeardownBlockedOn says what holds a run up.
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import type { TeardownRequest, TeardownStatus } from '../contract';
import type { KindName } from '../kinds';
import {
  accountsKey,
  blockedOnKey,
  failedCountKey,
  initialSearchAttributes,
  kindsKey,
  statusKey,
} from '../search-attributes';

/** Patch ids: histories recorded before the workflows set their own attributes replay without them. */
export const OWN_ATTRIBUTES_PATCH = 'workflow-sets-search-attributes';

/** Everything the parent's request says: status, kinds, resource count, requester; no failures yet. */
export function teardownAttributes(request: TeardownRequest): SearchAttributePair[] {
  return [...initialSearchAttributes(request), { key: failedCountKey, value: 0 }];
}

export function progressAttributes(status: TeardownStatus, failed: number): SearchAttributePair[] {
  return [
    { key: statusKey, value: status },
    { key: failedCountKey, value: failed },
  ];
}

/** What a child starts with. */
export function groupAttributes(kind: KindName, account?: string): SearchAttributePair[] {
  return [
    ...progressAttributes('running', 0),
    { key: kindsKey, value: [kind] },
    ...(account ? [{ key: accountsKey, value: [account] }] : []),
  ];
}

/** TeardownBlockedOn set to what blocks the run, or removed while it makes progress. */
export function blockedAttributes(on: string | undefined): SearchAttributeUpdatePair[] {
  return [{ key: blockedOnKey, value: on ?? null }];
}
