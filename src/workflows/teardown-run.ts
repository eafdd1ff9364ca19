// The state of one `teardown` and its steps (design.md section 4): wait for the start time,
// discover, preflight, await approval, delete, report. The workflow function (./teardown.ts)
// registers the handlers over this class.
import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  formatIssues,
  parseDurationMs,
  resourcesQuerySchema,
  DEFAULT_MAX_SELECTED,
  type DiscoveryReport,
  type ResourcesPage,
  type TeardownOptions,
  type TeardownPhase,
  type TeardownReport,
  type TeardownRequest,
  type TeardownStatus,
} from '../contract';
import { DEFAULT_PROTECT_TAG } from '../discovery';
import { resourceCountKey } from '../search-attributes';
import { checkDecision, readDecision, type Decision, type DecisionKind } from './decision';
import { discover } from './discover';
import { awaitGroups, planGroups, startGroups, type GroupHandle, type GroupSettings } from './groups';
import { fitReport, pageResources, unpackReports } from './report';
import { PHASE_END_PROGRESS_PATCH } from './group/context';
import { VISIBLE_RETRIES_PATCH } from './group/retries';
import type { GroupProgress } from './messages';
import { blockedAttributes, OWN_ATTRIBUTES_PATCH, progressAttributes, teardownAttributes } from './search';
import { BLOCKED_IDS_SHOWN, TeardownBlocked } from './teardown-blocked';
import { dryRunSummary, endStatus, runSummary } from './summaries';
import { TeardownLedger } from './teardown-ledger';

const DEFAULT_DEADLINE = '2h';
const DEFAULT_POLL_INTERVAL = '3s';
/** How long an approval may be awaited when the request sets no deadline. */
const DEFAULT_APPROVAL_WINDOW_MS = 24 * 3_600_000;

export class TeardownRun {
  readonly ledger = new TeardownLedger();
  private readonly blocked = new TeardownBlocked();
  /** TeardownBlockedOn as last upserted; the current details without the blocked lines. */
  private shownBlockedOn = '';
  private details = '';
  private status: TeardownStatus = 'running';
  private phase: TeardownPhase = 'preflight';
  private decision?: Decision;
  /** Epoch ms; `postpone` moves it. */
  private startAt?: number;
  private discovery?: DiscoveryReport[];
  private message?: string;
  private children: GroupHandle[] = [];
  /** Requested groups none of whose ids exists (after the last run of the groups). */
  private nothingFound = 0;
  private discovered = 0;
  /** The failed count the search attributes last showed. */
  private publishedFailed = 0;
  private readonly options: TeardownOptions;
  private readonly deadlineMs: number;
  private readonly settings: GroupSettings;

  constructor(
    private readonly request: TeardownRequest,
    teardownId: string,
  ) {
    const options = (this.options = request.options ?? {});
    this.deadlineMs = parseDurationMs(options.deadline ?? DEFAULT_DEADLINE)!;
    this.settings = {
      teardownId,
      force: options.force ?? false,
      convertPrepaid: options.convertPrepaid ?? false,
      pollIntervalMs: parseDurationMs(options.pollInterval ?? DEFAULT_POLL_INTERVAL)!,
      deadlineMs: this.deadlineMs,
    };
    this.startAt = options.startAt ? Date.parse(options.startAt) : undefined;
    // Named resources are in the report from the start (also while waiting for the start time).
    this.ledger.addTargets(request.resources);
  }

  snapshot(): TeardownReport {
    return {
      status: this.status,
      phase: this.phase,
      totals: this.ledger.totals(),
      ...fitReport(this.ledger.all()),
      ...(this.startAt !== undefined ? { startAt: new Date(this.startAt).toISOString() } : {}),
      ...(this.discovery ? { discovery: this.discovery } : {}),
      ...(this.message ? { message: this.message } : {}),
      ...this.blockedReport(),
    };
  }

  private blockedReport(): Pick<TeardownReport, 'blocked' | 'attempts'> {
    const blocked = this.blocked.current();
    return {
      ...(blocked ? { blocked } : {}),
      ...(this.blocked.hasAttempts() ? { attempts: { ...this.blocked.attempts } } : {}),
    };
  }

  /** The `resources` query: one page of the full list (a malformed argument fails the query, naming the field). */
  resourcesPage(arg: unknown): ResourcesPage {
    const parsed = resourcesQuerySchema.safeParse(arg ?? {});
    if (!parsed.success) throw new Error(`invalid resources query:\n${formatIssues(parsed.error)}`);
    return pageResources(this.ledger.all(), parsed.data);
  }

  /** A child's progress signal; TeardownFailedCount and TeardownBlockedOn follow it. */
  onProgress(progress: GroupProgress): void {
    this.ledger.merge(progress.packed ? unpackReports(progress.packed) : progress.changed);
    this.publishFailedCount();
    if (this.blocked.onProgress(progress)) this.showBlocked();
  }

  /** TeardownBlockedOn and the blocked lines under the current details (histories from before: neither). */
  private showBlocked(): void {
    if (!patched(VISIBLE_RETRIES_PATCH)) return;
    const blocked = this.blocked.current();
    setCurrentDetails(blocked ? `${this.details}\n${blocked.details}` : this.details);
    if ((blocked?.on ?? '') === this.shownBlockedOn) return;
    this.shownBlockedOn = blocked?.on ?? '';
    upsertSearchAttributes(blockedAttributes(blocked?.on));
  }

  private publishFailedCount(): void {
    const failed = this.ledger.totals().failed;
    if (failed === this.publishedFailed || !patched(OWN_ATTRIBUTES_PATCH)) return;
    this.publishedFailed = failed;
    upsertSearchAttributes(progressAttributes(this.status, failed));
  }

  /** Throws unless this approve / reject may be taken now. */
  checkDecision(kind: DecisionKind, arg: unknown): Decision {
    return checkDecision(kind, arg, {
      status: this.status,
      decision: this.decision,
      requireApproval: this.options.requireApproval,
    });
  }

  decide(kind: DecisionKind, arg: unknown): void {
    this.decision = readDecision(kind, arg);
  }

  checkPostpone(arg: { until?: string } | undefined): void {
    const when = Date.parse(arg?.until ?? '');
    if (Number.isNaN(when)) throw new Error('until: must be an ISO 8601 time like "2026-11-27T18:00:00Z"');
    if (this.phase !== 'waiting')
      throw new Error(`this teardown already started (${this.phase}); it can no longer be postponed`);
    if (when <= Date.now()) throw new Error('until: must be in the future');
  }

  postpone(until: string): void {
    this.startAt = Date.parse(until);
    setCurrentDetails(`waiting until ${new Date(this.startAt).toISOString()} (postponed)`);
  }

  async run(): Promise<TeardownReport> {
    const { options } = this;
    // The workflow owns its search attributes, whoever started it (the client's are an early copy).
    if (patched(OWN_ATTRIBUTES_PATCH)) upsertSearchAttributes(teardownAttributes(this.request));
    try {
      await this.waitForStart();
      let deadlineAt = Date.now() + this.deadlineMs;
      if (this.request.selectors?.length) {
        const ended = await this.discoverTargets();
        if (ended) return ended;
      }
      if (options.dryRun || options.requireApproval) {
        this.publish('running', 'preflight', `preflight of ${this.ledger.size} resources`);
        await this.runGroups('preflight', deadlineAt);
        if (this.cancelRequested()) return this.cancelledReport();
      }
      if (options.dryRun) return this.dryRunReport();
      if (options.requireApproval) {
        const approval = await this.awaitApproval(deadlineAt);
        if ('ended' in approval) return approval.ended;
        deadlineAt = approval.deadlineAt;
      }
      this.publish('running', 'deleting', `tearing down ${this.ledger.size} resources`);
      await this.runGroups('delete', deadlineAt);
      // Children handle the cancellation themselves and return normally: the parent sees no error.
      if (this.cancelRequested()) return this.cancelledReport();
    } catch (err) {
      if (!isCancellation(err)) throw err;
      return this.cancelledReport();
    }
    return this.finalReport();
  }

  /** Durable; `postpone` moves the time, a cancel ends the wait. */
  private async waitForStart(): Promise<void> {
    if (this.startAt === undefined || this.startAt <= Date.now()) return;
    this.publish('running', 'waiting', `waiting until ${new Date(this.startAt).toISOString()}`);
    for (let seen = this.startAt; this.startAt > Date.now(); seen = this.startAt) {
      await condition(() => this.startAt !== seen, this.startAt - Date.now());
    }
  }

  /** Adds what the selectors match; a report when the run ends here (too many, or nothing). */
  private async discoverTargets(): Promise<TeardownReport | undefined> {
    const selectors = this.request.selectors ?? [];
    this.publish('running', 'discovery', `discovering resources for ${selectors.length} selector(s)`);
    const cap = this.options.maxResources ?? DEFAULT_MAX_SELECTED;
    const found = await discover(
      selectors,
      this.options.protectTag ?? DEFAULT_PROTECT_TAG,
      this.settings.teardownId,
      cap,
    );
    this.discovery = found.reports;
    const fresh = found.targets.reduce((n, t) => n + t.ids.length, 0);
    if (fresh > cap) {
      const atLeast = found.listedAll ? '' : 'at least ';
      this.message = `selectors matched ${atLeast}${fresh} resources, more than maxResources (${cap}): refused, nothing was deleted`;
      return this.finish('failed', this.message);
    }
    this.ledger.addTargets(found.targets, true);
    this.discovered = fresh;
    upsertSearchAttributes([{ key: resourceCountKey, value: this.ledger.size }]);
    if (this.ledger.size === 0) {
      this.message = 'selectors matched nothing: nothing to delete';
      return this.finish(this.options.dryRun ? 'dry-run' : 'completed', this.message);
    }
    return undefined;
  }

  private async awaitApproval(
    deadlineAt: number,
  ): Promise<{ ended: TeardownReport } | { deadlineAt: number }> {
    this.publish(
      'awaiting-approval',
      'awaiting-approval',
      'awaiting approval (update "approve" or "reject")',
    );
    const ids = this.ledger
      .all()
      .slice(0, BLOCKED_IDS_SHOWN)
      .map((r) => r.id);
    this.blocked.setOwn({ on: 'approval', ids, details: 'waiting for a person to approve or reject' });
    this.showBlocked();
    const windowMs = this.options.deadline
      ? Math.max(deadlineAt - Date.now(), 0)
      : DEFAULT_APPROVAL_WINDOW_MS;
    const decided = await condition(() => this.decision !== undefined, windowMs);
    const decision = this.decision;
    this.blocked.setOwn(undefined);
    this.showBlocked();
    if (!decided || !decision?.approved) {
      this.message =
        decided && decision && !decision.approved
          ? `rejected by ${decision.by}: ${decision.reason}`
          : 'no approval before the deadline';
      this.ledger.markAll('would-delete', { outcome: 'skipped', message: this.message });
      return { ended: this.finish('cancelled', this.message) };
    }
    this.ledger.resetAll();
    this.message = `approved by ${decision.by}`;
    // Without an explicit deadline the default window starts at approval, not at the request.
    return { deadlineAt: this.options.deadline ? deadlineAt : Date.now() + this.deadlineMs };
  }

  private async runGroups(label: 'preflight' | 'delete', deadlineAt: number): Promise<void> {
    this.children = [];
    this.blocked.clearGroups();
    const groups = planGroups(this.ledger.targets());
    await startGroups(groups, this.settings, label, deadlineAt, this.children);
    const { failed, cancellation } = await awaitGroups(groups, this.children, (reports) => {
      this.ledger.merge(reports);
      // Children no longer signal their last reports (their result has them): the count follows here.
      if (patched(PHASE_END_PROGRESS_PATCH)) this.publishFailedCount();
    });
    for (const { group, why } of failed) this.ledger.failGroup(group, why);
    if (cancellation) throw cancellation;
    if (!this.options.allowMissing) this.nothingFound = this.ledger.failNothingFound(this.request.resources);
  }

  private publish(next: TeardownStatus, nextPhase: TeardownPhase, details: string): void {
    this.status = next;
    this.phase = nextPhase;
    this.details = details;
    setCurrentDetails(details);
    this.publishedFailed = this.ledger.totals().failed;
    upsertSearchAttributes(progressAttributes(this.status, this.publishedFailed));
  }

  private finish(final: TeardownStatus, details: string): TeardownReport {
    // At the end only a person is still waited on (needs-operator refusals); retries are over.
    this.blocked.settle();
    this.publish(final, 'done', details);
    this.showBlocked();
    // The memo keeps the outcome readable in the UI even when no worker can answer a query.
    upsertMemo({ outcome: details });
    return this.snapshot();
  }

  private cancelRequested(): boolean {
    return CancellationScope.current().consideredCancelled;
  }

  private cancelledReport(): Promise<TeardownReport> {
    return CancellationScope.nonCancellable(async () => {
      // Children were asked to cancel: they start no new deletions, let in-flight calls finish
      // and return what stands; wait for those reports, then say what was and was not deleted.
      const settled = await Promise.allSettled(this.children.map((h) => h.result()));
      for (const s of settled) if (s.status === 'fulfilled') this.ledger.merge(unpackReports(s.value));
      this.ledger.markAll('pending', { message: 'not deleted: the teardown was cancelled' }, true);
      const t = this.ledger.totals();
      this.message = `cancelled: ${t.deleted} deleted, ${t.alreadyGone} already gone, ${t.pending} not deleted`;
      return this.finish('cancelled', this.message);
    });
  }

  /** Every requested group found nothing and discovery added nothing: there was nothing to tear down. */
  private foundNothing(): boolean {
    return (
      this.nothingFound > 0 && this.nothingFound === this.request.resources.length && this.discovered === 0
    );
  }

  private dryRunReport(): TeardownReport {
    const summary = dryRunSummary(this.ledger.all());
    // A dry run that found nothing at all is told as loudly as the real run would be.
    if (this.foundNothing()) return this.finish('failed', `failed: dry run found nothing: ${summary}`);
    return this.finish('dry-run', `dry run: ${summary}`);
  }

  private finalReport(): TeardownReport {
    const status = endStatus(this.ledger.totals());
    return this.finish(status, `${status}: ${runSummary(this.ledger.all())}`);
  }
}
