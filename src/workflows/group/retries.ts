// Workflow-visible retries (design.md section 5): each provider call is one activity attempt, and
// the workflow decides the next try with a timer, so it knows every failure (attempts, the last
// code and when, per-class counts) and can say what blocks it. Pure over injected deps, so unit
// tests run it with fake activities and a fake clock.
import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { FailureDetails } from '../../providers/errors';
import { describeFailure, type CallFailure } from '../failures';

/** Patch id: histories recorded while Temporal retried provider calls by itself replay that way. */
export const VISIBLE_RETRIES_PATCH = 'workflow-visible-retries';
export const MIN_RETRY_MS = 1_000;

/** One failed try of one call, as the group records it. */
export interface FailedTry {
  /** The call and batch ("DeleteInstances i-a,i-b"): consecutive failures are counted per key. */
  key: string;
  action: string;
  ids: readonly string[];
  failure: CallFailure;
  /** Epoch ms of this failure and of the next try. */
  at: number;
  nextAt?: number;
}

export interface RetryDeps {
  now(): number;
  remainingMs(): number;
  sleep(ms: number): Promise<void>;
  /** The longest wait between tries (grows with long deadlines, so histories stay bounded). */
  maxIntervalMs: number;
  onFailure(failed: FailedTry): Promise<void>;
  /** The call went through (or gave up): whatever it blocked no longer waits on it. */
  onSettled(key: string, ok: boolean): Promise<void>;
}

/** Temporal gave the failure back because of our attempt bound, and the error itself may be retried. */
export function retryableByWorkflow(err: unknown): boolean {
  if (!(err instanceof ActivityFailure)) return false;
  if (err.retryState !== RetryState.MAXIMUM_ATTEMPTS_REACHED) return false;
  return !(err.cause instanceof ApplicationFailure && err.cause.nonRetryable);
}

/**
 * Doubling from 1s up to the longest wait; never shorter than the class's own delay (busy and
 * throttled answers say how long they want).
 */
export function nextDelayMs(err: unknown, tries: number, maxMs: number): number {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  const details =
    cause instanceof ApplicationFailure
      ? (cause.details?.[0] as Partial<FailureDetails> | undefined)
      : undefined;
  const doubling = MIN_RETRY_MS * 2 ** Math.min(tries - 1, 20);
  return Math.min(Math.max(details?.retryDelayMs ?? 0, doubling), Math.max(maxMs, MIN_RETRY_MS));
}

/**
 * A call still failing when its deadline comes: DeadlineExceeded (as when Temporal's own retries
 * ran out of time), naming the last answer, with its class so the phases decide as before.
 */
export function deadlineReached(last: CallFailure): ApplicationFailure {
  const details: FailureDetails = {
    errorClass: last.errorClass,
    requestId: last.requestId,
    attempt: last.attempt,
  };
  return ApplicationFailure.create({
    type: 'DeadlineExceeded',
    message: `not done before the deadline; the last try answered ${last.code}: ${last.message}`,
    nonRetryable: true,
    details: [details],
  });
}

/**
 * Runs `attempt(priorAttempts)` until it succeeds, fails for good, or the next try would pass the
 * deadline: then DeadlineExceeded naming the last error is thrown. Every failed try is
 * recorded (`nextAt` absent when it was the last).
 */
export async function retried<T>(
  deps: RetryDeps,
  action: string,
  ids: readonly string[],
  attempt: (priorAttempts: number) => Promise<T>,
): Promise<T> {
  const key = `${action} ${ids.join(',')}`;
  for (let prior = 0; ; prior++) {
    try {
      const result = await attempt(prior);
      await deps.onSettled(key, true);
      return result;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const waitMs = nextDelayMs(err, prior + 1, deps.maxIntervalMs);
      const again = retryableByWorkflow(err) && deps.remainingMs() > waitMs;
      const at = deps.now();
      const failure = describeFailure(err);
      await deps.onFailure({ key, action, ids, failure, at, ...(again ? { nextAt: at + waitMs } : {}) });
      if (!again) {
        await deps.onSettled(key, false);
        throw retryableByWorkflow(err) ? deadlineReached(failure) : err;
      }
      await deps.sleep(waitMs);
    }
  }
}
