// Reading the provider code and class back out of a failed activity (see src/providers/errors.ts).
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorClass, FailureDetails } from '../providers/errors';

export interface CallFailure {
  code: string;
  errorClass: ErrorClass;
  message: string;
  requestId?: string;
  /** Provider calls this activity made (its last attempt number). */
  attempt?: number;
}

export function describeFailure(err: unknown): CallFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as Partial<FailureDetails>;
    const code = cause.type ?? 'Error';
    return {
      code,
      errorClass: details.errorClass ?? 'permanent',
      // The report has the code in its own field: keep only the provider's words here.
      message: cause.message.replace(new RegExp(`^\\S+ ${escapeRegExp(code)}: `), ''),
      requestId: details.requestId,
      attempt: details.attempt,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      code: 'DeadlineExceeded',
      errorClass: 'transient',
      message: 'the provider call did not finish before the deadline',
    };
  }
  return {
    code: 'Error',
    errorClass: 'permanent',
    message: err instanceof Error ? err.message : String(err),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
