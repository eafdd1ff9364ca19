// What a teardown schedule is made of, validated with zod before the server is asked to create
// anything, so a schedule can never hold an action that would fail at every run. Pure.
import { z } from 'zod';
import { formatIssues, parseDurationMs, parseTeardownRequest, type TeardownRequest } from '../contract';
import { callerIdProblem, callerIdSchema } from './ids';
import { echo } from '../echo';

export const TEARDOWN_ID_PREFIX = 'teardown-';
const CRON_SHORTHANDS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];
/** Temporal rounds intervals to whole seconds; anything shorter is a typo, not a teardown cadence. */
const MIN_INTERVAL_MS = 1_000;

export const TEARDOWN_OVERLAP_POLICIES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'allow-all',
  'cancel-other',
  'terminate-other',
] as const;
export type TeardownOverlapPolicy = (typeof TEARDOWN_OVERLAP_POLICIES)[number];

export const overlapSchema = z.enum(TEARDOWN_OVERLAP_POLICIES, {
  error: (issue) => `${echo(issue.input)} must be one of: ${TEARDOWN_OVERLAP_POLICIES.join(', ')}`,
});

function cronProblem(text: string): string | undefined {
  if (/^(CRON_)?TZ=/.test(text))
    return `${echo(text)}: give the time zone with timeZone (--time-zone), not inside the expression`;
  if (/^@every\b/.test(text)) return `${echo(text)}: use every (--every) for intervals`;
  if (text.startsWith('@')) {
    return CRON_SHORTHANDS.includes(text)
      ? undefined
      : `${echo(text)} is not one of ${CRON_SHORTHANDS.join(', ')}`;
  }
  const fields = text.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `${echo(text)} has ${fields} field(s); expected 5 (minute hour day-of-month month day-of-week, e.g. "0 18 * * 5") or 6 (with a year)`;
  }
  return undefined;
}

const cronSchema = z
  .string({ error: 'must be a non-empty cron expression' })
  .trim()
  .min(1, 'must be a non-empty cron expression')
  .superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const everySchema = z
  .string()
  .trim()
  .refine((text) => (parseDurationMs(text) ?? 0) >= MIN_INTERVAL_MS, {
    error: (issue) => `${echo(issue.input)} must be a duration of at least 1s, like "30m", "4h" or "1d"`,
  });

function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

const timeZoneSchema = z
  .string()
  .trim()
  .min(1, 'must be an IANA time zone like "Asia/Shanghai" or "UTC"')
  .refine(knownTimeZone, {
    error: (issue) =>
      `${echo(issue.input)} is not a known IANA time zone (e.g. "Asia/Shanghai", "Europe/Berlin", "UTC")`,
  });

const timeSchema = z
  .union([z.date(), z.string()])
  .transform((value) => (value instanceof Date ? value : new Date(value)))
  .refine((date) => !Number.isNaN(date.getTime()), {
    error: (issue) =>
      `${echo(issue.input)} is not a valid time (use ISO 8601, e.g. "2025-06-06T18:00:00+08:00")`,
  });

export const scheduleSpecSchema = z
  .object({
    /** Cron expressions (5 fields, or 6 with a year), or @yearly/@monthly/@weekly/@daily/@hourly. */
    cron: z.array(cronSchema).min(1, 'must list at least one cron expression').optional(),
    /** An interval such as "4h" or "30m". */
    every: everySchema.optional(),
    /** IANA time zone the cron fields are read in (default UTC), e.g. "Asia/Shanghai". */
    timeZone: timeZoneSchema.optional(),
    /** No runs before this time. */
    startAt: timeSchema.optional(),
    /** No runs after this time. */
    endAt: timeSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.cron === undefined && spec.every === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs a cron expression (--cron "0 18 * * 5") or an interval (--every 4h)',
      });
    }
    if (spec.startAt && spec.endAt && spec.endAt <= spec.startAt) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after spec.startAt' });
    } else if (spec.endAt && spec.endAt.getTime() <= Date.now()) {
      ctx.addIssue({
        code: 'custom',
        path: ['endAt'],
        message: `${spec.endAt.toISOString()} is in the past; the schedule would never run`,
      });
    }
  });

/** What callers write; the validated form has Dates for startAt/endAt. */
export type TeardownScheduleSpec = z.input<typeof scheduleSpecSchema>;
export type NormalizedSpec = z.output<typeof scheduleSpecSchema>;

export const scheduleOptionsSchema = z.object({
  /** Your id; the schedule id is teardown-<id> (unless it already starts with "teardown-"). */
  scheduleId: callerIdSchema,
  spec: scheduleSpecSchema.default({}),
  /** What happens when a run is due while the previous one still runs (default: skip). */
  overlap: overlapSchema.default('skip'),
  /** The teardown each run performs; validated like `startTeardown`'s input (after these fields). */
  request: z.unknown(),
  /** Create the schedule paused. */
  paused: z.boolean().default(false),
  note: z.string({ error: 'must be text' }).optional(),
});

export type CreateTeardownScheduleOptions = z.input<typeof scheduleOptionsSchema>;

/** The validated, normalized form of CreateTeardownScheduleOptions. */
export interface ValidatedTeardownSchedule {
  scheduleId: string;
  workflowIdPrefix: string;
  spec: NormalizedSpec;
  overlap: TeardownOverlapPolicy;
  request: TeardownRequest;
  paused: boolean;
  note?: string;
}

/** A schedule's options are invalid; the message names each bad field. */
export class InvalidScheduleOptions extends Error {
  override readonly name = 'InvalidScheduleOptions';
  constructor(readonly issues: string) {
    super(`invalid teardown schedule:\n${issues}`);
  }
}

/** The caller's id -> the schedule id (mirrors teardownWorkflowId). Throws InvalidScheduleOptions when malformed. */
export function teardownScheduleId(callerId: string): string {
  const problem = callerIdProblem(callerId);
  if (problem) throw new InvalidScheduleOptions(`scheduleId: ${problem}`);
  return callerId.startsWith(TEARDOWN_ID_PREFIX) ? callerId : `${TEARDOWN_ID_PREFIX}${callerId}`;
}

/** Workflow id given to every run; Temporal appends "-<scheduled time>" so each run has its own id. */
export function scheduledWorkflowIdPrefix(callerId: string): string {
  const scheduleId = teardownScheduleId(callerId);
  return `${TEARDOWN_ID_PREFIX}schedule-${scheduleId.slice(TEARDOWN_ID_PREFIX.length)}`;
}

/** Validates an overlap policy given on its own (trigger); throws InvalidScheduleOptions. */
export function parseOverlap(value: unknown, field = 'overlap'): TeardownOverlapPolicy {
  const parsed = overlapSchema.safeParse(value);
  if (!parsed.success) throw new InvalidScheduleOptions(`${field}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/**
 * Validates everything a schedule needs without contacting Temporal. Throws InvalidScheduleOptions
 * (schedule id, spec, overlap) or InvalidTeardownRequest (the action's request), naming each bad field.
 */
export function validateTeardownSchedule(options: CreateTeardownScheduleOptions): ValidatedTeardownSchedule {
  const parsed = scheduleOptionsSchema.safeParse(options);
  if (!parsed.success) throw new InvalidScheduleOptions(formatIssues(parsed.error));
  const valid = parsed.data;
  // The action is checked now, not at the first run: a bad request would otherwise fail every run.
  const request = parseTeardownRequest(valid.request);
  return {
    scheduleId: teardownScheduleId(valid.scheduleId),
    workflowIdPrefix: scheduledWorkflowIdPrefix(valid.scheduleId),
    spec: valid.spec,
    overlap: valid.overlap,
    request,
    paused: valid.paused,
    note: valid.note,
  };
}
