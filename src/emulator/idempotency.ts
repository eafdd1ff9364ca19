// ClientToken memory (design.md section 6 and 8). Only successful answers are remembered: a
// refused call (busy instance, throttled, injected fault) must stay retryable with the SAME token,
// which is what an activity retry sends; remembering errors would replay the refusal forever.

import { stableStringify } from '../stable-json';

export type StoredOutcome = { ok: true; payload: unknown };

type Entry =
  | { state: 'in-flight'; paramsHash: string; at: number }
  | { state: 'done'; paramsHash: string; at: number; outcome: StoredOutcome };

/** A remembered answer as a state file holds it. */
export interface SavedToken {
  key: string;
  paramsHash: string;
  /** When the first call with the token arrived (emulator clock, ms). */
  at: number;
  outcome: StoredOutcome;
}

export type TokenDecision =
  | { kind: 'new' }
  | { kind: 'replay'; outcome: StoredOutcome }
  | { kind: 'mismatch' }
  | { kind: 'processing' };

/** JSON with sorted object keys, so parameter order never matters. */
export { stableStringify };

/** The parameters that must match for a token to be reused: everything but the token itself. */
export function paramsFingerprint(params: Record<string, unknown>): string {
  const { ClientToken: _token, ...rest } = params;
  return stableStringify(rest);
}

export class ClientTokenMemory {
  private readonly entries = new Map<string, Entry>();

  /** `ttlMs()` > 0: a token older than that is forgotten (0 remembers for ever). */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: () => number = () => 0,
  ) {}

  /** Claims the token for a call, or says how the provider answers its reuse. */
  begin(tokenKey: string, paramsHash: string): TokenDecision {
    const now = this.now();
    let entry = this.entries.get(tokenKey);
    const ttl = this.ttlMs();
    if (entry?.state === 'done' && ttl > 0 && now - entry.at >= ttl) {
      this.entries.delete(tokenKey);
      entry = undefined;
    }
    if (!entry) {
      this.entries.set(tokenKey, { state: 'in-flight', paramsHash, at: now });
      return { kind: 'new' };
    }
    if (entry.paramsHash !== paramsHash) return { kind: 'mismatch' };
    if (entry.state === 'in-flight') return { kind: 'processing' };
    return { kind: 'replay', outcome: entry.outcome };
  }

  complete(tokenKey: string, outcome: StoredOutcome): void {
    const entry = this.entries.get(tokenKey);
    if (entry) this.entries.set(tokenKey, { ...entry, state: 'done', outcome });
  }

  /** The first call failed: forget the token so a retry with it runs again. */
  release(tokenKey: string): void {
    const entry = this.entries.get(tokenKey);
    if (entry?.state === 'in-flight') this.entries.delete(tokenKey);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The answered tokens (a call still in flight is not remembered: it never answered). */
  save(): SavedToken[] {
    const out: SavedToken[] = [];
    for (const [key, e] of this.entries)
      if (e.state === 'done') out.push({ key, paramsHash: e.paramsHash, at: e.at, outcome: e.outcome });
    return out;
  }

  restore(saved: SavedToken[]): void {
    this.entries.clear();
    for (const t of saved)
      this.entries.set(t.key, { state: 'done', paramsHash: t.paramsHash, at: t.at, outcome: t.outcome });
  }
}
