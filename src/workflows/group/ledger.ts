// A resource group's report: one entry per requested id, the outcome rules (settled ids never
// change again, a vanished resource loses its stale status), and which entries changed since the
// parent last heard, so only real changes travel.
import type { ResourceReport } from '../../contract';
import type { KindName } from '../../kinds';
import type { ErrorClass } from '../../providers/errors';
import type { CallFailure } from '../failures';

/** The latest few request ids are enough to find a call in the provider's logs; keeps reports bounded. */
const MAX_REQUEST_IDS = 5;

export class GroupLedger {
  private readonly reports = new Map<string, ResourceReport>();
  private readonly changed = new Set<string>();
  /** Set when a call proves the credentials are refused: nothing more is sent for this group. */
  fatal?: CallFailure;
  /** Ids refused with a needs-operator code: the group waits for a person about them. */
  readonly operatorIds = new Set<string>();

  constructor(kind: KindName, region: string, ids: readonly string[]) {
    for (const id of ids) this.reports.set(id, { kind, region, id, outcome: 'pending' });
  }

  all(): ResourceReport[] {
    return [...this.reports.values()];
  }

  get(id: string): ResourceReport | undefined {
    return this.reports.get(id);
  }

  isPending(id: string): boolean {
    return this.reports.get(id)?.outcome === 'pending';
  }

  pendingIds(): string[] {
    return [...this.reports.values()].filter((r) => r.outcome === 'pending').map((r) => r.id);
  }

  update(id: string, patch: Partial<ResourceReport>): void {
    const current = this.reports.get(id);
    if (!current) return;
    const next = { ...current, ...patch };
    // Only real changes travel to the parent: an unchanged status on every poll would grow histories.
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    this.reports.set(id, next);
    this.changed.add(id);
  }

  settle(id: string, outcome: ResourceReport['outcome'], patch: Partial<ResourceReport> = {}): void {
    // A status seen before the resource went away would only mislead.
    const gone = outcome === 'deleted' || outcome === 'already-gone' || outcome === 'not-found';
    this.update(id, { ...(gone ? { status: undefined } : {}), ...patch, outcome });
  }

  fail(
    id: string,
    failure: Pick<CallFailure, 'code' | 'message'> & { errorClass?: ErrorClass },
    status?: string,
  ): void {
    if (failure.errorClass === 'needs-operator' && this.isPending(id)) this.operatorIds.add(id);
    this.settle(id, 'failed', {
      errorCode: failure.code,
      message: failure.message,
      ...(status ? { status } : {}),
    });
  }

  /** Counts a mutating call (with its retries) against each id, and keeps its request id. */
  addRequest(ids: readonly string[], attempt: number, requestId?: string): void {
    for (const id of ids) {
      const r = this.reports.get(id);
      if (!r) continue;
      this.update(id, {
        attempts: (r.attempts ?? 0) + attempt,
        requestIds: requestId ? [...(r.requestIds ?? []), requestId].slice(-MAX_REQUEST_IDS) : r.requestIds,
      });
    }
  }

  /** Credentials refused: every id still pending fails with that reason. */
  abortWith(failure: CallFailure): void {
    this.fatal = failure;
    for (const id of this.pendingIds()) this.fail(id, failure);
  }

  /** A failed call: credentials refused stop the whole group; otherwise the ids of the call fail. */
  failCall(ids: readonly string[], failure: CallFailure): void {
    if (failure.errorClass === 'auth') this.abortWith(failure);
    else for (const id of ids) if (this.isPending(id)) this.fail(id, failure);
  }

  /** The entries changed since the last call (for the parent's progress signal). */
  takeChanged(): ResourceReport[] {
    const changed = [...this.changed].map((id) => this.reports.get(id)!);
    this.changed.clear();
    return changed;
  }
}
