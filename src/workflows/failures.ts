// Reading the provider code and class back out of a failed activity (see src/providers/errors.ts).
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorClass, FailureDetails } from '../providers/errors';

export interface CallFailure {
  code: string;
  errorClass: ErrorClass;
  message: string;
  requestId?: string;
}

export function describeFailure(err: unknown): CallFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as Partial<FailureDetails>;
    return {
      code: cause.type ?? 'Error',
      errorClass: details.errorClass ?? 'permanent',
      message: cause.message,
      requestId: details.requestId,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return { code: 'DeadlineExceeded', errorClass: 'transient', message: `provider call timed out (${cause.timeoutType})` };
  }
  return { code: 'Error', errorClass: 'permanent', message: err instanceof Error ? err.message : String(err) };
}
