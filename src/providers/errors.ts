// Error classes shared by every provider module (design.md section 5). Provider modules map
// their own codes onto these classes; activities turn a ProviderError into an ApplicationFailure
// whose type is the provider's code, so the Temporal UI shows the real code and retry behaviour
// lives here rather than in string lists scattered around.
import { ApplicationFailure } from '@temporalio/common';
import type { CloudName } from './cloud';

export const ERROR_CLASSES = [
  'throttled',
  'transient',
  'busy',
  'gone',
  'needs-operator',
  'permanent',
  'auth',
  'clock',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** A failed provider call, already classified by the provider module that made it. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly cloud: CloudName,
    readonly code: string,
    message: string,
    readonly errorClass: ErrorClass,
    readonly httpStatus?: number,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The details attached to every ApplicationFailure we throw, read back by workflows. */
export interface FailureDetails {
  errorClass: ErrorClass;
  httpStatus?: number;
  requestId?: string;
  /** The activity attempt that failed (1-based): how many calls carried this request. */
  attempt?: number;
  /** When retryable: how long this class waits before the next try (the workflow reads it). */
  retryDelayMs?: number;
}

/** Codes every provider module shares (transport level), checked after the provider's own table. */
export function classifyTransport(httpStatus: number | undefined): ErrorClass | undefined {
  if (httpStatus === 429) return 'throttled';
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient';
  return undefined;
}

/**
 * A lookup over a provider's error table: exact codes first, then the longest matching prefix
 * entry (entries ending in '*'), then the HTTP status. Unknown 4xx codes are permanent: retrying
 * a request the provider refused for a reason we do not know only hides the refusal.
 */
export function makeClassifier(table: Record<string, ErrorClass>) {
  const prefixes = Object.entries(table)
    .filter(([code]) => code.endsWith('*'))
    .map(([code, cls]) => [code.slice(0, -1), cls] as const)
    .sort((a, b) => b[0].length - a[0].length);
  return (code: string, httpStatus?: number): ErrorClass => {
    const exact = table[code];
    if (exact) return exact;
    const prefixed = prefixes.find(([prefix]) => code.startsWith(prefix));
    if (prefixed) return prefixed[1];
    return classifyTransport(httpStatus) ?? 'permanent';
  };
}

/** Network-level failures (no provider answer at all) are transient. */
export function networkError(cloud: CloudName, err: unknown): ProviderError {
  const e = err as { code?: string; message?: string };
  const code = typeof e?.code === 'string' && e.code ? e.code : 'NetworkError';
  return new ProviderError(cloud, code, e?.message ?? String(err), 'transient');
}

// How long to wait before the next attempt, per class. Attempt is Temporal's 1-based attempt.
const MAX_TRANSIENT_ATTEMPTS = 6;
const MAX_CLOCK_ATTEMPTS = 2;

function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}

export function retryDelayMs(errorClass: ErrorClass, attempt: number, code = ''): number | undefined {
  switch (errorClass) {
    case 'throttled':
      return jitter(Math.min(500 * 2 ** Math.min(attempt - 1, 6), 20_000));
    case 'transient':
      return jitter(Math.min(1_000 * 2 ** (attempt - 1), 15_000));
    case 'busy':
      // The same token is re-sent; IdempotentProcessing clears quickly, other operations slowly.
      if (code === 'IdempotentProcessing' || code === 'LastTokenProcessing') return jitter(1_000);
      return jitter(Math.min(2_000 * 2 ** Math.min(attempt - 1, 4), 30_000));
    case 'clock':
      return 200;
    default:
      return undefined;
  }
}

export function isRetryable(errorClass: ErrorClass, attempt: number): boolean {
  switch (errorClass) {
    case 'throttled':
    case 'busy':
      return true; // bounded by the activity's schedule-to-close timeout (the kind's deadline)
    case 'transient':
      return attempt < MAX_TRANSIENT_ATTEMPTS;
    case 'clock':
      return attempt < MAX_CLOCK_ATTEMPTS;
    default:
      return false;
  }
}

/** The ApplicationFailure an activity throws for a provider error on the given attempt. */
export function toApplicationFailure(err: ProviderError, attempt: number): ApplicationFailure {
  const retryable = isRetryable(err.errorClass, attempt);
  const delay = retryable ? retryDelayMs(err.errorClass, attempt, err.code) : undefined;
  const details: FailureDetails = {
    errorClass: err.errorClass,
    httpStatus: err.httpStatus,
    requestId: err.requestId,
    attempt,
    ...(delay !== undefined ? { retryDelayMs: delay } : {}),
  };
  return ApplicationFailure.create({
    type: err.code,
    message: `${err.cloud} ${err.code}: ${err.message}`,
    nonRetryable: !retryable,
    nextRetryDelay: delay,
    details: [details],
  });
}
