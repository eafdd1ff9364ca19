// Per account + provider + action flow control as a sliding window: at most `rate` calls are
// accepted in any window of one second (the providers document their per-API limits this way,
// e.g. 20/s), so no burst across a calendar-second boundary gets more than the quota. Times come
// from the emulator's clock. Fractional rates (0.5/s) allow one call per 1/rate seconds.

interface Window {
  /** Accepted call times, oldest first, all within the current window. */
  accepted: number[];
}

/** The window and the calls it admits for a rate: 20/s -> 20 per 1000 ms, 0.5/s -> 1 per 2000 ms. */
export function windowOf(ratePerSecond: number): { calls: number; windowMs: number } {
  const calls = Math.max(1, Math.floor(ratePerSecond));
  return { calls, windowMs: (calls * 1000) / ratePerSecond };
}

export class QuotaLimiter {
  private readonly windows = new Map<string, Window>();

  /** Admits one call at `now`; false when the caller is over quota. A rate <= 0 means unlimited. */
  take(bucketKey: string, ratePerSecond: number, now: number): boolean {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) return true;
    const { calls, windowMs } = windowOf(ratePerSecond);
    let window = this.windows.get(bucketKey);
    if (!window) {
      window = { accepted: [] };
      this.windows.set(bucketKey, window);
    }
    // A call at `now` shares the window (now - windowMs, now] with the calls before it.
    const accepted = window.accepted;
    let expired = 0;
    while (expired < accepted.length && accepted[expired] <= now - windowMs) expired += 1;
    if (expired > 0) accepted.splice(0, expired);
    if (accepted.length >= calls) return false;
    accepted.push(now);
    return true;
  }

  clear(): void {
    this.windows.clear();
  }
}
