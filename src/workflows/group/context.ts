// What the phases of a resource group work with: its input, its ledger, one function per provider
// call, and the clock. The phases see only this interface, so they run unchanged over Temporal
// activities (temporalGroupContext, below) or over fakes in unit tests.
import {
  type ActivityOptions,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  patched,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Attempted } from '../../activities';
import { computeTotals, type Blocked, type TeardownPhase, type TeardownStatus } from '../../contract';
import { KINDS, type KindMeta } from '../../kinds';
import type { Assessment, CallOutcome, DeleteAnswer, PollOutcome } from '../../providers/types';
import type { KindStep } from '../../task-queues';
import { kindActivities, ONE_ATTEMPT } from '../activity-options';
import { groupProgressSignal, type GroupProgress, type ResourceGroupInput } from '../messages';
import { packReports, PACKED_REPORTS_PATCH } from '../report';
import { blockedAttributes, OWN_ATTRIBUTES_PATCH, progressAttributes } from '../search';
import { sampleIds } from '../summaries';
import { RetryRecorder } from './blocked';
import type { GroupLedger } from './ledger';
import { retried, VISIBLE_RETRIES_PATCH, type RetryDeps } from './retries';
import { MIN_CALL_WINDOW_MS } from './steps';

/**
 * Patch id: a child signals its parent at phase ends (preflight done, first deletes sent, and at the
 * end only what blocks it and the failures per class, its result carrying the reports) instead of
 * on every round, so a 100,000-resource parent (333 children) stays far under 10,000 events.
 */
export const PHASE_END_PROGRESS_PATCH = 'progress-at-phase-ends';
/** Signals a child may send between phase ends when what blocks it changes (blocked, then cleared). */
export const BLOCKED_SIGNALS_PER_GROUP = 2;

/** One function per provider call of the kind, for at most the kind's limit of ids. */
export interface GroupCalls {
  /** No provider call: the worker knows the group's account (UnknownAccount otherwise). */
  checkAccount(): Promise<unknown>;
  describe(ids: string[]): Promise<Assessment[]>;
  dryRunDelete(ids: string[]): Promise<unknown>;
  prepare(step: string, ids: string[], generation: number): Promise<Attempted<CallOutcome[]>>;
  delete(ids: string[], generation: number): Promise<Attempted<DeleteAnswer>>;
  poll(ids: string[], tracking: string | undefined): Promise<PollOutcome[]>;
}

/** Shared by prepare and delete, which run side by side. */
export interface Handoff {
  /** Ids that became deletable: prepare hands them to the delete loop as soon as they are ready. */
  ready: string[];
  preparing: boolean;
  /** Deletions the provider accepted, by what to poll them with (kept for confirming after a cancel). */
  awaiting: Map<string, string | undefined>;
}

export interface GroupContext {
  readonly input: ResourceGroupInput;
  readonly meta: KindMeta;
  readonly ledger: GroupLedger;
  readonly calls: GroupCalls;
  readonly handoff: Handoff;
  /** Epoch ms (the workflow clock, or a fake one in tests). */
  now(): number;
  remainingMs(): number;
  cancelRequested(): boolean;
  /** Waits one poll interval, never past the deadline. */
  pause(intervalMs: number): Promise<void>;
  waitFor(done: () => boolean): Promise<void>;
  /** Runs `fn` where a cancel cannot reach it (Temporal's CancellationScope.nonCancellable). */
  shielded<T>(fn: () => Promise<T>): Promise<T>;
  /** Temporal's `patched`: true unless replaying a history recorded before the change `id`. */
  patched(id: string): boolean;
  /**
   * Says what the group is doing (with its status once done), and tells the parent what changed
   * since it last heard.
   */
  report(phase: TeardownPhase, details: string, status?: TeardownStatus): Promise<void>;
}

export function newHandoff(): Handoff {
  return { ready: [], preparing: false, awaiting: new Map() };
}

/**
 * A listing kind's describe pages the whole listing at the action's quota (100,000 scans: 1,000
 * pages, 50 s at 20/s), longer than one call's 30 s.
 */
function listingTimeout(meta: KindMeta, step: KindStep): Partial<ActivityOptions> {
  const pages = meta.describesByListing && (step === 'describe' || step === 'poll');
  return pages ? { startToCloseTimeout: '10m' } : {};
}

/** The context of a running `deleteResourceGroup` workflow. */
export function temporalGroupContext(
  input: ResourceGroupInput,
  ledger: GroupLedger,
  onPhase: (phase: TeardownPhase) => void,
): GroupContext {
  // Decided once, before the first call: a history recorded before the change replays as it was.
  const visible = patched(VISIBLE_RETRIES_PATCH);
  const phaseEnds = visible && patched(PHASE_END_PROGRESS_PATCH);
  const acts = (step: KindStep) =>
    kindActivities(
      input.kind,
      step,
      { ...(visible ? ONE_ATTEMPT : {}), ...listingTimeout(KINDS[input.kind]!, step) },
      input.account,
    );
  const remainingMs = () => input.deadlineAt - Date.now();
  const target = {
    teardownId: input.teardownId,
    kind: input.kind,
    region: input.region,
    appId: input.appId,
    ...(input.account ? { account: input.account, accountField: input.accountField } : {}),
  };
  const options = { force: input.force, convertPrepaid: input.convertPrepaid };
  /** The summary names the provider call and the batch, as the UI shows it. */
  const callOptions = (call: string, ids: string[], extra = '') => ({
    summary: `${call}: ${ids.length} ${input.kind}${input.region ? ` in ${input.region}` : ''}${extra} [${sampleIds(ids, 2)}]`,
    scheduleToCloseTimeout: Math.max(remainingMs(), MIN_CALL_WINDOW_MS),
  });
  const meta = KINDS[input.kind];
  let published = { status: 'running' as TeardownStatus, failed: 0 };
  /** The child's own TeardownStatus / TeardownFailedCount, upserted only when they change. */
  const publish = (status: TeardownStatus) => {
    const failed = computeTotals(ledger.all()).failed;
    if (status === published.status && failed === published.failed) return;
    if (!patched(OWN_ATTRIBUTES_PATCH)) return;
    published = { status, failed };
    upsertSearchAttributes(progressAttributes(status, failed));
  };
  const recorder = new RetryRecorder(input.kind, input.region ?? '', ledger);
  let details = '';
  let told: Blocked | undefined;
  /** What the parent last heard blocks the group (with the phase-end patch; before it, `told`). */
  let toldParent: Blocked | undefined;
  let blockedBudget = BLOCKED_SIGNALS_PER_GROUP;
  let deletesTold = false;
  /** Tells the parent what changed (resources, failures per class, what blocks the group). */
  const tell = async (phase: TeardownPhase | undefined, force: boolean) => {
    const blocked = visible ? recorder.blocked() : undefined;
    if (JSON.stringify(blocked) !== JSON.stringify(told)) {
      if ((blocked?.on ?? '') !== (told?.on ?? '')) upsertSearchAttributes(blockedAttributes(blocked?.on));
      told = blocked;
      setCurrentDetails(blocked ? `${details}\n${blocked.details}` : details);
    }
    const blockedNews = JSON.stringify(blocked) !== JSON.stringify(toldParent);
    // Before the phase-end patch every change of the blocked line travelled at once (one signal
    // per failed try in a storm); since, only a change of what blocks it, BLOCKED_SIGNALS_PER_GROUP times.
    const urgent = phaseEnds
      ? (blocked?.on ?? '') !== (toldParent?.on ?? '') && blockedBudget > 0
      : blockedNews;
    if (!phaseEnds) toldParent = blocked;
    if (!input.parentWorkflowId || (!force && !urgent)) return;
    // The child's result carries every report: the last signal only says what blocks and failed.
    const changed = phaseEnds && phase === 'done' ? (ledger.takeChanged(), []) : ledger.takeChanged();
    const failures = recorder.takeCounts();
    if (changed.length === 0 && Object.keys(failures).length === 0 && !blockedNews) return;
    const progress: GroupProgress = { groupId: input.groupId, phase: phase ?? 'deleting', changed };
    if (changed.length > 0 && patched(PACKED_REPORTS_PATCH)) {
      progress.changed = [];
      progress.packed = packReports(changed);
    }
    if (Object.keys(failures).length > 0) progress.failures = failures;
    if (blockedNews) progress.blocked = blocked ?? null;
    if (phaseEnds && blockedNews) {
      toldParent = blocked;
      if (!force) blockedBudget--;
    }
    await getExternalWorkflowHandle(input.parentWorkflowId).signal(groupProgressSignal, progress);
  };
  /** Which reports tell the parent (with the phase-end patch): preflight done, deletes sent, done. */
  const phaseEnd = (phase: TeardownPhase): boolean => {
    if (!phaseEnds || phase === 'preflight' || phase === 'done') return true;
    if (phase !== 'deleting' || deletesTold) return false;
    deletesTold = true;
    return true;
  };
  let lastPhase: TeardownPhase | undefined;
  const deps: RetryDeps = {
    now: () => Date.now(),
    remainingMs,
    sleep: (ms) => sleep(ms),
    maxIntervalMs: input.maxPollIntervalMs,
    onFailure: async (t) => {
      recorder.failed(t);
      await tell(lastPhase, false);
    },
    onSettled: async (key, ok) => {
      recorder.settled(key, ok);
      await tell(lastPhase, false);
    },
  };
  /** One provider call: tried again by this workflow (visibly) or by Temporal (older histories). */
  const attempt = <T>(
    action: string,
    ids: string[],
    run: (prior: { priorAttempts?: number }) => Promise<T>,
  ) =>
    visible ? retried(deps, action, ids, (prior) => run(prior > 0 ? { priorAttempts: prior } : {})) : run({});
  const calls: GroupCalls = {
    checkAccount: () =>
      kindActivities(input.kind, 'describe').checkAccount.executeWithOptions(
        { summary: `account ${input.account} known for ${input.kind}` },
        [{ kind: input.kind, account: input.account ?? '', accountField: input.accountField }],
      ),
    describe: (ids) =>
      attempt(meta.calls.describe, ids, (prior) =>
        acts('describe').describeResources.executeWithOptions(callOptions(meta.calls.describe, ids), [
          { ...target, ids, options, ...prior },
        ]),
      ),
    dryRunDelete: (ids) =>
      attempt(meta.calls.delete, ids, (prior) =>
        acts('delete').dryRunDelete.executeWithOptions(callOptions(`${meta.calls.delete} (dry run)`, ids), [
          { ...target, ids, options, ...prior },
        ]),
      ),
    // Mutating calls are non-cancellable: a call already sent finishes and is recorded even if we
    // are cancelled (the wait before a next try is not: a cancel ends a blocked call).
    prepare: (step, ids, generation) =>
      attempt(meta.calls.prepare?.[step] ?? step, ids, (prior) =>
        CancellationScope.nonCancellable(() =>
          acts({ prepare: step }).prepareResources.executeWithOptions(
            callOptions(meta.calls.prepare?.[step] ?? step, ids, ` (${step})`),
            [{ ...target, ids, step, generation, ...prior }],
          ),
        ),
      ),
    delete: (ids, generation) =>
      attempt(meta.calls.delete, ids, (prior) =>
        CancellationScope.nonCancellable(() =>
          acts('delete').deleteResources.executeWithOptions(
            callOptions(meta.calls.delete, ids, `, generation ${generation}`),
            [{ ...target, ids, options, generation, ...prior }],
          ),
        ),
      ),
    poll: (ids, tracking) =>
      attempt(meta.calls.poll, ids, (prior) =>
        acts('poll').pollDeletion.executeWithOptions(
          callOptions(meta.calls.poll, ids, tracking ? ` (${tracking})` : ''),
          [{ ...target, ids, tracking, ...prior }],
        ),
      ),
  };
  return {
    input,
    meta,
    ledger,
    calls,
    handoff: newHandoff(),
    now: () => Date.now(),
    remainingMs,
    cancelRequested: () => CancellationScope.current().consideredCancelled,
    pause: (intervalMs) => sleep(Math.min(intervalMs, Math.max(remainingMs(), 1_000))),
    waitFor: (done) => condition(done),
    shielded: (fn) => CancellationScope.nonCancellable(fn),
    patched,
    async report(phase, text, status = 'running') {
      onPhase(phase);
      lastPhase = phase;
      details = text;
      setCurrentDetails(told ? `${text}\n${told.details}` : text);
      publish(status);
      if (visible) return tell(phase, phaseEnd(phase));
      if (!input.parentWorkflowId) return;
      const changed = ledger.takeChanged();
      if (changed.length === 0) return;
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(groupProgressSignal, {
        groupId: input.groupId,
        phase,
        changed,
      });
    },
  };
}
