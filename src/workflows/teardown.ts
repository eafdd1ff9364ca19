// The `teardown` workflow of the public contract (design.md section 2): validates the request,
// waits for its start time, resolves selectors by discovery, splits the resources into groups
// (one kind / region / application / chunk each), runs a child workflow per group in parallel so
// every history stays small, keeps a live report for the `progress` query, and returns it.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityInterfaceFor,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { TeardownActivities } from '../activities';
import {
  computeTotals,
  DEFAULT_MAX_SELECTED,
  formatIssues,
  parseDurationMs,
  teardownRequestSchema,
  type DiscoveryReport,
  type ResourceReport,
  type ResourceSelectorSpec,
  type TeardownPhase,
  type TeardownReport,
  type TeardownRequestInput,
  type TeardownStatus,
} from '../contract';
import { DEFAULT_PROTECT_TAG, discoveryQueryOf, matchSelector } from '../discovery';
import { KINDS, type KindName } from '../kinds';
import type { DiscoveryPage } from '../providers/types';
import { failedCountKey, resourceCountKey, statusKey } from '../search-attributes';
import { describeFailure } from './failures';
import {
  approveSignal,
  approveUpdate,
  groupProgressSignal,
  postponeUpdate,
  progressQuery,
  rejectSignal,
  rejectUpdate,
  type ResourceGroupInput,
} from './messages';
import { deleteResourceGroup } from './resource-group';
import { chunk } from './util';

/** Most ids one child workflow handles: keeps each child's history far below 10,000 events. */
export const GROUP_SIZE = 500;
const DEFAULT_DEADLINE = '2h';
const DEFAULT_POLL_INTERVAL = '3s';
const MAX_POLL_INTERVAL_MS = 30_000;
/** Keeps a child's history bounded (about 10 events a round) whatever the deadline. */
const MAX_POLL_ROUNDS = 500;
/** How long an approval may be awaited when the request sets no deadline. */
const DEFAULT_APPROVAL_WINDOW_MS = 24 * 3_600_000;
/** Bounds discovery of one selector (100 resources a page): 200 pages = 20,000 resources. */
const MAX_DISCOVERY_PAGES = 200;

interface Target {
  kind: KindName;
  region?: string;
  appId?: string;
  ids: string[];
}

export async function teardown(rawRequest: TeardownRequestInput): Promise<TeardownReport> {
  const parsed = teardownRequestSchema.safeParse(rawRequest);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid teardown request:\n${formatIssues(parsed.error)}`,
      'InvalidTeardownRequest',
    );
  }
  const request = parsed.data;
  const options = request.options ?? {};
  const info = workflowInfo();
  const deadlineMs = parseDurationMs(options.deadline ?? DEFAULT_DEADLINE)!;
  const pollIntervalMs = parseDurationMs(options.pollInterval ?? DEFAULT_POLL_INTERVAL)!;

  const reports = new Map<string, ResourceReport>();
  /** The application of SAE ids (reports carry no appId; the request does). */
  const appOf = new Map<string, string>();
  let discovery: DiscoveryReport[] | undefined;
  let message: string | undefined;
  let status: TeardownStatus = 'running';
  let phase: TeardownPhase = 'preflight';
  let startAt = options.startAt ? Date.parse(options.startAt) : undefined;

  const snapshot = (): TeardownReport => {
    const resources = [...reports.values()];
    return {
      status,
      phase,
      totals: computeTotals(resources),
      resources,
      ...(discovery ? { discovery } : {}),
      ...(message ? { message } : {}),
    };
  };
  const merge = (changed: ResourceReport[]) => {
    for (const r of changed) {
      const k = key(r.kind, r.region, r.id);
      if (reports.has(k)) reports.set(k, r);
    }
  };
  const publish = (next: TeardownStatus, nextPhase: TeardownPhase, details: string) => {
    status = next;
    phase = nextPhase;
    setCurrentDetails(details);
    const totals = computeTotals([...reports.values()]);
    upsertSearchAttributes([
      { key: statusKey, value: status },
      { key: failedCountKey, value: totals.failed },
    ]);
  };
  const addTargets = (targets: Target[]) => {
    for (const t of targets) {
      const region = t.region ?? '';
      for (const id of t.ids) {
        const k = key(t.kind, region, id);
        if (!reports.has(k)) reports.set(k, { kind: t.kind, region, id, outcome: 'pending' });
        if (t.appId) appOf.set(k, t.appId);
      }
    }
  };

  setHandler(progressQuery, snapshot);
  setHandler(groupProgressSignal, ({ changed }) => merge(changed));

  let decision: { approved: true; by: string } | { approved: false; by: string; reason: string } | undefined;
  setHandler(
    approveUpdate,
    ({ approvedBy }) => {
      decision = { approved: true, by: approvedBy };
      return snapshot();
    },
    {
      validator: (arg) =>
        validateDecision(arg?.approvedBy, 'approvedBy', status, decision, options.requireApproval),
    },
  );
  setHandler(
    rejectUpdate,
    ({ rejectedBy, reason }) => {
      decision = { approved: false, by: rejectedBy, reason };
      return snapshot();
    },
    {
      validator: (arg) => {
        validateDecision(arg?.rejectedBy, 'rejectedBy', status, decision, options.requireApproval);
        if (!arg?.reason?.trim()) throw new Error('reason: must say why the teardown is rejected');
      },
    },
  );
  // design.md allows a signal as well as the update; a signal cannot be refused, so an invalid one is logged.
  setHandler(approveSignal, (arg) => {
    try {
      validateDecision(arg?.approvedBy, 'approvedBy', status, decision, options.requireApproval);
      decision = { approved: true, by: arg.approvedBy };
    } catch (err) {
      log.warn(`approve signal ignored: ${(err as Error).message}`);
    }
  });
  setHandler(rejectSignal, (arg) => {
    try {
      validateDecision(arg?.rejectedBy, 'rejectedBy', status, decision, options.requireApproval);
      if (!arg?.reason?.trim()) throw new Error('reason: must say why the teardown is rejected');
      decision = { approved: false, by: arg.rejectedBy, reason: arg.reason };
    } catch (err) {
      log.warn(`reject signal ignored: ${(err as Error).message}`);
    }
  });
  setHandler(
    postponeUpdate,
    ({ until }) => {
      startAt = Date.parse(until);
      setCurrentDetails(`waiting until ${new Date(startAt).toISOString()} (postponed)`);
      return snapshot();
    },
    {
      validator: (arg) => {
        const when = Date.parse(arg?.until ?? '');
        if (Number.isNaN(when))
          throw new Error('until: must be an ISO 8601 time like "2026-11-27T18:00:00Z"');
        if (phase !== 'waiting')
          throw new Error(`this teardown already started (${phase}); it can no longer be postponed`);
        if (when <= Date.now()) throw new Error('until: must be in the future');
      },
    },
  );

  let children: Array<ChildWorkflowHandle<typeof deleteResourceGroup>> = [];
  const runGroups = async (dryRun: boolean, label: string, deadlineAt: number): Promise<void> => {
    children = [];
    const groups = planGroups([...reports.values()], appOf);
    for (const [index, group] of groups.entries()) {
      const input: ResourceGroupInput = {
        teardownId: info.workflowId,
        groupId: `${group.kind}/${group.region || 'global'}${group.appId ? `/${group.appId}` : ''}/${index}`,
        kind: group.kind,
        region: group.region || undefined,
        appId: group.appId,
        ids: group.ids,
        force: options.force ?? false,
        convertPrepaid: options.convertPrepaid ?? false,
        dryRun,
        deadlineAt,
        parentWorkflowId: info.workflowId,
        pollIntervalMs,
        // Long deadlines poll less often, so a stuck group makes at most ~MAX_POLL_ROUNDS rounds.
        maxPollIntervalMs: Math.max(
          pollIntervalMs,
          MAX_POLL_INTERVAL_MS,
          Math.ceil(deadlineMs / MAX_POLL_ROUNDS),
        ),
      };
      children.push(
        await startChild(deleteResourceGroup, {
          workflowId: `${info.workflowId}/${label}/${input.groupId}`,
          args: [input],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          staticSummary: `${label} ${group.ids.length} ${group.kind}${group.region ? ` in ${group.region}` : ''}${group.appId ? ` (app ${group.appId})` : ''}`,
          staticDetails: `options: force=${input.force}, convertPrepaid=${input.convertPrepaid}, dryRun=${dryRun}; ids: ${sample(group.ids)}`,
        }),
      );
    }
    // A child that fails outright (terminated, a bug) must not lose the other children's reports.
    const results = await Promise.allSettled(children.map((h) => h.result()));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') merge(result.value);
      else if (!isCancellation(result.reason)) {
        const group = groups[i]!;
        const why = result.reason instanceof Error ? result.reason.message : String(result.reason);
        merge(
          group.ids
            .map((id) => reports.get(key(group.kind, group.region ?? '', id))!)
            .filter((r) => r.outcome === 'pending')
            .map((r) => ({
              ...r,
              outcome: 'failed' as const,
              errorCode: 'GroupFailed',
              message: `its group workflow failed: ${why}`,
            })),
        );
      }
    });
    const cancelled = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected' && isCancellation(r.reason),
    );
    if (cancelled) throw cancelled.reason;
  };

  const finish = (final: TeardownStatus, details: string): TeardownReport => {
    publish(final, 'done', details);
    // The memo keeps the outcome readable in the UI even when no worker can answer a query.
    upsertMemo({ outcome: details });
    return snapshot();
  };

  const cancelledReport = (): Promise<TeardownReport> =>
    CancellationScope.nonCancellable(async () => {
      // Children were asked to cancel: they start no new deletions, let in-flight calls finish
      // and return what stands; wait for those reports, then say what was and was not deleted.
      const settled = await Promise.allSettled(children.map((h) => h.result()));
      for (const s of settled) if (s.status === 'fulfilled') merge(s.value);
      for (const [k, r] of reports) {
        if (r.outcome === 'pending' && !r.message)
          reports.set(k, { ...r, message: 'not deleted: the teardown was cancelled' });
      }
      const t = computeTotals([...reports.values()]);
      message = `cancelled: ${t.deleted} deleted, ${t.alreadyGone} already gone, ${t.pending} not deleted`;
      return finish('cancelled', message);
    });
  const cancelRequested = () => CancellationScope.current().consideredCancelled;

  // Named resources are in the report from the start (also while waiting for the start time).
  addTargets(request.resources);
  try {
    // ---- wait for the start time (durable; `postpone` moves it, cancel ends it) ----
    if (startAt !== undefined && startAt > Date.now()) {
      publish('running', 'waiting', `waiting until ${new Date(startAt).toISOString()}`);
      for (let seen = startAt; startAt > Date.now(); seen = startAt) {
        await condition(() => startAt !== seen, startAt - Date.now());
      }
    }
    const startedAt = Date.now();
    let deadlineAt = startedAt + deadlineMs;

    // ---- discovery ----
    if (request.selectors?.length) {
      publish('running', 'discovery', `discovering resources for ${request.selectors.length} selector(s)`);
      const found = await discover(
        request.selectors,
        options.protectTag ?? DEFAULT_PROTECT_TAG,
        info.workflowId,
      );
      discovery = found.reports;
      const fresh = found.targets.reduce((n, t) => n + t.ids.length, 0);
      const cap = options.maxResources ?? DEFAULT_MAX_SELECTED;
      if (fresh > cap) {
        message = `selectors matched ${fresh} resources, more than maxResources (${cap}): refused, nothing was deleted`;
        return finish('failed', message);
      }
      addTargets(found.targets);
      upsertSearchAttributes([{ key: resourceCountKey, value: reports.size }]);
      if (reports.size === 0) {
        message = 'selectors matched nothing: nothing to delete';
        return finish(options.dryRun ? 'dry-run' : 'completed', message);
      }
    }

    if (options.dryRun || options.requireApproval) {
      publish('running', 'preflight', `preflight of ${reports.size} resources`);
      await runGroups(true, 'preflight', deadlineAt);
      if (cancelRequested()) return cancelledReport();
    }
    if (options.dryRun) {
      return finish(
        'dry-run',
        `dry run: ${computeTotals([...reports.values()]).wouldDelete} would be deleted`,
      );
    }
    if (options.requireApproval) {
      publish('awaiting-approval', 'awaiting-approval', 'awaiting approval (update "approve" or "reject")');
      const windowMs = options.deadline ? Math.max(deadlineAt - Date.now(), 0) : DEFAULT_APPROVAL_WINDOW_MS;
      const decided = await condition(() => decision !== undefined, windowMs);
      if (!decided || !decision?.approved) {
        message =
          decided && decision && !decision.approved
            ? `rejected by ${decision.by}: ${decision.reason}`
            : 'no approval before the deadline';
        for (const [k, r] of reports) {
          if (r.outcome === 'would-delete') reports.set(k, { ...r, outcome: 'skipped', message });
        }
        return finish('cancelled', message);
      }
      // The approved run starts from a fresh preflight: the world may have moved while we waited.
      for (const [k, r] of reports)
        reports.set(k, { kind: r.kind, region: r.region, id: r.id, outcome: 'pending' });
      message = `approved by ${decision.by}`;
      // Without an explicit deadline the default window starts at approval, not at the request.
      if (!options.deadline) deadlineAt = Date.now() + deadlineMs;
    }
    publish('running', 'deleting', `tearing down ${reports.size} resources`);
    await runGroups(false, 'delete', deadlineAt);
    // Children handle the cancellation themselves and return normally: the parent sees no error.
    if (cancelRequested()) return cancelledReport();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return cancelledReport();
  }
  const totals = computeTotals([...reports.values()]);
  const finalStatus: TeardownStatus =
    totals.failed === 0 && totals.pending === 0
      ? 'completed'
      : totals.deleted + totals.alreadyGone > 0
        ? 'partially-failed'
        : 'failed';
  return finish(
    finalStatus,
    `${finalStatus}: ${totals.deleted} deleted, ${totals.alreadyGone} already gone, ${totals.failed} failed, ${totals.skipped} skipped${failureCodes([...reports.values()])}`,
  );
}

/** Resolves selectors into ids, one list call per page, applying every criterion here. */
async function discover(
  selectors: ResourceSelectorSpec[],
  protectTag: string,
  teardownId: string,
): Promise<{ targets: Target[]; reports: DiscoveryReport[] }> {
  const targets: Target[] = [];
  const reports: DiscoveryReport[] = [];
  for (const [index, selector] of selectors.entries()) {
    const acts = activitiesFor(selector.kind);
    const report: DiscoveryReport = {
      selector: index,
      kind: selector.kind,
      region: selector.region ?? '',
      matched: 0,
      excluded: [],
    };
    const ids: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_DISCOVERY_PAGES; page++) {
      let answer: DiscoveryPage;
      try {
        answer = await acts.discoverResources.executeWithOptions(
          {
            summary: `${KINDS[selector.kind].calls.discover} page ${page + 1}: ${selector.kind}${selector.region ? ` in ${selector.region}` : ''}`,
          },
          [
            {
              teardownId,
              kind: selector.kind,
              region: selector.region,
              appId: selector.appId,
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
        else report.excluded.push({ id: resource.id, name: resource.name, reason: match.reason });
      }
      pageToken = answer.nextPageToken;
      if (!pageToken) break;
    }
    report.matched = ids.length;
    reports.push(report);
    targets.push({ kind: selector.kind, region: selector.region, appId: selector.appId, ids });
  }
  return { targets, reports };
}

function activitiesFor(kind: KindName): ActivityInterfaceFor<TeardownActivities> {
  return proxyActivities<TeardownActivities>({
    taskQueue: `${workflowInfo().taskQueue}.${kind}`,
    startToCloseTimeout: '30s',
    heartbeatTimeout: '5s',
    scheduleToCloseTimeout: '10m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}

/** Groups resources by kind / region / application, at most GROUP_SIZE ids a group. */
function planGroups(resources: ResourceReport[], appOf: Map<string, string>): Target[] {
  const byKey = new Map<string, Target>();
  for (const r of resources) {
    const appId = appOf.get(key(r.kind, r.region, r.id));
    const k = `${r.kind}|${r.region}|${appId ?? ''}`;
    const group = byKey.get(k) ?? { kind: r.kind, region: r.region, appId, ids: [] };
    group.ids.push(r.id);
    byKey.set(k, group);
  }
  return [...byKey.values()].flatMap((g) => chunk(g.ids, GROUP_SIZE).map((ids) => ({ ...g, ids })));
}

function key(kind: string, region: string, id: string): string {
  return `${kind}|${region}|${id}`;
}

function sample(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

function failureCodes(resources: ResourceReport[]): string {
  const counts = new Map<string, number>();
  for (const r of resources)
    if (r.outcome === 'failed' && r.errorCode) counts.set(r.errorCode, (counts.get(r.errorCode) ?? 0) + 1);
  if (counts.size === 0) return '';
  return ` (${[...counts].map(([code, n]) => `${n}x ${code}`).join(', ')})`;
}

function validateDecision(
  who: string | undefined,
  field: string,
  status: TeardownStatus,
  decision: unknown,
  requireApproval: boolean | undefined,
): void {
  if (!who?.trim()) throw new Error(`${field}: must name who decides`);
  if (!requireApproval)
    throw new Error('this teardown was started without requireApproval; nothing to decide');
  if (decision !== undefined) throw new Error('this teardown has already been decided');
  if (status !== 'awaiting-approval') {
    throw new Error(`this teardown is ${status}; it can be approved or rejected once its preflight is done`);
  }
}
