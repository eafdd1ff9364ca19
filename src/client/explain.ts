// Maps any error a command throws to one line that says what to fix, and the CLI's exit code.
// Errors are recognised by name, not instanceof: the CLI loads the Temporal SDK only when it connects,
// so `teardown --help` starts fast.
import { CliError } from './cli-common';
import { EXIT_CODES } from './format';

type Named<N extends string, E = object> = Error & { name: N } & E;

function named<N extends string, E = object>(err: unknown, name: N): err is Named<N, E> {
  return err instanceof Error && err.name === name;
}

/** Library errors whose message already says what to fix, with the exit code each maps to. */
const SELF_EXPLAINED: Record<string, number> = {
  InvalidTeardownRequest: EXIT_CODES.invalidInput,
  InvalidScheduleOptions: EXIT_CODES.invalidInput,
  InvalidCallerId: EXIT_CODES.invalidInput,
  TeardownConflictError: EXIT_CODES.conflict,
  ScheduleAlreadyRunning: EXIT_CODES.error,
};

/** Maps errors to a message that says what to fix, and an exit code. */
export function explainError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  // commander's refusals (unknown flag or command, bad choice, missing value): usage errors.
  if (named<'CommanderError', { exitCode: number }>(err, 'CommanderError')) {
    return { message: err.message, exitCode: err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput };
  }
  if (err instanceof Error && SELF_EXPLAINED[err.name] !== undefined) {
    return { message: err.message, exitCode: SELF_EXPLAINED[err.name]! };
  }
  if (named<'WorkflowNotFoundError', { workflowId: string }>(err, 'WorkflowNotFoundError')) {
    // Updates (approve, reject, postpone) on a finished teardown fail with NotFound too.
    if (/already completed/i.test(err.message)) {
      return {
        message: `${err.workflowId} has already finished (see \`teardown status\`)`,
        exitCode: EXIT_CODES.error,
      };
    }
    return { message: `no such teardown: ${err.workflowId}`, exitCode: EXIT_CODES.error };
  }
  if (named<'ScheduleNotFoundError', { scheduleId: string }>(err, 'ScheduleNotFoundError')) {
    return {
      message: `no such schedule: ${err.scheduleId} (see \`teardown schedule list\`)`,
      exitCode: EXIT_CODES.error,
    };
  }
  // Refused by the workflow (e.g. approve without requireApproval): its reason is in the cause.
  if (named<'WorkflowUpdateFailedError'>(err, 'WorkflowUpdateFailedError')) {
    return {
      message: `refused: ${(err.cause as Error | undefined)?.message ?? err.message}`,
      exitCode: EXIT_CODES.error,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|UNAVAILABLE|connect/i.test(message)) {
    return {
      message: `cannot reach Temporal (${message}); set --address, TEMPORAL_ADDRESS or a temporal.toml profile`,
      exitCode: EXIT_CODES.error,
    };
  }
  return { message, exitCode: EXIT_CODES.error };
}
