// Discovery: resolves selectors into ids, one list call per page, applying every criterion here
// (whatever the provider pushed down), and says what each selector found and excluded.
import { ApplicationFailure, isCancellation, patched } from '@temporalio/workflow';
import { ACCOUNTS_PATCH } from '../accounts';
import type { DiscoveryReport, ResourceSelectorSpec } from '../contract';
import { discoveryQueryOf, matchSelector } from '../discovery';
import { KINDS } from '../kinds';
import type { MatchingPage } from '../activities';
import { kindActivities } from './activity-options';
import { describeFailure } from './failures';
import type { Target } from './teardown-ledger';

/** Before DISCOVERY_AT_SCALE: at most 200 pages (20,000 resources) per selector, the rest unseen. */
const LEGACY_MAX_DISCOVERY_PAGES = 200;
/**
 * Selectors are listed together, and each is listed until its last page or until it alone matches
 * more than maxResources (the teardown is then refused), instead of stopping silently at 200 pages.
 */
export const DISCOVERY_AT_SCALE_PATCH = 'discovery-at-scale';
/** Keeps the parent's history bounded (about 3 to 6 events a page) whatever a selector lists. */
export const MAX_DISCOVERY_PAGES = 1_200;
/** Most excluded resources a selector's report lists by id (the count is always exact). */
export const MAX_EXCLUDED_LISTED = 100;

interface Found {
  /** False when listing stopped because the selector alone matched more than maxResources. */
  listedAll: boolean;
  ids: string[];
  excluded: DiscoveryReport['excluded'];
  excludedCount: number;
}

export async function discover(
  selectors: readonly ResourceSelectorSpec[],
  protectTag: string,
  teardownId: string,
  maxMatched: number,
): Promise<{ targets: Target[]; reports: DiscoveryReport[]; listedAll: boolean }> {
  const atScale = patched(DISCOVERY_AT_SCALE_PATCH);
  const one = (selector: ResourceSelectorSpec, index: number) =>
    discoverOne(selector, index, { protectTag, teardownId, maxMatched: atScale ? maxMatched : undefined });
  const found: Found[] = [];
  if (atScale) found.push(...(await Promise.all(selectors.map(one))));
  else for (const [index, selector] of selectors.entries()) found.push(await one(selector, index));
  const reports = selectors.map((selector, index) => {
    const { ids, excluded, excludedCount } = found[index]!;
    const report: DiscoveryReport = {
      selector: index,
      kind: selector.kind,
      region: selector.region ?? '',
      matched: ids.length,
      excluded,
    };
    return excludedCount > excluded.length ? { ...report, excludedCount } : report;
  });
  const targets = selectors.map((selector, index) => ({
    kind: selector.kind,
    region: selector.region,
    appId: selector.appId,
    ...(selector.account ? { account: selector.account, accountField: `selectors[${index}].account` } : {}),
    ids: found[index]!.ids,
  }));
  return { targets, reports, listedAll: found.every((f) => f.listedAll) };
}

interface DiscoverySettings {
  protectTag: string;
  teardownId: string;
  /** Stop listing once more than this many matched (undefined: the legacy page cap). */
  maxMatched?: number;
}

/** One page, already matched: ids of what matched, the first excluded resources, how many were excluded. */
type Page = MatchingPage;

async function discoverOne(
  selector: ResourceSelectorSpec,
  index: number,
  settings: DiscoverySettings,
): Promise<Found> {
  const { maxMatched } = settings;
  if (selector.account && patched(ACCOUNTS_PATCH)) await checkSelectorAccount(selector, index);
  const where = selector.region ? ` in ${selector.region}` : '';
  const fetchPage = pageFetcher(selector, index, settings);
  const ids: string[] = [];
  const excluded: DiscoveryReport['excluded'] = [];
  let excludedCount = 0;
  let pageToken: string | undefined;
  const more = (page: number) =>
    maxMatched === undefined
      ? page < LEGACY_MAX_DISCOVERY_PAGES
      : page < MAX_DISCOVERY_PAGES && ids.length <= maxMatched;
  for (let page = 0; more(page); page++) {
    let answer: Page;
    try {
      answer = await fetchPage(page, pageToken, MAX_EXCLUDED_LISTED - excluded.length);
    } catch (err) {
      throw discoveryFailure(err, selector, index);
    }
    ids.push(...answer.matched);
    excluded.push(...answer.excluded);
    excludedCount += answer.excludedCount;
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  if (pageToken && maxMatched !== undefined && ids.length <= maxMatched) {
    throw ApplicationFailure.nonRetryable(
      `discovery for selectors[${index}] (${selector.kind}${where}) listed ${MAX_DISCOVERY_PAGES} pages ` +
        `without reaching the end: narrow the selector (region, tags, namePrefix), nothing was deleted`,
      'DiscoveryTooLarge',
    );
  }
  return { listedAll: !pageToken, ids, excluded, excludedCount };
}

/**
 * Since discovery-at-scale the activity matches each page (only ids come back, so 100,000
 * resources add ids, not their names and tags, to the history); before, the workflow matched
 * whole pages (and listed every excluded resource).
 */
function pageFetcher(
  selector: ResourceSelectorSpec,
  index: number,
  { protectTag, teardownId, maxMatched }: DiscoverySettings,
): (page: number, pageToken: string | undefined, excludedRoom: number) => Promise<Page> {
  const acts = kindActivities(selector.kind, 'discover', { scheduleToCloseTimeout: '10m' }, selector.account);
  const where = selector.region ? ` in ${selector.region}` : '';
  const listing = (pageToken: string | undefined) => ({
    teardownId,
    kind: selector.kind,
    region: selector.region,
    appId: selector.appId,
    ...(selector.account ? { account: selector.account, accountField: `selectors[${index}].account` } : {}),
    query: discoveryQueryOf(selector),
    pageToken,
  });
  const options = (page: number) => ({
    summary: `${KINDS[selector.kind].calls.discover} page ${page + 1}: ${selector.kind}${where}`,
  });
  if (maxMatched !== undefined) {
    const { tags, namePrefix, olderThan } = selector;
    return (page, pageToken, excludedRoom) =>
      acts.discoverMatching.executeWithOptions(options(page), [
        {
          ...listing(pageToken),
          selector: { tags, namePrefix, olderThan },
          protectTag,
          nowMs: Date.now(),
          maxExcluded: Math.max(excludedRoom, 0),
        },
      ]);
  }
  return async (page, pageToken) => {
    const answer = await acts.discoverResources.executeWithOptions(options(page), [listing(pageToken)]);
    const found: Page = { matched: [], excluded: [], excludedCount: 0, nextPageToken: answer.nextPageToken };
    for (const resource of answer.resources) {
      const match = matchSelector(resource, selector, Date.now(), protectTag);
      if (match.matched) found.matched.push(resource.id);
      else {
        found.excludedCount++;
        found.excluded.push({ id: resource.id, name: resource.name, reason: match.reason });
      }
    }
    return found;
  };
}

/** Its account's queue has no worker when the account is unknown: check on the default one first. */
async function checkSelectorAccount(selector: ResourceSelectorSpec, index: number): Promise<void> {
  const field = `selectors[${index}].account`;
  try {
    await kindActivities(selector.kind, 'discover').checkAccount.executeWithOptions(
      { summary: `account ${selector.account} known for ${selector.kind}` },
      [{ kind: selector.kind, account: selector.account!, accountField: field }],
    );
  } catch (err) {
    throw discoveryFailure(err, selector, index);
  }
}

/** A listing that failed ends the discovery, naming the selector; a cancellation stays one. */
function discoveryFailure(err: unknown, selector: ResourceSelectorSpec, index: number): unknown {
  if (isCancellation(err)) return err;
  const failure = describeFailure(err);
  return ApplicationFailure.nonRetryable(
    `discovery for selectors[${index}] (${selector.kind}) failed: ${failure.message}`,
    failure.code,
  );
}
