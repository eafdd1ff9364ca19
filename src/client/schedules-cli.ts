// `teardown schedule create|list|describe|pause|unpause|trigger|delete`: the CLI over client.schedules.
import type { Command } from 'commander';
import { collect, invalid, positiveInt, print } from './cli-common';
import type { CliContext } from './cli-context';
import { addRequestOptions, requestFromFlags, type StartFlags } from './request-flags';
import { formatScheduleDescription, formatScheduleList, iso } from './schedule-format';
import {
  TEARDOWN_OVERLAP_POLICIES,
  overlapSchema,
  teardownScheduleId,
  validateTeardownSchedule,
  type CreateTeardownScheduleOptions,
  type TeardownOverlapPolicy,
} from './schedule-spec';

interface CreateFlags extends StartFlags {
  cron?: string[];
  every?: string;
  timeZone?: string;
  startAt?: string;
  endAt?: string;
  overlap?: string;
  paused?: boolean;
  note?: string;
}

const POLICY_LIST = TEARDOWN_OVERLAP_POLICIES.join(', ');

// Checked in the action rather than with commander's .choices(), so the message names the policies.
function overlapOf(value: string | undefined, flag: string): TeardownOverlapPolicy | undefined {
  if (value === undefined) return undefined;
  const parsed = overlapSchema.safeParse(value);
  if (!parsed.success) throw invalid(`${flag}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

function addCreate(schedule: Command, ctx: CliContext): void {
  addRequestOptions(
    schedule
      .command('create')
      .description('create a schedule whose runs start a teardown of the given request')
      .argument('<id>', 'schedule id (becomes teardown-<id>); runs are teardown-schedule-<id>-<time>'),
  )
    .option('--cron <expr>', 'cron expression, 5 fields (repeatable), e.g. "0 18 * * 5"', collect)
    .option('--every <duration>', 'interval, e.g. 4h or 30m')
    .option('--time-zone <tz>', 'IANA time zone for --cron, e.g. Asia/Shanghai (default UTC)')
    .option('--start-at <time>', 'no runs before this ISO 8601 time')
    .option('--end-at <time>', 'no runs after this ISO 8601 time')
    .option('--overlap <policy>', `when a run is due while the last still runs: ${POLICY_LIST}`, 'skip')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'note shown with the schedule state')
    .action(async (id: string, flags: CreateFlags) => {
      const options: CreateTeardownScheduleOptions = {
        scheduleId: id,
        spec: {
          cron: flags.cron,
          every: flags.every,
          timeZone: flags.timeZone,
          startAt: flags.startAt,
          endAt: flags.endAt,
        },
        overlap: overlapOf(flags.overlap, '--overlap'),
        request: requestFromFlags(flags, Date.now(), 'schedule create'),
        paused: flags.paused,
        note: flags.note,
      };
      // Validate before connecting: bad input is refused without touching Temporal.
      validateTeardownSchedule(options);
      const { schedules } = await ctx.connect();
      const created = await schedules.create(options);
      const { nextRunTimes } = await schedules.describe(created.scheduleId);
      print(
        ctx.output(),
        { ...created, nextRunTimes },
        `created ${created.scheduleId}${created.paused ? ' (paused)' : ''}: runs are ${created.workflowIdPrefix}-<scheduled time> on ${created.taskQueue}; next ${iso(nextRunTimes[0])}`,
      );
    });
}

function addRead(schedule: Command, ctx: CliContext): void {
  schedule
    .command('list')
    .description('list teardown schedules')
    .option('-q, --query <query>', 'schedule visibility query, e.g. TemporalSchedulePaused = true')
    .option('-n, --limit <n>', 'at most this many', positiveInt, 100)
    .action(async (flags: { query?: string; limit: number }) => {
      const rows = await (await ctx.connect()).schedules.list({ query: flags.query, limit: flags.limit });
      print(ctx.output(), rows, formatScheduleList(rows));
    });

  schedule
    .command('describe')
    .description('spec, state, request, next and recent runs of a schedule')
    .argument('<id>')
    .action(async (id: string) => {
      teardownScheduleId(id);
      const description = await (await ctx.connect()).schedules.describe(id);
      print(ctx.output(), description, formatScheduleDescription(description));
    });
}

function addControl(schedule: Command, ctx: CliContext): void {
  for (const verb of ['pause', 'unpause'] as const) {
    schedule
      .command(verb)
      .description(
        verb === 'pause' ? 'stop taking scheduled runs (triggers still work)' : 'resume scheduled runs',
      )
      .argument('<id>')
      .option('--note <text>', 'why (shown with the schedule state)')
      .action(async (id: string, flags: { note?: string }) => {
        const scheduleId = teardownScheduleId(id);
        const { schedules } = await ctx.connect();
        await (verb === 'pause' ? schedules.pause(id, flags.note) : schedules.unpause(id, flags.note));
        print(
          ctx.output(),
          { scheduleId, paused: verb === 'pause', note: flags.note },
          `${verb}d: ${scheduleId}`,
        );
      });
  }

  schedule
    .command('trigger')
    .description("start a run now (the schedule's overlap policy applies unless --overlap is given)")
    .argument('<id>')
    .option('--overlap <policy>', `override for this run: ${POLICY_LIST}`)
    .action(async (id: string, flags: { overlap?: string }) => {
      const scheduleId = teardownScheduleId(id);
      const overlap = overlapOf(flags.overlap, '--overlap');
      await (await ctx.connect()).schedules.trigger(id, overlap);
      print(
        ctx.output(),
        { scheduleId, triggered: true, overlap: overlap ?? null },
        `triggered: ${scheduleId} (see \`teardown schedule describe ${id}\` for the run)`,
      );
    });

  schedule
    .command('delete')
    .description('delete a schedule (runs already started keep going)')
    .argument('<id>')
    .action(async (id: string) => {
      const scheduleId = teardownScheduleId(id);
      await (await ctx.connect()).schedules.delete(id);
      print(ctx.output(), { scheduleId, deleted: true }, `deleted: ${scheduleId}`);
    });
}

export function addScheduleCommands(program: Command, ctx: CliContext): void {
  const schedule = program
    .command('schedule')
    .description('run teardowns on a cron or interval (Temporal Schedules)');
  addCreate(schedule, ctx);
  addRead(schedule, ctx);
  addControl(schedule, ctx);
}
