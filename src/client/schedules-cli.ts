// `teardown schedule create|list|describe|pause|unpause|trigger|delete`: the CLI over schedules.ts.
// cli.ts and this module import each other; everything taken from cli.ts is used only when a
// command runs (never at load time), which CommonJS cycles allow.
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, addRequestOptions, print, requestFromFlags, type Output, type StartFlags } from './cli';
import { EXIT_CODES } from './format';
import type { TeardownClient } from './index';
import {
  InvalidScheduleOptions,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  TEARDOWN_OVERLAP_POLICIES,
  createTeardownSchedule,
  deleteTeardownSchedule,
  describeTeardownSchedule,
  listTeardownSchedules,
  pauseTeardownSchedule,
  teardownScheduleId,
  triggerTeardownSchedule,
  unpauseTeardownSchedule,
  validateTeardownSchedule,
  type CreateTeardownScheduleOptions,
  type ScheduleSpecText,
  type TeardownOverlapPolicy,
  type TeardownScheduleDescription,
  type TeardownScheduleSummary,
} from './schedules';

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

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

// Checked in the action rather than with commander's .choices(): its refusal exits with 1, and
// invalid input must exit with 2.
function overlapOf(value: string | undefined, flag: string): TeardownOverlapPolicy | undefined {
  if (value === undefined) return undefined;
  if (!(TEARDOWN_OVERLAP_POLICIES as readonly string[]).includes(value)) {
    throw new CliError(`${flag}: "${value}" must be one of: ${POLICY_LIST}`, EXIT_CODES.invalidInput);
  }
  return value as TeardownOverlapPolicy;
}

/** Library errors -> CLI errors whose message says what to fix; InvalidTeardownRequest is mapped by cli.ts. */
function cliErrorOf(err: unknown): unknown {
  if (err instanceof InvalidScheduleOptions) return new CliError(err.message, EXIT_CODES.invalidInput);
  if (err instanceof ScheduleNotFoundError) {
    return new CliError(
      `no such schedule: ${err.scheduleId} (see \`teardown schedule list\`)`,
      EXIT_CODES.error,
    );
  }
  if (err instanceof ScheduleAlreadyRunning) return new CliError(err.message, EXIT_CODES.error);
  return err;
}

function mapped<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      throw cliErrorOf(err);
    }
  };
}

function iso(date: Date | undefined): string {
  return date ? date.toISOString().replace('.000Z', 'Z') : '-';
}

export function formatSpec(spec: ScheduleSpecText): string {
  const parts = [
    ...(spec.cron ?? []).map((c) => `cron "${c}"`),
    ...(spec.every ? [`every ${spec.every}`] : []),
    ...(spec.calendars?.length ? [`${spec.calendars.length} calendar spec(s)`] : []),
  ];
  const text = parts.join(' + ') || '(no spec)';
  return [
    text,
    spec.timeZone ? `in ${spec.timeZone}` : spec.cron ? 'in UTC' : '',
    spec.startAt ? `from ${spec.startAt}` : '',
    spec.endAt ? `until ${spec.endAt}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function stateText(s: { paused: boolean; note?: string }): string {
  return `${s.paused ? 'paused' : 'active'}${s.note ? ` (${s.note})` : ''}`;
}

export function formatScheduleList(rows: TeardownScheduleSummary[]): string {
  if (rows.length === 0) return 'no teardown schedules';
  return rows
    .map(
      (r) =>
        `${r.scheduleId}  ${r.paused ? 'paused' : 'active'}  ${formatSpec(r.spec)}  next ${iso(r.nextRunTimes[0])}`,
    )
    .join('\n');
}

export function formatScheduleDescription(d: TeardownScheduleDescription): string {
  const request = d.request;
  const selectors = request?.selectors ?? [];
  const requestText = request
    ? [
        request.resources.length
          ? `${request.resources.reduce((n, r) => n + r.ids.length, 0)} resources (${[...new Set(request.resources.map((r) => r.kind))].join(', ')})`
          : '',
        selectors.length
          ? `${selectors.length} selector(s) (${selectors.map((s) => [s.kind, ...(s.tags ?? []).map((t) => `tag ${t}`), s.namePrefix ? `name ${s.namePrefix}*` : '', s.olderThan ? `older than ${s.olderThan}` : ''].filter(Boolean).join(' ')).join('; ')})`
          : '',
      ]
        .filter(Boolean)
        .join(' and ') +
      `${request.options?.dryRun ? ', dry run' : ''}${request.requestedBy ? ` for ${request.requestedBy}` : ''}`
    : '-';
  const lines: Array<[string, string]> = [
    ['schedule', d.scheduleId],
    ['state', stateText(d)],
    ['spec', formatSpec(d.spec)],
    ['overlap', d.overlap],
    [
      'runs',
      `teardown on task queue ${d.taskQueue}; workflow ids ${d.workflowIdPrefix ?? '?'}-<scheduled time>`,
    ],
    ['request', requestText],
    ['next', d.nextRunTimes.slice(0, 3).map(iso).join(', ') || '-'],
    [
      'taken',
      `${d.runsTaken} run(s), ${d.runsSkippedForOverlap} skipped (overlap), ${d.runsMissedCatchupWindow} missed`,
    ],
    ['running', d.runningWorkflowIds.join(', ') || '-'],
    ...d.recentRuns.map((r): [string, string] => ['recent', `${r.workflowId} (started ${iso(r.takenAt)})`]),
  ];
  return lines.map(([label, value]) => `${label.padEnd(9)}${value}`).join('\n');
}

export function addScheduleCommands(
  program: Command,
  connect: () => Promise<TeardownClient>,
  outputOf: () => Output,
): void {
  const schedule = program
    .command('schedule')
    .description('run teardowns on a cron or interval (Temporal Schedules)');

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
    .action(
      mapped(async (id: string, flags: CreateFlags) => {
        if (!flags.file && !(flags.kind && flags.ids) && !flags.selectKind) {
          throw new CliError(
            'schedule create needs --kind, --ids (and --region where the kind needs one), --select-kind with --tag/--name-prefix/--older-than, or --file with a request',
            EXIT_CODES.invalidInput,
          );
        }
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
          request: requestFromFlags(flags),
          paused: flags.paused,
          note: flags.note,
        };
        // Validate before connecting: bad input is refused without touching Temporal.
        validateTeardownSchedule(options);
        const client = await connect();
        const created = await createTeardownSchedule(client, options);
        const { nextRunTimes } = await describeTeardownSchedule(client, created.scheduleId);
        print(
          outputOf(),
          { ...created, nextRunTimes },
          `created ${created.scheduleId}${created.paused ? ' (paused)' : ''}: runs are ${created.workflowIdPrefix}-<scheduled time> on ${created.taskQueue}; next ${iso(nextRunTimes[0])}`,
        );
      }),
    );

  schedule
    .command('list')
    .description('list teardown schedules')
    .option('-q, --query <query>', 'schedule visibility query, e.g. TemporalSchedulePaused = true')
    .option('-n, --limit <n>', 'at most this many', positiveInt, 100)
    .action(
      mapped(async (flags: { query?: string; limit: number }) => {
        const rows = await listTeardownSchedules(await connect(), { query: flags.query, limit: flags.limit });
        print(outputOf(), rows, formatScheduleList(rows));
      }),
    );

  schedule
    .command('describe')
    .description('spec, state, request, next and recent runs of a schedule')
    .argument('<id>')
    .action(
      mapped(async (id: string) => {
        teardownScheduleId(id);
        const description = await describeTeardownSchedule(await connect(), id);
        print(outputOf(), description, formatScheduleDescription(description));
      }),
    );

  for (const verb of ['pause', 'unpause'] as const) {
    schedule
      .command(verb)
      .description(
        verb === 'pause' ? 'stop taking scheduled runs (triggers still work)' : 'resume scheduled runs',
      )
      .argument('<id>')
      .option('--note <text>', 'why (shown with the schedule state)')
      .action(
        mapped(async (id: string, flags: { note?: string }) => {
          const scheduleId = teardownScheduleId(id);
          const client = await connect();
          if (verb === 'pause') await pauseTeardownSchedule(client, id, flags.note);
          else await unpauseTeardownSchedule(client, id, flags.note);
          print(
            outputOf(),
            { scheduleId, paused: verb === 'pause', note: flags.note },
            `${verb}d: ${scheduleId}`,
          );
        }),
      );
  }

  schedule
    .command('trigger')
    .description("start a run now (the schedule's overlap policy applies unless --overlap is given)")
    .argument('<id>')
    .option('--overlap <policy>', `override for this run: ${POLICY_LIST}`)
    .action(
      mapped(async (id: string, flags: { overlap?: string }) => {
        const scheduleId = teardownScheduleId(id);
        const overlap = overlapOf(flags.overlap, '--overlap');
        await triggerTeardownSchedule(await connect(), id, overlap);
        print(
          outputOf(),
          { scheduleId, triggered: true, overlap: overlap ?? null },
          `triggered: ${scheduleId} (see \`teardown schedule describe ${id}\` for the run)`,
        );
      }),
    );

  schedule
    .command('delete')
    .description('delete a schedule (runs already started keep going)')
    .argument('<id>')
    .action(
      mapped(async (id: string) => {
        const scheduleId = teardownScheduleId(id);
        await deleteTeardownSchedule(await connect(), id);
        print(outputOf(), { scheduleId, deleted: true }, `deleted: ${scheduleId}`);
      }),
    );
}
