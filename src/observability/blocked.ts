// Which resources this worker's activities are currently failing on, per kind: the
// teardown_blocked_resources gauge. An activity attempt that fails with a retryable provider error
// marks its batch blocked until a try of the same call (same workflow, step and ids) succeeds or fails for good. An entry
// not refreshed for STALE_AFTER_MS is dropped: its retries moved to another worker or were abandoned.

/** Longer than the longest retry interval (30 s) with room for queueing. */
export const STALE_AFTER_MS = 5 * 60_000;

interface Entry {
  kind: string;
  count: number;
  at: number;
}

export class BlockedTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly publish: (kind: string, count: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** `key` names one call of one batch (workflow run, step, ids): its tries replace its entry. */
  blocked(key: string, kind: string, count: number): void {
    this.entries.set(key, { kind, count, at: this.now() });
    this.sweep();
    this.publishKind(kind);
  }

  cleared(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.publishKind(entry.kind);
  }

  /** Drops stale entries and republishes the kinds they belonged to. */
  sweep(): void {
    const limit = this.now() - STALE_AFTER_MS;
    const touched = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (entry.at < limit) {
        this.entries.delete(key);
        touched.add(entry.kind);
      }
    }
    for (const kind of touched) this.publishKind(kind);
  }

  count(kind: string): number {
    let total = 0;
    for (const entry of this.entries.values()) if (entry.kind === kind) total += entry.count;
    return total;
  }

  private publishKind(kind: string): void {
    this.publish(kind, this.count(kind));
  }
}
