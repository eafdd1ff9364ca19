// What a group's failed tries add up to: per-resource last error, failures per error class, and
// the calls that keep failing (BLOCKED_AFTER tries in a row), told as the line the UI shows:
// "1 alibabacloud.ecs.instance in cn-hangzhou blocked: DeleteInstances answered ServiceUnavailable
// 14 times since 18:15; next try 18:18; i-bp1...". Pure, so unit tests drive it directly.
import type { Blocked, ErrorClassCounts } from '../../contract';
import type { KindName } from '../../kinds';
import { sampleIds } from '../summaries';
import type { GroupLedger } from './ledger';
import type { FailedTry } from './retries';

/** Consecutive failed tries of one call after which the group counts as blocked on its code. */
export const BLOCKED_AFTER = 3;

interface Streak {
  action: string;
  ids: readonly string[];
  code: string;
  tries: number;
  since: number;
  nextAt?: number;
}

export class RetryRecorder {
  private readonly streaks = new Map<string, Streak>();
  private unsent: ErrorClassCounts = {};

  constructor(
    private readonly kind: KindName,
    private readonly region: string,
    private readonly ledger: GroupLedger,
  ) {}

  failed(t: FailedTry): void {
    const cls = t.failure.errorClass;
    this.unsent[cls] = (this.unsent[cls] ?? 0) + 1;
    const lastErrorAt = new Date(t.at).toISOString();
    for (const id of t.ids)
      if (this.ledger.isPending(id)) this.ledger.update(id, { lastErrorCode: t.failure.code, lastErrorAt });
    if (t.nextAt === undefined) return;
    const streak = this.streaks.get(t.key);
    this.streaks.set(t.key, {
      action: t.action,
      ids: t.ids,
      code: t.failure.code,
      tries: (streak?.tries ?? 0) + 1,
      since: streak?.since ?? t.at,
      nextAt: t.nextAt,
    });
  }

  /** The call went through (its ids lose their last error) or gave up (they keep it). */
  settled(key: string, ok: boolean): void {
    const streak = this.streaks.get(key);
    this.streaks.delete(key);
    if (!ok || !streak) return;
    for (const id of streak.ids)
      if (this.ledger.get(id)?.lastErrorCode)
        this.ledger.update(id, { lastErrorCode: undefined, lastErrorAt: undefined });
  }

  /** Failures per class since the last call (sent to the parent with the next progress signal). */
  takeCounts(): ErrorClassCounts {
    const counts = this.unsent;
    this.unsent = {};
    return counts;
  }

  /** What the group waits on now, or undefined while it makes progress. */
  blocked(): Blocked | undefined {
    const lines = new Map<string, Streak>();
    for (const s of this.streaks.values()) {
      if (s.tries < BLOCKED_AFTER) continue;
      const key = `${s.action}|${s.code}`;
      const seen = lines.get(key);
      lines.set(
        key,
        seen
          ? {
              ...s,
              ids: [...seen.ids, ...s.ids],
              tries: Math.max(seen.tries, s.tries),
              since: Math.min(seen.since, s.since),
              nextAt: Math.min(seen.nextAt ?? Infinity, s.nextAt ?? Infinity),
            }
          : s,
      );
    }
    const streaks = [...lines.values()].map((s) => ({
      ...s,
      ids: s.ids.filter((id) => this.ledger.isPending(id)),
    }));
    const live = streaks.filter((s) => s.ids.length > 0);
    if (live.length > 0) {
      return {
        on: live[0]!.code,
        ids: [...new Set(live.flatMap((s) => s.ids))],
        details: live.map((s) => this.line(s)).join('\n'),
      };
    }
    // Refusals a person must act on (needs-operator) show once nothing else blocks.
    const operator = [...this.ledger.operatorIds];
    if (operator.length === 0) return undefined;
    const codes = [...new Set(operator.map((id) => this.ledger.get(id)?.errorCode).filter(Boolean))];
    return {
      on: 'operator',
      ids: operator,
      details: `${operator.length} ${this.kind}${this.where()} need a person (${codes.join(', ')}): ${sampleIds(operator)}`,
    };
  }

  private line(s: Streak): string {
    const next = s.nextAt !== undefined && Number.isFinite(s.nextAt) ? `; next try ${clock(s.nextAt)}` : '';
    return (
      `${s.ids.length} ${this.kind}${this.where()} blocked: ${s.action} answered ${s.code} ` +
      `${s.tries} times since ${clock(s.since)}${next}; ${sampleIds(s.ids)}`
    );
  }

  private where(): string {
    return this.region ? ` in ${this.region}` : '';
  }
}

/** "18:15:04" (UTC): the day is the run's, the seconds tell short retries apart. */
export function clock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}
