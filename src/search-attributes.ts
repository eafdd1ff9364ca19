// Typed keys of the search attributes of the public contract (design.md section 2).
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { requestAccounts, requestSummary, SEARCH_ATTRIBUTES, type TeardownRequest } from './contract';

export const statusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, SearchAttributeType.KEYWORD);
export const kindsKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.kinds, SearchAttributeType.KEYWORD_LIST);
export const resourceCountKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.resourceCount,
  SearchAttributeType.INT,
);
export const failedCountKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.failedCount,
  SearchAttributeType.INT,
);
export const requestedByKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.requestedBy,
  SearchAttributeType.KEYWORD,
);

export const blockedOnKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.blockedOn,
  SearchAttributeType.KEYWORD,
);

export const accountsKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.accounts,
  SearchAttributeType.KEYWORD_LIST,
);

/** Every key, for registering them on a server (dev server, tests, demo). */
export const ALL_SEARCH_ATTRIBUTE_KEYS = [
  statusKey,
  kindsKey,
  resourceCountKey,
  failedCountKey,
  requestedByKey,
  blockedOnKey,
  accountsKey,
];

/** The attributes a teardown starts with (status running; kinds, count and requester of the request). */
export function initialSearchAttributes(request: TeardownRequest): SearchAttributePair[] {
  const { kinds, count } = requestSummary(request);
  return [
    { key: statusKey, value: 'running' },
    { key: kindsKey, value: kinds },
    { key: resourceCountKey, value: count },
    ...(request.requestedBy ? [{ key: requestedByKey, value: request.requestedBy }] : []),
    ...accountAttribute(request),
  ];
}

/** TeardownAccounts: set only when the request names an account (contract.requestAccounts). */
function accountAttribute(request: TeardownRequest): SearchAttributePair[] {
  const accounts = requestAccounts(request);
  return accounts.length ? [{ key: accountsKey, value: accounts }] : [];
}
