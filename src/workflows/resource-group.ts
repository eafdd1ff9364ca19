// Deletes one group of resources of one kind (same region / application): preflight, prepare
// (stop / convert), delete in batches under ClientTokens, poll until the provider confirms, and a
// per-resource report (design.md section 4). Provider specifics stay in the provider modules; this
// file only sequences their calls, so every kind runs through the same durable state machine.
import {
  CancellationScope,
  getExternalWorkflowHandle,
  condition,
  isCancellation,
  workflowInfo,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  type ActivityInterfaceFor,
} from '@temporalio/workflow';
import { computeTotals, type ResourceReport, type TeardownPhase, type TeardownReport } from '../contract';
import { KINDS, type KindMeta } from '../kinds';
import type { Assessment, CallOutcome, PollOutcome } from '../providers/types';
import type { TeardownActivities } from '../activities';
import { describeFailure, type CallFailure } from './failures';
import { groupProgressSignal, progressQuery, type ResourceGroupInput } from './messages';
import { chunk } from './util';

/** Concurrent delete calls per group; the task queue's rate limit is the real throttle. */
const DELETE_CONCURRENCY = 4;
/** An activity gets at least this long even when the deadline is closer (so it can report why). */
const MIN_CALL_WINDOW_MS = 5_000;
const MAX_REQUEST_IDS = 5;
/** After a cancel, how long accepted deletions are still polled so the report can say deleted. */
const CONFIRM_AFTER_CANCEL_MS = 2 * 60_000;

export async function deleteResourceGroup(input: ResourceGroupInput): Promise<ResourceReport[]> {
  return new ResourceGroupRun(input).run();
}

class ResourceGroupRun {
  private readonly meta: KindMeta;
  private readonly reports = new Map<string, ResourceReport>();
  private readonly changed = new Set<string>();
  private phase: TeardownPhase = 'preflight';
  /** Set when a call proves the credentials are refused: nothing more is sent for this group. */
  private fatal?: CallFailure;
  private readonly acts: ActivityInterfaceFor<TeardownActivities>;
  /** Deletions the provider accepted, by what to poll them with (kept for confirming after a cancel). */
  private readonly awaiting = new Map<string, string | undefined>();
  /** Ids that became deletable: prepare hands them to the delete loop as soon as they are ready. */
  private readyQueue: string[] = [];
  private preparing = false;

  constructor(private readonly input: ResourceGroupInput) {
    this.meta = KINDS[input.kind];
    for (const id of input.ids) {
      this.reports.set(id, { kind: input.kind, region: input.region ?? '', id, outcome: 'pending' });
    }
    this.acts = proxyActivities<TeardownActivities>({
      taskQueue: `${workflowInfo().taskQueue}.${input.kind}`,
      startToCloseTimeout: '30s',
      // Activities heartbeat during their one call: a dead worker is noticed within seconds.
      heartbeatTimeout: '5s',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
    });
    setHandler(progressQuery, () => this.snapshot());
  }

  private snapshot(): TeardownReport {
    const resources = [...this.reports.values()];
    return { status: 'running', phase: this.phase, totals: computeTotals(resources), resources };
  }

  private get target() {
    const { teardownId, kind, region, appId } = this.input;
    return { teardownId, kind, region, appId };
  }

  private get options() {
    return { force: this.input.force, convertPrepaid: this.input.convertPrepaid };
  }

  private remainingMs(): number {
    return this.input.deadlineAt - Date.now();
  }

  /** Activity options; the summary names the provider call and the batch, as the UI shows it. */
  private callOptions(call: string, ids: string[], extra = '') {
    const where = this.input.region ? ` in ${this.input.region}` : '';
    const summary = `${call}: ${ids.length} ${this.input.kind}${where}${extra} [${sampleIds(ids)}]`;
    return { summary, scheduleToCloseTimeout: Math.max(this.remainingMs(), MIN_CALL_WINDOW_MS) };
  }

  private get cancelRequested(): boolean {
    return CancellationScope.current().consideredCancelled;
  }

  private update(id: string, patch: Partial<ResourceReport>): void {
    const current = this.reports.get(id);
    if (!current) return;
    const next = { ...current, ...patch };
    // Only real changes travel to the parent: an unchanged status on every poll would grow histories.
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    this.reports.set(id, next);
    this.changed.add(id);
  }

  /** Waits one poll interval, never past the deadline. */
  private async pause(intervalMs: number): Promise<void> {
    await sleep(Math.min(intervalMs, Math.max(this.remainingMs(), 1_000)));
  }

  private settle(id: string, outcome: ResourceReport['outcome'], patch: Partial<ResourceReport> = {}): void {
    // A status seen before the resource went away would only mislead.
    const gone = outcome === 'deleted' || outcome === 'already-gone';
    this.update(id, { ...(gone ? { status: undefined } : {}), ...patch, outcome });
  }

  private fail(id: string, failure: Pick<CallFailure, 'code' | 'message'>, status?: string): void {
    this.settle(id, 'failed', {
      errorCode: failure.code,
      message: failure.message,
      ...(status ? { status } : {}),
    });
  }

  private isPending(id: string): boolean {
    return this.reports.get(id)?.outcome === 'pending';
  }

  private addRequest(ids: string[], attempt: number, requestId?: string): void {
    for (const id of ids) {
      const r = this.reports.get(id);
      if (!r) continue;
      this.update(id, {
        attempts: (r.attempts ?? 0) + attempt,
        // The latest few are enough to find a call in the provider's logs; keeps reports bounded.
        requestIds: requestId ? [...(r.requestIds ?? []), requestId].slice(-MAX_REQUEST_IDS) : r.requestIds,
      });
    }
  }

  /** Tells the parent what changed since the last report (bounded: once per phase step). */
  private async report(phase: TeardownPhase, details: string): Promise<void> {
    this.phase = phase;
    setCurrentDetails(details);
    if (!this.input.parentWorkflowId || this.changed.size === 0) return;
    const changed = [...this.changed].map((id) => this.reports.get(id)!);
    this.changed.clear();
    await getExternalWorkflowHandle(this.input.parentWorkflowId).signal(groupProgressSignal, {
      groupId: this.input.groupId,
      phase,
      changed,
    });
  }

  private abortWith(failure: CallFailure): void {
    this.fatal = failure;
    for (const [id, r] of this.reports) {
      if (r.outcome === 'pending') this.fail(id, failure);
    }
  }

  /** A failed call: credentials refused stop the whole group; otherwise the ids of the call fail. */
  private failCall(ids: string[], err: unknown): CallFailure {
    const failure = describeFailure(err);
    if (failure.errorClass === 'auth') this.abortWith(failure);
    else for (const id of ids) if (this.isPending(id)) this.fail(id, failure);
    return failure;
  }

  async run(): Promise<ResourceReport[]> {
    try {
      const assessments = await this.preflight(this.input.ids);
      if (this.input.dryRun) {
        await this.dryRun(assessments);
      } else {
        // Ready resources are deleted while others are still being stopped or converted.
        this.preparing = true;
        await settleAll([this.prepare(assessments), this.deleteAndConfirm()]);
        this.sweepUnfinished();
      }
    } catch (err) {
      // Cancelled: let in-flight calls finish (they ran in their own scopes), report what stands.
      if (!isCancellation(err)) throw err;
      // Deletions the provider already accepted are not undone by a cancel: confirm them (no new
      // deletes are sent), so the report says deleted rather than "not deleted".
      await CancellationScope.nonCancellable(async () => {
        let interval = this.input.pollIntervalMs;
        // Bounded: a cancel should end soon, not wait out a long deadline.
        const until = Math.min(this.input.deadlineAt, Date.now() + CONFIRM_AFTER_CANCEL_MS);
        while (this.awaiting.size > 0 && Date.now() < until && !this.fatal) {
          await this.pause(interval);
          interval = Math.min(Math.round(interval * 1.5), this.input.maxPollIntervalMs);
          await this.pollAll(this.awaiting);
        }
      });
      for (const [id, r] of this.reports) {
        if (r.outcome === 'pending') this.update(id, { message: 'not deleted: the teardown was cancelled' });
      }
      await CancellationScope.nonCancellable(() => this.report('done', `cancelled; ${this.finalDetails()}`));
      return [...this.reports.values()];
    }
    await CancellationScope.nonCancellable(() => this.report('done', this.finalDetails()));
    return [...this.reports.values()];
  }

  /** A resource that changed state mid-way (restarted, say) is neither deleted nor left pending silently. */
  private sweepUnfinished(): void {
    for (const [id, r] of this.reports) {
      if (r.outcome !== 'pending') continue;
      this.fail(id, {
        code: 'StateChanged',
        message: `not deleted: its state changed during the teardown${r.status ? ` (now ${r.status})` : ''}; run the teardown again`,
      });
    }
  }

  /** "done: 3 deleted, 1 failed (1x InvalidOperation.DeletionProtection)". */
  private finalDetails(): string {
    const resources = [...this.reports.values()];
    const t = computeTotals(resources);
    const codes = new Map<string, number>();
    for (const r of resources)
      if (r.outcome === 'failed' && r.errorCode) codes.set(r.errorCode, (codes.get(r.errorCode) ?? 0) + 1);
    const parts = [
      t.deleted && `${t.deleted} deleted`,
      t.alreadyGone && `${t.alreadyGone} already gone`,
      t.wouldDelete && `${t.wouldDelete} would be deleted`,
      t.skipped && `${t.skipped} skipped`,
      t.failed &&
        `${t.failed} failed${codes.size ? ` (${[...codes].map(([c, n]) => `${n}x ${c}`).join(', ')})` : ''}`,
      t.pending && `${t.pending} not deleted`,
    ].filter(Boolean);
    return `done: ${parts.join(', ') || 'nothing to do'}`;
  }

  // ---- preflight -----------------------------------------------------------------------------

  /** Describes ids; settles gone and blocked ones; returns assessments of the rest. */
  private async preflight(ids: string[]): Promise<Assessment[]> {
    const live = await this.describe(ids);
    await this.report('preflight', `preflight: ${live.length} of ${ids.length} ${this.input.kind} to delete`);
    return live;
  }

  /** `goneMeans`: what an absent resource is reported as ('deleted' when our own call removed it). */
  private async describe(
    ids: string[],
    goneMeans: 'already-gone' | 'deleted' = 'already-gone',
  ): Promise<Assessment[]> {
    const live: Assessment[] = [];
    for (const batch of chunk(ids, this.meta.describeLimit)) {
      if (this.fatal) break;
      let assessments: Assessment[];
      try {
        assessments = await this.acts.describeResources.executeWithOptions(
          this.callOptions(this.meta.calls.describe, batch),
          [{ ...this.target, ids: batch, options: this.options }],
        );
      } catch (err) {
        if (isCancellation(err)) throw err;
        this.failCall(batch, err);
        continue;
      }
      for (const a of assessments) {
        if (!this.isPending(a.id)) continue;
        if (a.state === 'gone') this.settle(a.id, goneMeans);
        else if (a.state === 'blocked') {
          this.settle(a.id, a.skipped ? 'skipped' : 'failed', {
            errorCode: a.errorCode,
            message: a.message,
            status: a.status,
          });
        } else {
          this.update(a.id, { status: a.status });
          live.push(a);
        }
      }
    }
    return live;
  }

  // ---- dry run -------------------------------------------------------------------------------

  private async dryRun(assessments: Assessment[]): Promise<void> {
    const deletable = assessments.filter((a) => a.state === 'ready').map((a) => a.id);
    for (const batch of chunk(deletable, this.meta.batchLimit)) await this.dryRunBatch(batch);
    for (const a of assessments) {
      if (!this.isPending(a.id)) continue;
      const message =
        a.state === 'needs-prepare'
          ? `would ${a.step} it first (now ${a.status})`
          : a.state === 'transitional'
            ? `would wait for it to leave ${a.status}`
            : undefined;
      this.settle(a.id, 'would-delete', message ? { message } : {});
    }
  }

  /** A provider that refuses a whole batch for one id's sake must not blame the others: split it. */
  private async dryRunBatch(ids: string[]): Promise<void> {
    if (this.fatal) return;
    try {
      await this.acts.dryRunDelete.executeWithOptions(
        this.callOptions(`${this.meta.calls.delete} (dry run)`, ids),
        [{ ...this.target, ids, options: this.options }],
      );
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      if (ids.length > 1 && failure.errorClass !== 'auth') {
        const half = Math.ceil(ids.length / 2);
        await this.dryRunBatch(ids.slice(0, half));
        await this.dryRunBatch(ids.slice(half));
        return;
      }
      if (failure.errorClass === 'gone') for (const id of ids) this.settle(id, 'already-gone');
      else this.failCall(ids, err);
    }
  }

  // ---- prepare -------------------------------------------------------------------------------

  /**
   * Runs prepare steps and waits until every live resource is ready (or settled, or out of time),
   * handing each ready resource to the delete loop at once.
   */
  private async prepare(initial: Assessment[]): Promise<void> {
    try {
      let current = initial;
      let generation = 0;
      let interval = this.input.pollIntervalMs;
      for (;;) {
        this.readyQueue.push(
          ...current.filter((a) => a.state === 'ready' && this.isPending(a.id)).map((a) => a.id),
        );
        const waiting = current.filter((a) => a.state === 'needs-prepare' || a.state === 'transitional');
        if (waiting.length === 0 || this.fatal) return;
        if (this.remainingMs() <= 0) {
          for (const a of waiting) {
            this.fail(
              a.id,
              { code: 'DeadlineExceeded', message: `still ${a.status} at the deadline` },
              a.status,
            );
          }
          return;
        }
        for (const step of stepsInOrder(waiting)) {
          const ids = waiting.filter((a) => a.state === 'needs-prepare' && a.step === step).map((a) => a.id);
          for (const batch of chunk(ids, this.meta.prepareLimit)) {
            // A cancel stops new stop/convert calls too (they change the resource or its billing).
            if (this.cancelRequested) break;
            await this.prepareBatch(step, batch, generation);
          }
        }
        await this.report(
          'preparing',
          `preparing: waiting for ${waiting.length} ${this.input.kind} (${summarise(waiting)})`,
        );
        await this.pause(interval);
        interval = Math.min(interval * 2, this.input.maxPollIntervalMs);
        generation++;
        current = await this.describe(waiting.map((a) => a.id).filter((id) => this.isPending(id)));
      }
    } finally {
      this.preparing = false;
    }
  }

  private async prepareBatch(step: string, ids: string[], generation: number): Promise<void> {
    try {
      const { answer, attempt } = await CancellationScope.nonCancellable(() =>
        this.acts.prepareResources.executeWithOptions(
          this.callOptions(this.meta.calls.prepare?.[step] ?? step, ids, ` (${step})`),
          [{ ...this.target, ids, step, generation }],
        ),
      );
      this.addRequest(ids, attempt);
      for (const outcome of answer) this.applyPrepareOutcome(outcome);
    } catch (err) {
      if (isCancellation(err)) throw err;
      this.failCall(ids, err);
    }
  }

  private applyPrepareOutcome(outcome: CallOutcome): void {
    if (!this.isPending(outcome.id)) return;
    if (outcome.result === 'gone') this.settle(outcome.id, 'already-gone');
    else if (outcome.result === 'failed')
      this.fail(outcome.id, { code: outcome.errorCode, message: outcome.message });
  }

  // ---- delete and confirm --------------------------------------------------------------------

  /** Deletes what prepare hands over, re-sends what the provider asks for, and polls until confirmed. */
  private async deleteAndConfirm(): Promise<void> {
    let toDelete: string[] = [];
    /** Accepted deletions, by what the provider answered to poll them with. */
    const awaiting = this.awaiting;
    let generation = 0;
    let interval = this.input.pollIntervalMs;
    while (!this.fatal) {
      toDelete.push(...this.readyQueue.splice(0));
      if (toDelete.length === 0 && awaiting.size === 0) {
        if (!this.preparing) return;
        await condition(() => this.readyQueue.length > 0 || !this.preparing);
        continue;
      }
      if (this.remainingMs() <= 0) {
        for (const id of toDelete) {
          this.fail(id, { code: 'DeadlineExceeded', message: 'not deleted before the deadline' });
        }
        for (const id of awaiting.keys()) {
          const status = this.reports.get(id)?.status;
          this.fail(id, {
            code: 'DeadlineExceeded',
            message: `not confirmed gone by the deadline (last status: ${status ?? 'unknown'})`,
          });
        }
        awaiting.clear();
        return;
      }
      let retry: string[] = [];
      if (toDelete.length > 0) {
        retry = await this.deleteAll(toDelete, generation, awaiting);
        generation++;
        await this.report('deleting', `deleting: ${awaiting.size} accepted, ${retry.length} to re-issue`);
      }
      toDelete = retry;
      if (awaiting.size === 0 && toDelete.length === 0) continue;
      await this.pause(interval);
      interval = Math.min(Math.round(interval * 1.5), this.input.maxPollIntervalMs);
      if (awaiting.size > 0) toDelete.push(...(await this.pollAll(awaiting)));
    }
  }

  /** Sends every delete batch (bisecting batches the provider refuses whole); returns ids to re-issue. */
  private async deleteAll(
    ids: string[],
    generation: number,
    awaiting: Map<string, string | undefined>,
  ): Promise<string[]> {
    const retry: string[] = [];
    const queue = chunk(ids, this.meta.batchLimit);
    const worker = async () => {
      for (let batch = queue.shift(); batch && !this.fatal && !this.cancelRequested; batch = queue.shift()) {
        const split = await this.deleteBatch(batch, generation, awaiting, retry);
        queue.push(...split);
      }
    };
    // Every worker finishes its batch in flight before a cancel (or error) is passed on.
    await settleAll(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
    return retry;
  }

  /** One delete call; returns sub-batches to try when the provider refused the batch as a whole. */
  private async deleteBatch(
    ids: string[],
    generation: number,
    awaiting: Map<string, string | undefined>,
    retry: string[],
  ): Promise<string[][]> {
    try {
      // Non-cancellable: a delete already sent finishes and is recorded even if we are cancelled.
      const { answer, attempt } = await CancellationScope.nonCancellable(() =>
        this.acts.deleteResources.executeWithOptions(
          this.callOptions(this.meta.calls.delete, ids, `, generation ${generation}`),
          [{ ...this.target, ids, options: this.options, generation }],
        ),
      );
      this.addRequest(ids, attempt, answer.requestId);
      for (const outcome of answer.outcomes) {
        if (!this.isPending(outcome.id)) continue;
        if (outcome.result === 'accepted') awaiting.set(outcome.id, answer.tracking);
        else if (outcome.result === 'gone') this.settle(outcome.id, 'already-gone');
        else if (outcome.result === 'retry') {
          this.update(outcome.id, { errorCode: outcome.errorCode, message: outcome.message });
          retry.push(outcome.id);
        } else this.fail(outcome.id, { code: outcome.errorCode, message: outcome.message });
      }
      return [];
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      this.addRequest(ids, failure.attempt ?? 1, failure.requestId);
      if (failure.errorClass === 'auth') {
        this.abortWith(failure);
        return [];
      }
      if (
        (failure.errorClass === 'busy' || failure.errorClass === 'throttled') &&
        this.remainingMs() > MIN_CALL_WINDOW_MS
      ) {
        // Temporal stops retrying when the next back-off would pass the call's window; there is
        // still time before the deadline, so send these again later (new generation).
        retry.push(...ids.filter((id) => this.isPending(id)));
        return [];
      }
      // Before blaming these ids, look again: an earlier call of ours whose answer was lost (a
      // crash, a timeout) may have deleted some, or one id of an all-or-nothing batch vanished.
      const live = await this.describe(ids, failure.errorClass === 'gone' ? 'already-gone' : 'deleted');
      const still = live.filter((a) => a.state === 'ready' || a.state === 'transitional').map((a) => a.id);
      if (still.length === 0) return [];
      if (failure.errorClass === 'gone' || still.length < ids.length) {
        retry.push(...still);
        return [];
      }
      if (
        still.length > 1 &&
        (failure.errorClass === 'permanent' || failure.errorClass === 'needs-operator')
      ) {
        // The provider refused the whole batch for one id's sake: split it to find the culprit.
        const half = Math.ceil(still.length / 2);
        return [still.slice(0, half), still.slice(half)];
      }
      // Retries exhausted (transient), the deadline passed while busy, or refused for this id.
      for (const id of still) if (this.isPending(id)) this.fail(id, failure);
      return [];
    }
  }

  /** Polls accepted deletions; settles the confirmed ones; returns ids the provider wants re-sent. */
  private async pollAll(awaiting: Map<string, string | undefined>): Promise<string[]> {
    const reissue: string[] = [];
    const byTracking = new Map<string | undefined, string[]>();
    for (const [id, tracking] of awaiting)
      byTracking.set(tracking, [...(byTracking.get(tracking) ?? []), id]);
    const statuses: string[] = [];
    for (const [tracking, ids] of byTracking) {
      for (const batch of chunk(ids, this.meta.describeLimit)) {
        let outcomes: PollOutcome[];
        try {
          outcomes = await this.acts.pollDeletion.executeWithOptions(
            this.callOptions(this.meta.calls.poll, batch, tracking ? ` (${tracking})` : ''),
            [{ ...this.target, ids: batch, tracking }],
          );
        } catch (err) {
          if (isCancellation(err)) throw err;
          const failure = describeFailure(err);
          if (failure.errorClass === 'auth') this.abortWith(failure);
          // A failed poll is not a failed deletion: keep waiting until the deadline.
          continue;
        }
        for (const outcome of outcomes) {
          if (!awaiting.has(outcome.id)) continue;
          if (outcome.result === 'pending') {
            this.update(outcome.id, { status: outcome.status });
            statuses.push(outcome.status);
            continue;
          }
          awaiting.delete(outcome.id);
          if (outcome.result === 'gone')
            this.settle(outcome.id, 'deleted', { errorCode: undefined, message: undefined });
          else if (outcome.result === 'reissue') {
            this.update(outcome.id, { status: outcome.status });
            reissue.push(outcome.id);
          } else this.fail(outcome.id, { code: outcome.errorCode, message: outcome.message }, outcome.status);
        }
      }
    }
    const waitingOn = [...new Set(statuses)].slice(0, 3).join(', ');
    await this.report(
      'polling',
      `polling ${awaiting.size} ${this.input.kind}${waitingOn ? `: ${waitingOn}` : ''}`,
    );
    return reissue;
  }
}

function stepsInOrder(waiting: Assessment[]): string[] {
  const steps: string[] = [];
  for (const a of waiting) if (a.state === 'needs-prepare' && !steps.includes(a.step)) steps.push(a.step);
  return steps;
}

function summarise(waiting: Assessment[]): string {
  const counts = new Map<string, number>();
  for (const a of waiting) {
    const label =
      a.state === 'needs-prepare' ? `${a.step} (${a.status})` : 'status' in a ? a.status : a.state;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

function sampleIds(ids: string[]): string {
  return ids.length <= 2 ? ids.join(', ') : `${ids[0]} … ${ids[ids.length - 1]}`;
}

/** Like Promise.all, but waits for every promise before passing on the first rejection. */
async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
