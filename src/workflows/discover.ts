// Discovery: resolves selectors into ids, one list call per page, applying every criterion here
// (whatever the provider pushed down), and says what each selector found and excluded.
import { ApplicationFailure, isCancellation, patched } from '@temporalio/workflow';
import { ACCOUNTS_PATCH } from '../accounts';
import type { DiscoveryReport, ResourceSelectorSpec } from '../contract';
import { discoveryQueryOf, matchSelector } from '../discovery';
import { KINDS } from '../kinds';
import type { DiscoveryPage } from '../providers/types';
import { kindActivities } from './activity-options';
import { describeFailure } from './failures';
import type { Target } from './teardown-ledger';

/** Bounds discovery of one selector (100 resources a page): 200 pages = 20,000 resources. */
const MAX_DISCOVERY_PAGES = 200;

export async function discover(
  selectors: readonly ResourceSelectorSpec[],
  protectTag: string,
  teardownId: string,
): Promise<{ targets: Target[]; reports: DiscoveryReport[] }> {
  const targets: Target[] = [];
  const reports: DiscoveryReport[] = [];
  for (const [index, selector] of selectors.entries()) {
    const { ids, excluded } = await discoverOne(selector, index, protectTag, teardownId);
    reports.push({
      selector: index,
      kind: selector.kind,
      region: selector.region ?? '',
      matched: ids.length,
      excluded,
    });
    targets.push({
      kind: selector.kind,
      region: selector.region,
      appId: selector.appId,
      ...(selector.account ? { account: selector.account, accountField: `selectors[${index}].account` } : {}),
      ids,
    });
  }
  return { targets, reports };
}

async function discoverOne(
  selector: ResourceSelectorSpec,
  index: number,
  protectTag: string,
  teardownId: string,
): Promise<{ ids: string[]; excluded: DiscoveryReport['excluded'] }> {
  if (selector.account && patched(ACCOUNTS_PATCH)) await checkSelectorAccount(selector, index);
  const acts = kindActivities(selector.kind, 'discover', { scheduleToCloseTimeout: '10m' }, selector.account);
  const where = selector.region ? ` in ${selector.region}` : '';
  const ids: string[] = [];
  const excluded: DiscoveryReport['excluded'] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_DISCOVERY_PAGES; page++) {
    let answer: DiscoveryPage;
    try {
      answer = await acts.discoverResources.executeWithOptions(
        { summary: `${KINDS[selector.kind].calls.discover} page ${page + 1}: ${selector.kind}${where}` },
        [
          {
            teardownId,
            kind: selector.kind,
            region: selector.region,
            appId: selector.appId,
            ...(selector.account
              ? { account: selector.account, accountField: `selectors[${index}].account` }
              : {}),
            query: discoveryQueryOf(selector),
            pageToken,
          },
        ],
      );
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      throw ApplicationFailure.nonRetryable(
        `discovery for selectors[${index}] (${selector.kind}) failed: ${failure.message}`,
        failure.code,
      );
    }
    for (const resource of answer.resources) {
      const match = matchSelector(resource, selector, Date.now(), protectTag);
      if (match.matched) ids.push(resource.id);
      else excluded.push({ id: resource.id, name: resource.name, reason: match.reason });
    }
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  return { ids, excluded };
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
    if (isCancellation(err)) throw err;
    const failure = describeFailure(err);
    throw ApplicationFailure.nonRetryable(
      `discovery for selectors[${index}] (${selector.kind}) failed: ${failure.message}`,
      failure.code,
    );
  }
}
