// The `teardown` workflow of the public contract (design.md section 2): validates the request,
// splits it into resource groups (one kind / region / application / chunk each), runs a child
// workflow per group in parallel so every history stays small, keeps a live report for the
// `progress` query, and returns the same report when done.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import {
  computeTotals,
  formatIssues,
  parseDurationMs,
  teardownRequestSchema,
  type ResourceReport,
  type TeardownPhase,
  type TeardownReport,
  type TeardownRequest,
  type TeardownStatus,
} from '../contract';
import { failedCountKey, statusKey } from '../search-attributes';
import { approveUpdate, groupProgressSignal, progressQuery, rejectUpdate, type ResourceGroupInput } from './messages';
import { deleteResourceGroup } from './resource-group';
import { chunk } from './util';

/** Most ids one child workflow handles: keeps each child's history far below 10,000 events. */
export const GROUP_SIZE = 500;
const DEFAULT_DEADLINE = '2h';
const DEFAULT_POLL_INTERVAL = '3s';
const MAX_POLL_INTERVAL_MS = 30_000;
/** How long an approval may be awaited when the request sets no deadline. */
const DEFAULT_APPROVAL_WINDOW_MS = 24 * 3_600_000;

interface Group {
  groupId: string;
  input: Omit<ResourceGroupInput, 'dryRun' | 'deadlineAt'>;
}

export async function teardown(rawRequest: TeardownRequest): Promise<TeardownReport> {
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
  const startedAt = info.startTime.getTime();
  const deadlineAt = startedAt + parseDurationMs(options.deadline ?? DEFAULT_DEADLINE)!;
  const pollIntervalMs = parseDurationMs(options.pollInterval ?? DEFAULT_POLL_INTERVAL)!;

  const reports = new Map<string, ResourceReport>();
  const groups: Group[] = [];
  for (const resource of request.resources) {
    const region = resource.region ?? '';
    chunk(resource.ids, GROUP_SIZE).forEach((ids, index) => {
      const groupId = [resource.kind, region || 'global', resource.appId, String(groups.length), String(index)]
        .filter((part) => part !== undefined)
        .join('/');
      for (const id of ids) reports.set(key(resource.kind, region, id), { kind: resource.kind, region, id, outcome: 'pending' });
      groups.push({
        groupId,
        input: {
          teardownId: info.workflowId,
          groupId,
          kind: resource.kind,
          region: resource.region,
          appId: resource.appId,
          ids,
          force: options.force ?? false,
          convertPrepaid: options.convertPrepaid ?? false,
          parentWorkflowId: info.workflowId,
          pollIntervalMs,
          maxPollIntervalMs: Math.max(pollIntervalMs, MAX_POLL_INTERVAL_MS),
        },
      });
    });
  }

  let status: TeardownStatus = 'running';
  let phase: TeardownPhase = 'preflight';
  const snapshot = (): TeardownReport => {
    const resources = [...reports.values()];
    return { status, phase, totals: computeTotals(resources), resources };
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

  setHandler(progressQuery, snapshot);
  setHandler(groupProgressSignal, ({ changed }) => merge(changed));

  let decision: { approved: true; by: string } | { approved: false; by: string; reason: string } | undefined;
  setHandler(
    approveUpdate,
    ({ approvedBy }) => {
      decision = { approved: true, by: approvedBy };
      return snapshot();
    },
    { validator: (arg) => validateDecision(arg?.approvedBy, 'approvedBy', status, decision, options.requireApproval) },
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

  const runGroups = async (dryRun: boolean, label: string): Promise<void> => {
    const handles: Array<ChildWorkflowHandle<typeof deleteResourceGroup>> = [];
    for (const group of groups) {
      handles.push(
        await startChild(deleteResourceGroup, {
          workflowId: `${info.workflowId}/${label}/${group.groupId}`,
          args: [{ ...group.input, dryRun, deadlineAt }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          staticSummary: `${label} ${group.input.ids.length} ${group.input.kind}${group.input.region ? ` in ${group.input.region}` : ''}`,
        }),
      );
    }
    const results = await Promise.all(handles.map((h) => h.result()));
    for (const result of results) merge(result);
  };

  try {
    if (options.dryRun || options.requireApproval) {
      publish('running', 'preflight', `preflight of ${reports.size} resources`);
      await runGroups(true, 'preflight');
    }
    if (options.dryRun) {
      publish('dry-run', 'done', `dry run: ${computeTotals([...reports.values()]).wouldDelete} would be deleted`);
      return snapshot();
    }
    if (options.requireApproval) {
      publish('awaiting-approval', 'awaiting-approval', 'awaiting approval (update "approve" or "reject")');
      const windowMs = options.deadline ? Math.max(deadlineAt - Date.now(), 0) : DEFAULT_APPROVAL_WINDOW_MS;
      const decided = await condition(() => decision !== undefined, windowMs);
      if (!decided || !decision?.approved) {
        const why = decided && decision && !decision.approved
          ? `rejected by ${decision.by}: ${decision.reason}`
          : 'no approval before the deadline';
        for (const [k, r] of reports) {
          reports.set(k, { ...r, outcome: r.outcome === 'would-delete' ? 'skipped' : r.outcome, message: r.outcome === 'would-delete' ? why : r.message });
        }
        publish('cancelled', 'done', why);
        return snapshot();
      }
      // The approved run starts from a fresh preflight: the world may have moved while we waited.
      for (const [k, r] of reports) reports.set(k, { kind: r.kind, region: r.region, id: r.id, outcome: 'pending' });
      setCurrentDetails(`approved by ${decision.by}`);
    }
    publish('running', 'deleting', `tearing down ${reports.size} resources in ${groups.length} groups`);
    await runGroups(false, 'delete');
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Children were asked to cancel; they stop starting deletions, finish what is in flight and
    // report. Their final reports arrived as signals or results; what is still pending stays so.
    await CancellationScope.nonCancellable(async () => {
      publish('cancelled', 'done', 'cancelled');
    });
    return snapshot();
  }
  const totals = computeTotals([...reports.values()]);
  const finalStatus: TeardownStatus =
    totals.failed === 0 && totals.pending === 0
      ? 'completed'
      : totals.deleted + totals.alreadyGone > 0
        ? 'partially-failed'
        : 'failed';
  publish(finalStatus, 'done', `${finalStatus}: ${totals.deleted} deleted, ${totals.alreadyGone} already gone, ${totals.failed} failed, ${totals.skipped} skipped`);
  return snapshot();
}

function key(kind: string, region: string, id: string): string {
  return `${kind}|${region}|${id}`;
}

function validateDecision(
  who: string | undefined,
  field: string,
  status: TeardownStatus,
  decision: unknown,
  requireApproval: boolean | undefined,
): void {
  if (!who?.trim()) throw new Error(`${field}: must name who decides`);
  if (!requireApproval) throw new Error('this teardown was started without requireApproval; nothing to decide');
  if (decision !== undefined) throw new Error('this teardown has already been decided');
  if (status !== 'awaiting-approval') {
    throw new Error(`this teardown is ${status}; it can be approved or rejected once its preflight is done`);
  }
}
