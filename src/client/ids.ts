// The caller's ids (teardowns and schedules): one pattern, one zod schema, one message.
import { echo } from '../echo';
import { z } from 'zod';

/** 1-200 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit. */
export const CALLER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
export const CALLER_ID_RULE =
  'must be 1-200 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

export const callerIdSchema = z
  .string({ error: CALLER_ID_RULE })
  .regex(CALLER_ID_PATTERN, { error: (issue) => `${echo(issue.input)} ${CALLER_ID_RULE}` });

/** Why `id` is not a valid caller id, or undefined when it is. */
export function callerIdProblem(id: unknown): string | undefined {
  return callerIdSchema.safeParse(id).error?.issues[0]?.message;
}

/** A caller id was malformed; thrown before anything reaches Temporal. */
export class InvalidCallerId extends Error {
  override readonly name = 'InvalidCallerId';
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
  }
}

/** Returns `id` when valid; throws InvalidCallerId naming `field` otherwise. */
export function validCallerId(id: unknown, field = 'id'): string {
  const problem = callerIdProblem(id);
  if (problem) throw new InvalidCallerId(field, problem);
  return id as string;
}
