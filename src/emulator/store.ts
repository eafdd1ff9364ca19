// In-memory resources of the fake cloud. Timed transitions are stored as due times and applied
// lazily whenever a resource is read, so no timers run and a paused process loses nothing.
import type { EmulatedResource, ResourceStore, ScheduledChange } from './types';

export interface ScheduledStep extends ScheduledChange {
  /** Delay after the previous step of the same sequence (ms). */
  afterMs: number;
}

export interface PendingStep {
  at: number;
  change: ScheduledChange;
  /** Independent sequences (e.g. a stop and a charge conversion) do not cancel each other. */
  channel: string;
}

/** A resource with its pending changes (due times on the emulator's clock), as a state file holds it. */
export interface StoreEntry {
  resource: EmulatedResource;
  pending: PendingStep[];
}
type Entry = StoreEntry;

const DEFAULT_CHANNEL = 'default';

function key(type: string, account: string, id: string): string {
  return `${type}\u0000${account}\u0000${id}`;
}

function cloneResource(r: EmulatedResource): EmulatedResource {
  return { ...r, attributes: structuredClone(r.attributes), tags: { ...r.tags } };
}

export class MemoryStore implements ResourceStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(type: string, account: string, id: string): EmulatedResource | undefined {
    const k = key(type, account, id);
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    return this.settle(k, entry)?.resource;
  }

  list(type: string, account: string, filter?: (r: EmulatedResource) => boolean): EmulatedResource[] {
    return this.all(type).filter((r) => r.account === account && (!filter || filter(r)));
  }

  /** Every live resource, optionally of one type, across accounts (admin API). */
  all(type?: string): EmulatedResource[] {
    const out: EmulatedResource[] = [];
    for (const [k, entry] of [...this.entries]) {
      if (type !== undefined && entry.resource.type !== type) continue;
      const settled = this.settle(k, entry);
      if (settled) out.push(settled.resource);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  put(resource: EmulatedResource): void {
    const k = key(resource.type, resource.account, resource.id);
    const previous = this.entries.get(k);
    this.entries.set(k, { resource: cloneResource(resource), pending: previous?.pending ?? [] });
  }

  /** Replaces every pending change of the resource (per the ResourceStore contract). */
  schedule(type: string, account: string, id: string, afterMs: number, change: ScheduledChange): void {
    this.scheduleSequence(type, account, id, [{ afterMs, ...change }], { replaceAll: true });
  }

  /**
   * Schedules a chain of changes, each relative to the previous one. By default it replaces only
   * the pending changes of the same channel; `replaceAll` drops every pending change.
   */
  scheduleSequence(
    type: string,
    account: string,
    id: string,
    steps: ScheduledStep[],
    opts: { channel?: string; replaceAll?: boolean } = {},
  ): void {
    const k = key(type, account, id);
    const entry = this.entries.get(k);
    if (!entry || !this.settle(k, entry)) return;
    const channel = opts.channel ?? DEFAULT_CHANNEL;
    const kept = opts.replaceAll ? [] : entry.pending.filter((p) => p.channel !== channel);
    let at = this.now();
    const added = steps.map(({ afterMs, ...change }) => {
      at += Math.max(0, afterMs);
      return { at, change, channel };
    });
    entry.pending = [...kept, ...added].sort((a, b) => a.at - b.at);
  }

  hasPending(type: string, account: string, id: string): boolean {
    const k = key(type, account, id);
    const entry = this.entries.get(k);
    if (!entry) return false;
    const settled = this.settle(k, entry);
    return !!settled && settled.pending.length > 0;
  }

  /** Whether a change of one channel is still pending. */
  hasPendingOn(type: string, account: string, id: string, channel: string): boolean {
    const k = key(type, account, id);
    const entry = this.entries.get(k);
    if (!entry) return false;
    const settled = this.settle(k, entry);
    return !!settled && settled.pending.some((p) => p.channel === channel);
  }

  remove(type: string, account: string, id: string): void {
    this.entries.delete(key(type, account, id));
  }

  clear(): void {
    this.entries.clear();
  }

  /** Every resource with its pending changes, unsettled: a change due later stays due at its time. */
  save(): StoreEntry[] {
    return [...this.entries.values()].map((e) => structuredClone(e));
  }

  /** Replaces the contents with saved entries; changes that fell due meanwhile apply on the next read. */
  restore(saved: StoreEntry[]): void {
    this.entries.clear();
    for (const e of saved) {
      const { type, account, id } = e.resource;
      const pending = [...e.pending].sort((a, b) => a.at - b.at);
      this.entries.set(key(type, account, id), { resource: cloneResource(e.resource), pending });
    }
  }

  /** Applies every due change in time order; returns undefined when the resource went away. */
  private settle(k: string, entry: Entry): Entry | undefined {
    const now = this.now();
    while (entry.pending.length > 0 && entry.pending[0].at <= now) {
      const step = entry.pending.shift() as PendingStep;
      const { status, attributes, remove } = step.change;
      if (remove) {
        this.entries.delete(k);
        return undefined;
      }
      if (status !== undefined) entry.resource.status = status;
      if (attributes) {
        for (const [name, value] of Object.entries(attributes)) {
          // undefined means "clear this attribute" (e.g. a finished pending conversion)
          if (value === undefined) delete entry.resource.attributes[name];
          else entry.resource.attributes[name] = value;
        }
      }
    }
    return entry;
  }
}
