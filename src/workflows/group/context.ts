// What the phases of a resource group work with: its input, its ledger, one function per provider
// call, and the clock. The phases see only this interface, so they run unchanged over Temporal
// activities (temporalGroupContext, below) or over fakes in unit tests.
import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  patched,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Attempted } from '../../activities';
import { computeTotals, type TeardownPhase, type TeardownStatus } from '../../contract';
import { KINDS, type KindMeta } from '../../kinds';
import type { Assessment, CallOutcome, DeleteAnswer, PollOutcome } from '../../providers/types';
import type { KindStep } from '../../task-queues';
import { kindActivities } from '../activity-options';
import { groupProgressSignal, type ResourceGroupInput } from '../messages';
import { OWN_ATTRIBUTES_PATCH, progressAttributes } from '../search';
import { sampleIds } from '../summaries';
import type { GroupLedger } from './ledger';
import { MIN_CALL_WINDOW_MS } from './steps';

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

/** The context of a running `deleteResourceGroup` workflow. */
export function temporalGroupContext(
  input: ResourceGroupInput,
  ledger: GroupLedger,
  onPhase: (phase: TeardownPhase) => void,
): GroupContext {
  const acts = (step: KindStep) => kindActivities(input.kind, step, {}, input.account);
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
  const calls: GroupCalls = {
    checkAccount: () =>
      kindActivities(input.kind, 'describe').checkAccount.executeWithOptions(
        { summary: `account ${input.account} known for ${input.kind}` },
        [{ kind: input.kind, account: input.account ?? '', accountField: input.accountField }],
      ),
    describe: (ids) =>
      acts('describe').describeResources.executeWithOptions(callOptions(meta.calls.describe, ids), [
        { ...target, ids, options },
      ]),
    dryRunDelete: (ids) =>
      acts('delete').dryRunDelete.executeWithOptions(callOptions(`${meta.calls.delete} (dry run)`, ids), [
        { ...target, ids, options },
      ]),
    // Mutating calls are non-cancellable: a call already sent finishes and is recorded even if we are cancelled.
    prepare: (step, ids, generation) =>
      CancellationScope.nonCancellable(() =>
        acts({ prepare: step }).prepareResources.executeWithOptions(
          callOptions(meta.calls.prepare?.[step] ?? step, ids, ` (${step})`),
          [{ ...target, ids, step, generation }],
        ),
      ),
    delete: (ids, generation) =>
      CancellationScope.nonCancellable(() =>
        acts('delete').deleteResources.executeWithOptions(
          callOptions(meta.calls.delete, ids, `, generation ${generation}`),
          [{ ...target, ids, options, generation }],
        ),
      ),
    poll: (ids, tracking) =>
      acts('poll').pollDeletion.executeWithOptions(
        callOptions(meta.calls.poll, ids, tracking ? ` (${tracking})` : ''),
        [{ ...target, ids, tracking }],
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
    async report(phase, details, status = 'running') {
      onPhase(phase);
      setCurrentDetails(details);
      publish(status);
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
