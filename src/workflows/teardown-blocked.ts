// What holds a teardown up, as its children tell it (plus the approval the parent waits for), and
// the failed provider calls per error class over the run. The parent shows the first thing it
// waits on in TeardownBlockedOn and every blocked line in its current details.
import type { Blocked, ErrorClassCounts } from '../contract';
import type { GroupProgress } from './messages';

/** The report names at most this many blocked ids (the details name the first few per line). */
export const BLOCKED_IDS_SHOWN = 100;

export class TeardownBlocked {
  private readonly groups = new Map<string, Blocked>();
  private own?: Blocked;
  readonly attempts: ErrorClassCounts = {};

  /** A child's news; true when what blocks the teardown may have changed. */
  onProgress(p: Pick<GroupProgress, 'groupId' | 'failures' | 'blocked'>): boolean {
    for (const [cls, n] of Object.entries(p.failures ?? {}) as Array<[keyof ErrorClassCounts, number]>)
      this.attempts[cls] = (this.attempts[cls] ?? 0) + n;
    if (p.blocked === undefined) return false;
    if (p.blocked === null) this.groups.delete(p.groupId);
    else this.groups.set(p.groupId, p.blocked);
    return true;
  }

  /** What the parent itself waits on (approval), or undefined. */
  setOwn(blocked: Blocked | undefined): void {
    this.own = blocked;
  }

  /** Starting a new run of the groups: the last run's blocks are over. */
  clearGroups(): void {
    this.groups.clear();
  }

  current(): Blocked | undefined {
    const all = [...(this.own ? [this.own] : []), ...this.groups.values()];
    if (all.length === 0) return undefined;
    // A provider code that keeps coming back says more than a waiting person; it goes first.
    const first = all.find((b) => b.on !== 'operator') ?? all[0]!;
    return {
      on: first.on,
      ids: [...new Set(all.flatMap((b) => b.ids))].slice(0, BLOCKED_IDS_SHOWN),
      details: [first, ...all.filter((b) => b !== first)].map((b) => b.details).join('\n'),
    };
  }

  /** The run is over: nothing waits on a provider any more, only on a person. */
  settle(): void {
    this.own = undefined;
    for (const [id, b] of this.groups) if (b.on !== 'operator') this.groups.delete(id);
  }

  hasAttempts(): boolean {
    return Object.keys(this.attempts).length > 0;
  }
}
