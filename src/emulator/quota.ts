// Per account + provider + action token buckets: `rate` requests per second with a burst of one
// second's worth, which is how the providers document their per-API limits (e.g. 20/s).

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class QuotaLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token; false when the caller is over quota. A rate <= 0 means unlimited. */
  take(bucketKey: string, ratePerSecond: number, now: number): boolean {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) return true;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = { tokens: ratePerSecond, updatedAt: now };
      this.buckets.set(bucketKey, bucket);
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(ratePerSecond, bucket.tokens + (elapsed * ratePerSecond) / 1000);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }

  clear(): void {
    this.buckets.clear();
  }
}
