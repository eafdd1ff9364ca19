// What the two no-Temporal contenders share, as a competent engineer would write it: the provider
// modules' official-SDK calls, a client-side limiter per provider action at the documented quota,
// and retries with exponential back-off and jitter on throttling, busy and transient answers.
import { credentialsFromEnv, loadWorkerConfig } from '../../../src/config';
import { KINDS, type KindName } from '../../../src/kinds';
import { ProviderError } from '../../../src/providers/errors';
import { PROVIDERS } from '../../../src/providers/registry';
import type { CallContext, KindProvider } from '../../../src/providers/types';
import { qualifiedAction } from '../bound';
import type { Target } from '../workloads';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** At most `rate` calls start in any one-second window (the providers' flow control is per second). */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly rate: number) {}

  take(): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        const now = Date.now();
        while (this.starts.length > 0 && this.starts[0]! <= now - 1000) this.starts.shift();
        if (this.starts.length < this.rate) {
          this.starts.push(now);
          return;
        }
        // A small margin: the request reaches the provider a little after it leaves.
        await sleep(this.starts[0]! + 1000 - now + 5);
      }
    });
    this.chain = next;
    return next;
  }
}

export interface CallStats {
  calls: number;
  retries: number;
  throttled: number;
}

export interface SdkRunner {
  provider(kind: KindName): KindProvider;
  ctx(target: Target): CallContext;
  /** One provider call through the action's limiter, retried on throttling / busy / transient answers. */
  call<T>(kind: KindName, action: string, run: () => Promise<T>): Promise<T>;
  stats: CallStats;
}

const MAX_ATTEMPTS = 10;
/** "Another operation in progress" (SAE's one change order per application) clears, slowly. */
const MAX_BUSY_ATTEMPTS = 60;

export function sdkRunner(
  env: NodeJS.ProcessEnv,
  opts: { ratePerSecond: number; limit: boolean },
): SdkRunner {
  const config = loadWorkerConfig(env);
  const limiters = new Map<string, SlidingWindowLimiter>();
  const stats: CallStats = { calls: 0, retries: 0, throttled: 0 };
  const limiterOf = (key: string) => {
    let l = limiters.get(key);
    if (!l) limiters.set(key, (l = new SlidingWindowLimiter(opts.ratePerSecond)));
    return l;
  };
  return {
    stats,
    provider: (kind) => PROVIDERS[kind],
    ctx(target) {
      const cloud = KINDS[target.kind].cloud;
      const settings = config.clouds[cloud];
      // The bench signs with the emulator's keys from its environment, never a chain.
      const credentials = credentialsFromEnv(env, cloud);
      if (!credentials) throw new Error(`no credentials for ${target.kind}`);
      return {
        credentials,
        endpoint: settings.endpoint,
        region: target.region,
        appId: target.appId,
        timeoutMs: config.requestTimeoutMs,
        // A listing's pages are spaced at the limiter's rate, as the worker spaces them.
        pageIntervalMs: opts.limit ? 1000 / opts.ratePerSecond : 0,
      };
    },
    async call<T>(kind: KindName, action: string, run: () => Promise<T>): Promise<T> {
      const key = qualifiedAction(kind, action);
      for (let attempt = 1; ; attempt++) {
        if (opts.limit) await limiterOf(key).take();
        stats.calls++;
        try {
          return await run();
        } catch (err) {
          const cls = err instanceof ProviderError ? err.errorClass : undefined;
          const retryable = cls === 'throttled' || cls === 'busy' || cls === 'transient';
          if (!retryable || attempt >= (cls === 'busy' ? MAX_BUSY_ATTEMPTS : MAX_ATTEMPTS)) throw err;
          if (cls === 'throttled') stats.throttled++;
          stats.retries++;
          const base = cls === 'throttled' ? 100 : cls === 'busy' ? 500 : 250;
          await sleep(Math.min(base * 2 ** Math.min(attempt - 1, 4), 8_000) * (0.5 + Math.random()));
        }
      }
    },
  };
}

/** Polls with a short first wait and then backs off: how SDK waiters confirm asynchronous deletes. */
export async function pollUntilDone(
  poll: () => Promise<{ pending: string[]; done: string[] }>,
  opts: { firstMs: number; maxMs: number; deadlineMs: number },
): Promise<string[]> {
  const until = Date.now() + opts.deadlineMs;
  let wait = opts.firstMs;
  for (;;) {
    await sleep(wait);
    const { pending } = await poll();
    if (pending.length === 0) return [];
    if (Date.now() > until) return pending;
    wait = Math.min(wait * 1.5, opts.maxMs);
  }
}
