// Temporal Schedules that run teardowns: "every night at 02:00", "Friday 18:00 in Asia/Shanghai",
// "every 4h". `TeardownClient.schedules` is this class, as the SDK's `client.schedule`; everything
// is validated (schedule-spec.ts) before the server is asked to create anything.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
  type ScheduleSummary,
} from '@temporalio/client';
import { TEARDOWN_WORKFLOW_TYPE, parseDurationMs, requestSummary, type TeardownRequest } from '../contract';
import { initialSearchAttributes } from '../search-attributes';
import type { teardown } from '../workflows/teardown';
import { listTeardowns, type TeardownSummary } from './list';
import {
  InvalidScheduleOptions,
  TEARDOWN_ID_PREFIX,
  TEARDOWN_OVERLAP_POLICIES,
  parseOverlap,
  teardownScheduleId,
  validateTeardownSchedule,
  type CreateTeardownScheduleOptions,
  type NormalizedSpec,
  type TeardownOverlapPolicy,
} from './schedule-spec';

export { ScheduleAlreadyRunning, ScheduleNotFoundError };

/** Memo key holding the spec as the caller wrote it: the server only returns the compiled calendar form. */
const SPEC_MEMO_KEY = 'teardownScheduleSpec';

const TO_TEMPORAL_OVERLAP: Record<TeardownOverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
  'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER,
};

function fromTemporalOverlap(policy: ScheduleOverlapPolicy): TeardownOverlapPolicy {
  return TEARDOWN_OVERLAP_POLICIES.find((p) => TO_TEMPORAL_OVERLAP[p] === policy) ?? 'skip';
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

function temporalSpec(spec: NormalizedSpec): ScheduleSpec {
  return {
    cronExpressions: spec.cron,
    intervals: spec.every ? [{ every: parseDurationMs(spec.every)! }] : undefined,
    timezone: spec.timeZone,
    startAt: spec.startAt,
    endAt: spec.endAt,
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

function describedSchedule(d: ScheduleDescription): TeardownScheduleDescription {
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
    request: d.action.args?.[0] as TeardownRequest | undefined,
    runsTaken: d.info.numActionsTaken,
    runsSkippedForOverlap: d.info.numActionsSkippedOverlap,
    runsMissedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    runningWorkflowIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    createdAt: d.info.createdAt,
    updatedAt: d.info.lastUpdatedAt,
  };
}

/** Teardown schedules on one namespace and task queue. */
export class TeardownSchedules {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /** Creates a schedule whose every run starts a `teardown` of `request`. Nothing is created when any input is invalid. */
  async create(options: CreateTeardownScheduleOptions): Promise<TeardownScheduleCreated> {
    const valid = validateTeardownSchedule(options);
    try {
      await this.client.schedule.create<typeof teardown>({
        scheduleId: valid.scheduleId,
        spec: temporalSpec(valid.spec),
        action: {
          type: 'startWorkflow',
          workflowType: TEARDOWN_WORKFLOW_TYPE,
          workflowId: valid.workflowIdPrefix,
          taskQueue: this.taskQueue,
          args: [valid.request],
          typedSearchAttributes: initialSearchAttributes(valid.request),
          staticSummary: `scheduled ${requestSummary(valid.request).text} by ${valid.scheduleId}`,
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
      taskQueue: this.taskQueue,
      paused: valid.paused,
    };
  }

  /**
   * Teardown schedules (schedule id teardown-*, action `teardown`). `query` is a schedule visibility
   * query, e.g. `TemporalSchedulePaused = true`. Listing is eventually consistent on the server.
   */
  async list(options: { query?: string; limit?: number } = {}): Promise<TeardownScheduleSummary[]> {
    const limit = options.limit ?? 100;
    const out: TeardownScheduleSummary[] = [];
    for await (const schedule of this.client.schedule.list({ query: options.query })) {
      // The action may be missing right after creation (eventual consistency): the id prefix decides then.
      if (!schedule.scheduleId.startsWith(TEARDOWN_ID_PREFIX)) continue;
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

  async describe(scheduleId: string): Promise<TeardownScheduleDescription> {
    return describedSchedule(await this.handle(scheduleId).describe());
  }

  async pause(scheduleId: string, note = 'paused by cloud-teardown'): Promise<void> {
    await this.handle(scheduleId).pause(note);
  }

  async unpause(scheduleId: string, note = 'unpaused by cloud-teardown'): Promise<void> {
    await this.handle(scheduleId).unpause(note);
  }

  /**
   * Asks the schedule to start a run now. Without `overlap` the schedule's own policy applies (the
   * SDK would otherwise default to allow-all), so a trigger never stacks runs a skip schedule forbids.
   * The run starts asynchronously; find it with describe or runs.
   */
  async trigger(scheduleId: string, overlap?: TeardownOverlapPolicy): Promise<void> {
    const policy = overlap === undefined ? undefined : TO_TEMPORAL_OVERLAP[parseOverlap(overlap)];
    const handle = this.handle(scheduleId);
    await handle.trigger(policy ?? (await handle.describe()).policies.overlap);
  }

  /** Deletes the schedule; runs it already started keep going (cancel them with `teardown cancel`). */
  async delete(scheduleId: string): Promise<void> {
    await this.handle(scheduleId).delete();
  }

  /** Teardowns a schedule started, newest first (Temporal sets TemporalScheduledById on each run). */
  async runs(scheduleId: string, limit = 100): Promise<TeardownSummary[]> {
    return listTeardowns(this.client, `TemporalScheduledById = "${teardownScheduleId(scheduleId)}"`, limit);
  }

  private handle(scheduleId: string) {
    return this.client.schedule.getHandle(teardownScheduleId(scheduleId));
  }
}
