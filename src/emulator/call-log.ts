// Every request the fake cloud answered, plus running counters for the stats endpoint.
import type { CallLogEntry, CloudProvider } from './types';

/** Older entries are dropped past this many; counters keep counting. */
const MAX_ENTRIES = 200_000;

export interface CallFilter {
  action?: string;
  clientToken?: string;
  provider?: CloudProvider | 'unknown';
}

export interface EmulatorStats {
  totalCalls: number;
  /** Keyed by the bare action name, summed over providers. */
  callsByAction: Record<string, number>;
  /** Keyed 'provider.service.action'. */
  callsByProviderAction: Record<string, number>;
  errorsByCode: Record<string, number>;
  quotaBreaches: {
    total: number;
    byAction: Record<string, number>;
    byAccount: Record<string, number>;
    /** Keyed 'account/provider.service.action'. */
    byAccountAction: Record<string, number>;
  };
  idempotentParameterMismatches: number;
  idempotentProcessing: number;
  idempotentReplays: number;
  injectedFaults: number;
}

/** The log as a state file holds it: a resumed emulator keeps counting where it stopped. */
export interface SavedCallLog {
  entries: CallLogEntry[];
  seq: number;
  stats: EmulatorStats;
}

export type CallKind = 'normal' | 'throttled' | 'mismatch' | 'processing' | 'replay' | 'injected';

function bump(map: Record<string, number>, k: string): void {
  map[k] = (map[k] ?? 0) + 1;
}

function emptyStats(): EmulatorStats {
  return {
    totalCalls: 0,
    callsByAction: {},
    callsByProviderAction: {},
    errorsByCode: {},
    quotaBreaches: { total: 0, byAction: {}, byAccount: {}, byAccountAction: {} },
    idempotentParameterMismatches: 0,
    idempotentProcessing: 0,
    idempotentReplays: 0,
    injectedFaults: 0,
  };
}

export class CallLog {
  private entries: CallLogEntry[] = [];
  private seq = 0;
  private counters = emptyStats();

  record(entry: Omit<CallLogEntry, 'seq'>, kind: CallKind): CallLogEntry {
    const full: CallLogEntry = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);

    const c = this.counters;
    const qualified = `${entry.provider}.${entry.service}.${entry.action}`;
    c.totalCalls += 1;
    bump(c.callsByAction, entry.action);
    bump(c.callsByProviderAction, qualified);
    if (entry.errorCode) bump(c.errorsByCode, entry.errorCode);
    switch (kind) {
      case 'throttled':
        c.quotaBreaches.total += 1;
        bump(c.quotaBreaches.byAction, entry.action);
        bump(c.quotaBreaches.byAccount, entry.account ?? 'unknown');
        bump(c.quotaBreaches.byAccountAction, `${entry.account ?? 'unknown'}/${qualified}`);
        break;
      case 'mismatch':
        c.idempotentParameterMismatches += 1;
        break;
      case 'processing':
        c.idempotentProcessing += 1;
        break;
      case 'replay':
        c.idempotentReplays += 1;
        break;
      case 'injected':
        c.injectedFaults += 1;
        break;
      case 'normal':
        break;
    }
    return full;
  }

  list(filter: CallFilter = {}): CallLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.action === undefined || e.action === filter.action) &&
        (filter.clientToken === undefined || e.clientToken === filter.clientToken) &&
        (filter.provider === undefined || e.provider === filter.provider),
    );
  }

  stats(): EmulatorStats {
    return structuredClone(this.counters);
  }

  clear(): void {
    this.entries = [];
    this.seq = 0;
    this.counters = emptyStats();
  }

  save(): SavedCallLog {
    return { entries: structuredClone(this.entries), seq: this.seq, stats: this.stats() };
  }

  restore(saved: SavedCallLog): void {
    this.entries = structuredClone(saved.entries);
    this.seq = saved.seq;
    this.counters = structuredClone(saved.stats);
  }
}
