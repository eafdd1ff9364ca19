// The parent's children: one `deleteResourceGroup` per kind / region / application / chunk, run
// in parallel so every history stays small; a child that fails outright keeps the others' reports.
import {
  isCancellation,
  ParentClosePolicy,
  patched,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { ResourceReport } from '../contract';
import { CONCURRENT_BATCHES, groupLimitOf } from './group/batches';
import { KINDS } from '../kinds';
import { groupAttributes } from './search';
import type { ResourceGroupInput } from './messages';
import { deleteResourceGroup } from './resource-group';
import { unpackReports } from './report';
import { sampleIds } from './summaries';
import type { Target } from './teardown-ledger';
import { chunk } from './util';

/** Most ids one child workflow handles: keeps each child's history far below 10,000 events. */
export const GROUP_SIZE = 500;
const MAX_POLL_INTERVAL_MS = 30_000;
/** Keeps a child's history bounded (about 10 events a round) whatever the deadline. */
const MAX_POLL_ROUNDS = 500;

/** What every group of one teardown shares. */
export interface GroupSettings {
  teardownId: string;
  force: boolean;
  convertPrepaid: boolean;
  pollIntervalMs: number;
  deadlineMs: number;
}

export type GroupHandle = ChildWorkflowHandle<typeof deleteResourceGroup>;

/** Splits targets into groups of at most GROUP_SIZE ids (a listing kind's own groupLimit). */
export function planGroups(targets: readonly Target[]): Target[] {
  return targets.flatMap((t) =>
    chunk(t.ids, groupLimitOf(KINDS[t.kind]!, GROUP_SIZE, patched)).map((ids) => ({ ...t, ids })),
  );
}

export function groupInput(
  group: Target,
  index: number,
  settings: GroupSettings,
  dryRun: boolean,
  deadlineAt: number,
): ResourceGroupInput {
  const { teardownId, force, convertPrepaid, pollIntervalMs, deadlineMs } = settings;
  return {
    teardownId,
    groupId: `${group.kind}/${group.region || 'global'}${group.appId ? `/${group.appId}` : ''}${group.account ? `@${group.account}` : ''}/${index}`,
    kind: group.kind,
    region: group.region || undefined,
    appId: group.appId,
    ...(group.account ? { account: group.account, accountField: group.accountField } : {}),
    ids: group.ids,
    force,
    convertPrepaid,
    dryRun,
    deadlineAt,
    parentWorkflowId: teardownId,
    pollIntervalMs,
    // Long deadlines poll less often, so a stuck group makes at most ~MAX_POLL_ROUNDS rounds.
    maxPollIntervalMs: Math.max(
      pollIntervalMs,
      MAX_POLL_INTERVAL_MS,
      Math.ceil(deadlineMs / MAX_POLL_ROUNDS),
    ),
  };
}

/** Starts one child per group ('preflight' or 'delete' runs): all in one workflow task. */
export async function startGroups(
  groups: readonly Target[],
  settings: GroupSettings,
  label: 'preflight' | 'delete',
  deadlineAt: number,
  started: GroupHandle[],
): Promise<void> {
  const dryRun = label === 'preflight';
  const start = (group: Target, index: number) => {
    const input = groupInput(group, index, settings, dryRun, deadlineAt);
    const where = `${group.region ? ` in ${group.region}` : ''}${group.appId ? ` (app ${group.appId})` : ''}${group.account ? ` in account ${group.account}` : ''}`;
    return startChild(deleteResourceGroup, {
      workflowId: `${settings.teardownId}/${label}/${input.groupId}`,
      args: [input],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: groupAttributes(group.kind, group.account),
      staticSummary: `${label} ${group.ids.length} ${group.kind}${where}`,
      staticDetails: `options: force=${input.force}, convertPrepaid=${input.convertPrepaid}, dryRun=${dryRun}; ids: ${sampleIds(group.ids)}`,
    });
  };
  if (patched(CONCURRENT_BATCHES)) {
    // Together: one start each would cost a workflow task (tens of ms) per child.
    const results = await Promise.allSettled(groups.map(start));
    // Children that did start are kept (a cancel reaches them) even when another failed to.
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return;
  }
  for (const [index, group] of groups.entries()) started.push(await start(group, index));
}

/**
 * Waits for every child: each group's reports or why it failed, and the cancellation if one was
 * cancelled. `onReports` takes each group's reports as that child ends, so a 100,000-resource
 * parent merges them over many workflow tasks instead of all in the last one.
 */
export async function awaitGroups(
  groups: readonly Target[],
  handles: GroupHandle[],
  onReports: (resources: ResourceReport[]) => void,
): Promise<{ failed: Array<{ group: Target; why: string }>; cancellation?: unknown }> {
  const settled = await Promise.allSettled(
    handles.map(async (h) => onReports(unpackReports(await h.result()))),
  );
  const failed: Array<{ group: Target; why: string }> = [];
  let cancellation: unknown;
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') return;
    if (isCancellation(s.reason)) cancellation ??= s.reason;
    else
      failed.push({
        group: groups[i]!,
        why: s.reason instanceof Error ? s.reason.message : String(s.reason),
      });
  });
  return { failed, cancellation };
}
