// Temporal Schedules that run teardowns: "every night at 02:00", "Friday 18:00 in Asia/Shanghai",
// "every 4h". Everything is validated here, before the server is asked to create anything, so a
// schedule can never hold an action that would fail at every run.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
  type ScheduleSpec,
  type ScheduleSummary,
} from '@temporalio/client';
import {
  TEARDOWN_WORKFLOW_TYPE,
  parseDurationMs,
  parseTeardownRequest,
  requestSummary,
  type TeardownRequest,
} from '../contract';
import { initialSearchAttributes } from '../search-attributes';
import type { teardown } from '../workflows/teardown';
import type { TeardownClient, TeardownSummary } from './index';

export { ScheduleAlreadyRunning, ScheduleNotFoundError };

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const ID_PREFIX = 'teardown-';
const CRON_SHORTHANDS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];
/** Temporal rounds intervals to whole seconds; anything shorter is a typo, not a teardown cadence. */
const MIN_INTERVAL_MS = 1_000;
/** Memo key holding the spec as the caller wrote it: the server only returns the compiled calendar form. */
const SPEC_MEMO_KEY = 'teardownScheduleSpec';

export const TEARDOWN_OVERLAP_POLICIES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'allow-all',
  'cancel-other',
  'terminate-other',
] as const;
export type TeardownOverlapPolicy = (typeof TEARDOWN_OVERLAP_POLICIES)[number];

const TO_TEMPORAL_OVERLAP: Record<TeardownOverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
  'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER,
};

function fromTemporalOverlap(policy: ScheduleOverlapPolicy): TeardownOverlapPolicy {
  const found = TEARDOWN_OVERLAP_POLICIES.find((p) => TO_TEMPORAL_OVERLAP[p] === policy);
  return found ?? 'skip';
}

export interface TeardownScheduleSpec {
  /** Cron expressions (5 fields, or 6 with a year), or @yearly/@monthly/@weekly/@daily/@hourly. */
  cron?: string[];
  /** An interval such as "4h" or "30m". */
  every?: string;
  /** IANA time zone the cron fields are read in (default UTC), e.g. "Asia/Shanghai". */
  timeZone?: string;
  /** No runs before this time. */
  startAt?: Date | string;
  /** No runs after this time. */
  endAt?: Date | string;
}

export interface CreateTeardownScheduleOptions {
  /** Your id; the schedule id is teardown-<id> (unless it already starts with "teardown-"). */
  scheduleId: string;
  spec: TeardownScheduleSpec;
  /** What happens when a run is due while the previous one still runs (default: skip). */
  overlap?: TeardownOverlapPolicy;
  /** The teardown each run performs; validated like `startTeardown`'s input. */
  request: unknown;
  /** Create the schedule paused. */
  paused?: boolean;
  note?: string;
}

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

interface NormalizedSpec {
  cron?: string[];
  every?: string;
  timeZone?: string;
  startAt?: Date;
  endAt?: Date;
}

export interface TeardownScheduleCreated {
  scheduleId: string;
  /** Each run's workflow id is this prefix, "-", and the run's scheduled time (e.g. ...-2025-06-06T10:00:00Z). */
  workflowIdPrefix: string;
  taskQueue: string;
  paused: boolean;
}

export interface TeardownScheduleRun {
  workflowId: string;
  runId: string;
  scheduledAt?: Date;
  takenAt?: Date;
}

export interface TeardownScheduleSummary {
  scheduleId: string;
  paused: boolean;
  note?: string;
  spec: ScheduleSpecText;
  nextRunTimes: Date[];
  recentRuns: TeardownScheduleRun[];
}

export interface TeardownScheduleDescription extends TeardownScheduleSummary {
  overlap: TeardownOverlapPolicy;
  taskQueue: string;
  workflowIdPrefix?: string;
  request?: TeardownRequest;
  runsTaken: number;
  runsSkippedForOverlap: number;
  runsMissedCatchupWindow: number;
  runningWorkflowIds: string[];
  createdAt: Date;
  updatedAt?: Date;
}

/** The spec as the caller wrote it (from the memo), or as the server describes it when there is no memo. */
export interface ScheduleSpecText {
  cron?: string[];
  every?: string;
  /** Present only for schedules not created through this module: the server's compiled calendar form. */
  calendars?: unknown[];
  timeZone?: string;
  startAt?: string;
  endAt?: string;
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
  const problem = idProblem(callerId);
  if (problem) throw new InvalidScheduleOptions(`scheduleId: ${problem}`);
  return callerId.startsWith(ID_PREFIX) ? callerId : `${ID_PREFIX}${callerId}`;
}

/** Workflow id given to every run; Temporal appends "-<scheduled time>" so each run has its own id. */
export function scheduledWorkflowIdPrefix(callerId: string): string {
  const scheduleId = teardownScheduleId(callerId);
  return `${ID_PREFIX}schedule-${scheduleId.slice(ID_PREFIX.length)}`;
}

function idProblem(id: string): string | undefined {
  if (typeof id !== 'string' || !ID_RE.test(id)) {
    return `"${String(id)}" must be 1-200 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit`;
  }
  return undefined;
}

/**
 * Search attributes a teardown starts with (TeardownStatus, TeardownKinds, TeardownResourceCount,
 * TeardownRequestedBy); the workflow keeps TeardownStatus and TeardownFailedCount current after that.
 */
function runSummary(request: TeardownRequest, scheduleId: string): string {
  return `scheduled ${requestSummary(request).text} by ${scheduleId}`;
}

function cronProblem(expression: unknown): string | undefined {
  if (typeof expression !== 'string' || !expression.trim()) return 'must be a non-empty cron expression';
  const text = expression.trim();
  if (/^(CRON_)?TZ=/.test(text))
    return `"${text}": give the time zone with timeZone (--time-zone), not inside the expression`;
  if (/^@every\b/.test(text)) return `"${text}": use every (--every) for intervals`;
  if (text.startsWith('@')) {
    return CRON_SHORTHANDS.includes(text)
      ? undefined
      : `"${text}" is not one of ${CRON_SHORTHANDS.join(', ')}`;
  }
  const fields = text.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `"${text}" has ${fields} field(s); expected 5 (minute hour day-of-month month day-of-week, e.g. "0 18 * * 5") or 6 (with a year)`;
  }
  return undefined;
}

function timeZoneProblem(timeZone: unknown): string | undefined {
  if (typeof timeZone !== 'string' || !timeZone.trim())
    return 'must be an IANA time zone like "Asia/Shanghai" or "UTC"';
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return undefined;
  } catch {
    return `"${timeZone}" is not a known IANA time zone (e.g. "Asia/Shanghai", "Europe/Berlin", "UTC")`;
  }
}

function toDate(value: Date | string | undefined, field: string, issues: string[]): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    issues.push(
      `${field}: "${String(value)}" is not a valid time (use ISO 8601, e.g. "2025-06-06T18:00:00+08:00")`,
    );
    return undefined;
  }
  return date;
}

/**
 * Validates everything a schedule needs without contacting Temporal. Throws InvalidScheduleOptions
 * (schedule id, spec, overlap) or InvalidTeardownRequest (the action's request), naming each bad field.
 */
export function validateTeardownSchedule(options: CreateTeardownScheduleOptions): ValidatedTeardownSchedule {
  const issues: string[] = [];
  const idIssue = idProblem(options.scheduleId);
  if (idIssue) issues.push(`scheduleId: ${idIssue}`);

  const spec = options.spec ?? {};
  const normalized: NormalizedSpec = {};
  if (spec.cron !== undefined) {
    if (!Array.isArray(spec.cron) || spec.cron.length === 0) {
      issues.push('spec.cron: must list at least one cron expression');
    } else {
      spec.cron.forEach((expression, index) => {
        const problem = cronProblem(expression);
        if (problem) issues.push(`spec.cron[${index}]: ${problem}`);
      });
      normalized.cron = spec.cron.map((c) => String(c).trim());
    }
  }
  if (spec.every !== undefined) {
    const ms = typeof spec.every === 'string' ? parseDurationMs(spec.every) : undefined;
    if (ms === undefined || ms < MIN_INTERVAL_MS) {
      issues.push(
        `spec.every: "${String(spec.every)}" must be a duration of at least 1s, like "30m", "4h" or "1d"`,
      );
    } else {
      normalized.every = spec.every.trim();
    }
  }
  if (spec.cron === undefined && spec.every === undefined) {
    issues.push('spec: needs a cron expression (--cron "0 18 * * 5") or an interval (--every 4h)');
  }
  if (spec.timeZone !== undefined) {
    const problem = timeZoneProblem(spec.timeZone);
    if (problem) issues.push(`spec.timeZone: ${problem}`);
    else normalized.timeZone = spec.timeZone;
  }
  normalized.startAt = toDate(spec.startAt, 'spec.startAt', issues);
  normalized.endAt = toDate(spec.endAt, 'spec.endAt', issues);
  if (normalized.startAt && normalized.endAt && normalized.endAt <= normalized.startAt) {
    issues.push('spec.endAt: must be after spec.startAt');
  }
  if (normalized.endAt && normalized.endAt.getTime() <= Date.now()) {
    issues.push(`spec.endAt: ${normalized.endAt.toISOString()} is in the past; the schedule would never run`);
  }

  const overlap = options.overlap ?? 'skip';
  if (!TEARDOWN_OVERLAP_POLICIES.includes(overlap)) {
    issues.push(`overlap: "${String(overlap)}" must be one of: ${TEARDOWN_OVERLAP_POLICIES.join(', ')}`);
  }
  if (options.note !== undefined && typeof options.note !== 'string') issues.push('note: must be text');
  if (issues.length) throw new InvalidScheduleOptions(issues.join('\n'));

  // The action is checked now, not at the first run: a bad request would otherwise fail every run.
  const request = parseTeardownRequest(options.request);
  return {
    scheduleId: teardownScheduleId(options.scheduleId),
    workflowIdPrefix: scheduledWorkflowIdPrefix(options.scheduleId),
    spec: normalized,
    overlap,
    request,
    paused: options.paused ?? false,
    note: options.note,
  };
}

function temporalSpec(spec: NormalizedSpec): ScheduleSpec {
  return {
    cronExpressions: spec.cron,
    intervals: spec.every ? [{ every: parseDurationMs(spec.every)! }] : undefined,
    timezone: spec.timeZone,
    startAt: spec.startAt,
    endAt: spec.endAt,
  };
}

/** Creates a schedule whose every run starts a `teardown` of `request`. Nothing is created when any input is invalid. */
export async function createTeardownSchedule(
  tc: TeardownClient,
  options: CreateTeardownScheduleOptions,
): Promise<TeardownScheduleCreated> {
  const valid = validateTeardownSchedule(options);
  try {
    await tc.client.schedule.create<typeof teardown>({
      scheduleId: valid.scheduleId,
      spec: temporalSpec(valid.spec),
      action: {
        type: 'startWorkflow',
        workflowType: TEARDOWN_WORKFLOW_TYPE,
        workflowId: valid.workflowIdPrefix,
        taskQueue: tc.taskQueue,
        args: [valid.request],
        typedSearchAttributes: initialSearchAttributes(valid.request),
        staticSummary: runSummary(valid.request, valid.scheduleId),
        staticDetails: valid.request.reason ? `reason: ${valid.request.reason}` : undefined,
      },
      policies: { overlap: TO_TEMPORAL_OVERLAP[valid.overlap] },
      memo: { [SPEC_MEMO_KEY]: specText(valid.spec) },
      state: { paused: valid.paused, note: valid.note },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new ScheduleAlreadyRunning(
        `schedule ${valid.scheduleId} already exists; delete it first (teardown schedule delete) or choose another id`,
        valid.scheduleId,
      );
    }
    // The SDK turns the server's "Invalid schedule spec" refusal into a TypeError carrying the reason.
    if (err instanceof TypeError) {
      const what = [
        ...(valid.spec.cron ?? []).map((c) => `cron "${c}"`),
        ...(valid.spec.timeZone ? [`time zone "${valid.spec.timeZone}"`] : []),
      ].join(', ');
      throw new InvalidScheduleOptions(`spec: Temporal refused the schedule (${what}): ${err.message}`);
    }
    throw err;
  }
  return {
    scheduleId: valid.scheduleId,
    workflowIdPrefix: valid.workflowIdPrefix,
    taskQueue: tc.taskQueue,
    paused: valid.paused,
  };
}

function specText(spec: NormalizedSpec): ScheduleSpecText {
  return {
    ...(spec.cron ? { cron: spec.cron } : {}),
    ...(spec.every ? { every: spec.every } : {}),
    ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
    ...(spec.startAt ? { startAt: spec.startAt.toISOString() } : {}),
    ...(spec.endAt ? { endAt: spec.endAt.toISOString() } : {}),
  };
}

function specFrom(
  memo: Record<string, unknown> | undefined,
  fallback: ScheduleSummary['spec'],
): ScheduleSpecText {
  const stored = memo?.[SPEC_MEMO_KEY];
  if (stored && typeof stored === 'object') return stored as ScheduleSpecText;
  if (!fallback) return {};
  return {
    ...(fallback.calendars?.length ? { calendars: fallback.calendars } : {}),
    ...(fallback.intervals?.length
      ? { every: fallback.intervals.map((i) => `${Math.round(i.every / 1000)}s`).join(',') }
      : {}),
    ...(fallback.timezone ? { timeZone: fallback.timezone } : {}),
    ...(fallback.startAt ? { startAt: fallback.startAt.toISOString() } : {}),
    ...(fallback.endAt ? { endAt: fallback.endAt.toISOString() } : {}),
  };
}

function runsOf(actions: ScheduleSummary['info']['recentActions']): TeardownScheduleRun[] {
  return actions.map((a) => ({
    workflowId: a.action.workflow.workflowId,
    runId: a.action.workflow.firstExecutionRunId,
    scheduledAt: a.scheduledAt,
    takenAt: a.takenAt,
  }));
}

/**
 * Teardown schedules (schedule id teardown-*, action `teardown`). `query` is a schedule visibility
 * query, e.g. `TemporalSchedulePaused = true`. Listing is eventually consistent on the server.
 */
export async function listTeardownSchedules(
  tc: TeardownClient,
  options: { query?: string; limit?: number } = {},
): Promise<TeardownScheduleSummary[]> {
  const limit = options.limit ?? 100;
  const out: TeardownScheduleSummary[] = [];
  for await (const schedule of tc.client.schedule.list({ query: options.query })) {
    // The action may be missing right after creation (eventual consistency): the id prefix decides then.
    if (!schedule.scheduleId.startsWith(ID_PREFIX)) continue;
    if (schedule.action && schedule.action.workflowType !== TEARDOWN_WORKFLOW_TYPE) continue;
    out.push({
      scheduleId: schedule.scheduleId,
      paused: schedule.state.paused,
      note: schedule.state.note || undefined,
      spec: specFrom(schedule.memo, schedule.spec),
      nextRunTimes: schedule.info.nextActionTimes,
      recentRuns: runsOf(schedule.info.recentActions),
    });
    if (out.length >= limit) break;
  }
  return out;
}

export async function describeTeardownSchedule(
  tc: TeardownClient,
  scheduleId: string,
): Promise<TeardownScheduleDescription> {
  const d: ScheduleDescription = await tc.client.schedule
    .getHandle(teardownScheduleId(scheduleId))
    .describe();
  const request = d.action.args?.[0] as TeardownRequest | undefined;
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note || undefined,
    spec: specFrom(d.memo, d.spec),
    nextRunTimes: d.info.nextActionTimes,
    recentRuns: runsOf(d.info.recentActions),
    overlap: fromTemporalOverlap(d.policies.overlap),
    taskQueue: d.action.taskQueue,
    workflowIdPrefix: d.action.workflowId,
    request,
    runsTaken: d.info.numActionsTaken,
    runsSkippedForOverlap: d.info.numActionsSkippedOverlap,
    runsMissedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    runningWorkflowIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    createdAt: d.info.createdAt,
    updatedAt: d.info.lastUpdatedAt,
  };
}

export async function pauseTeardownSchedule(
  tc: TeardownClient,
  scheduleId: string,
  note = 'paused by cloud-teardown',
): Promise<void> {
  await tc.client.schedule.getHandle(teardownScheduleId(scheduleId)).pause(note);
}

export async function unpauseTeardownSchedule(
  tc: TeardownClient,
  scheduleId: string,
  note = 'unpaused by cloud-teardown',
): Promise<void> {
  await tc.client.schedule.getHandle(teardownScheduleId(scheduleId)).unpause(note);
}

/**
 * Asks the schedule to start a run now. Without `overlap` the schedule's own policy applies (the
 * SDK would otherwise default to allow-all), so a trigger never stacks runs a skip schedule forbids.
 * The run starts asynchronously; find it with describeTeardownSchedule or listTeardownScheduleRuns.
 */
export async function triggerTeardownSchedule(
  tc: TeardownClient,
  scheduleId: string,
  overlap?: TeardownOverlapPolicy,
): Promise<void> {
  if (overlap !== undefined && !TEARDOWN_OVERLAP_POLICIES.includes(overlap)) {
    throw new InvalidScheduleOptions(
      `overlap: "${String(overlap)}" must be one of: ${TEARDOWN_OVERLAP_POLICIES.join(', ')}`,
    );
  }
  const handle = tc.client.schedule.getHandle(teardownScheduleId(scheduleId));
  const policy = overlap ? TO_TEMPORAL_OVERLAP[overlap] : (await handle.describe()).policies.overlap;
  await handle.trigger(policy);
}

/** Deletes the schedule; runs it already started keep going (cancel them with `teardown cancel`). */
export async function deleteTeardownSchedule(tc: TeardownClient, scheduleId: string): Promise<void> {
  await tc.client.schedule.getHandle(teardownScheduleId(scheduleId)).delete();
}

/** Teardowns a schedule started, newest first (Temporal sets TemporalScheduledById on each run). */
export async function listTeardownScheduleRuns(
  tc: TeardownClient,
  scheduleId: string,
  limit = 100,
): Promise<TeardownSummary[]> {
  return tc.listTeardowns(`TemporalScheduledById = "${teardownScheduleId(scheduleId)}"`, limit);
}
