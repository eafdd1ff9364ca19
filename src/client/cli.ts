// The `teardown` CLI: start, status, watch, approve, reject, postpone, cancel, list, schedule. `--output json` on every
// command for scripts; exit codes distinguish completed, partially-failed, failed and cancelled.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  connectTeardownClient,
  InvalidTeardownRequest,
  KIND_NAMES,
  parseDurationMs,
  parseTeardownRequest,
  teardownWorkflowId,
  type TeardownClient,
  type TeardownReport,
} from './index';
import { EXIT_CODES, exitCodeFor, formatProgressBars, formatReport } from './format';
import { addScheduleCommands } from './schedules-cli';

export type Output = 'text' | 'json';

/** An error whose message says what to fix, with the exit code the CLI ends with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.error,
  ) {
    super(message);
  }
}

export function print(output: Output, json: unknown, text: string): void {
  process.stdout.write(output === 'json' ? JSON.stringify(json, null, 2) + '\n' : text + '\n');
}

function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function splitIds(value: string, previous: string[] = []): string[] {
  const ids = value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('expected one or more ids separated by commas');
  return [...previous, ...ids];
}

function readRequestFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`--file: cannot read ${path}: ${(err as Error).message}`, EXIT_CODES.invalidInput);
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new CliError(
      `--file: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
      EXIT_CODES.invalidInput,
    );
  }
}

export interface StartFlags {
  file?: string;
  kind?: string;
  region?: string;
  appId?: string;
  ids?: string[];
  /** Discovery instead of (or beside) ids: one selector of this kind, with --tag / --name-prefix / --older-than. */
  selectKind?: string;
  tag?: string[];
  namePrefix?: string;
  olderThan?: string;
  /** Kept as text: commander's own parse errors exit 1, invalid input must exit 2. */
  maxResources?: string;
  protectTag?: string;
  dryRun?: boolean;
  force?: boolean;
  convertPrepaid?: boolean;
  requireApproval?: boolean;
  deadline?: string;
  pollInterval?: string;
  /** `start --at <ISO time>`: wait until then (options.startAt). */
  at?: string;
  /** `start --after <duration>`: wait this long from now (options.startAt = now + duration). */
  after?: string;
  requestedBy?: string;
  reason?: string;
  wait?: boolean;
  watch?: boolean;
}

const invalid = (message: string) => new CliError(message, EXIT_CODES.invalidInput);
const TIME_EXAMPLE = 'an ISO 8601 time like "2026-11-27T18:00:00Z"';
const DURATION_EXAMPLE = 'a positive duration like "90s", "30m" or "4h"';

/** A future time given on the command line (`--at`, `postpone --until`); refuses the past. */
export function futureTime(flag: string, text: string, now: number = Date.now()): string {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw invalid(`${flag}: "${text}" is not a time; give ${TIME_EXAMPLE}`);
  if (at <= now) throw invalid(`${flag}: ${text} is in the past; give a future time`);
  return text;
}

/** A duration given on the command line (`--after`, `postpone --by`), in milliseconds. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDurationMs(text);
  if (!ms) throw invalid(`${flag}: "${text}" must be ${DURATION_EXAMPLE}`);
  return ms;
}

/** options.startAt from `--at` / `--after` (relative to `now`). */
function startAtOf(flags: StartFlags, now: number): string | undefined {
  if (flags.at !== undefined && flags.after !== undefined)
    throw invalid('use either --at or --after, not both');
  if (flags.at !== undefined) return futureTime('--at', flags.at, now);
  if (flags.after !== undefined) return new Date(now + durationFlag('--after', flags.after)).toISOString();
  return undefined;
}

function maxResourcesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw invalid(`--max-resources: "${text}" must be a positive integer`);
  return Number(text);
}

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one place a teardown request is built from command-line flags (`start`, `schedule create`):
 * ids (--kind/--ids), a selector (--select-kind with --tag/--name-prefix/--older-than), or a
 * JSON/YAML --file; option flags (--dry-run, --at, --max-resources, ...) apply to all three, and
 * win over a file's options. Throws CliError (exit 2) naming the flag to fix; the result is still
 * validated by parseTeardownRequest.
 */
export function requestFromFlags(flags: StartFlags, now: number = Date.now()): unknown {
  const options = defined({
    dryRun: flags.dryRun,
    force: flags.force,
    convertPrepaid: flags.convertPrepaid,
    requireApproval: flags.requireApproval,
    deadline: flags.deadline,
    pollInterval: flags.pollInterval,
    maxResources: maxResourcesOf(flags.maxResources),
    protectTag: flags.protectTag,
    startAt: startAtOf(flags, now),
  });
  const selectorFlags = [
    flags.tag?.length ? '--tag' : '',
    flags.namePrefix !== undefined ? '--name-prefix' : '',
    flags.olderThan !== undefined ? '--older-than' : '',
  ].filter(Boolean);

  if (flags.file) {
    const what = [
      flags.kind !== undefined ? '--kind' : '',
      flags.ids ? '--ids' : '',
      flags.region !== undefined ? '--region' : '',
      flags.appId !== undefined ? '--app-id' : '',
      flags.selectKind !== undefined ? '--select-kind' : '',
      ...selectorFlags,
    ].filter(Boolean);
    if (what.length)
      throw invalid(`use either --file or ${what.join('/')}, not both (the file names the resources)`);
    const request = readRequestFile(flags.file);
    if (!isPlainObject(request)) return request;
    const fileOptions = request.options === undefined ? {} : request.options;
    return {
      ...request,
      ...(Object.keys(options).length
        ? { options: isPlainObject(fileOptions) ? { ...fileOptions, ...options } : fileOptions }
        : {}),
      ...defined({ requestedBy: flags.requestedBy, reason: flags.reason }),
    };
  }

  if ((flags.kind === undefined) !== (flags.ids === undefined)) {
    throw invalid(
      flags.kind === undefined
        ? '--ids needs --kind (which kind the ids are)'
        : '--kind needs --ids (or use --select-kind to discover resources)',
    );
  }
  if (flags.selectKind === undefined && selectorFlags.length) {
    throw invalid(`${selectorFlags.join(', ')} select resources by discovery: add --select-kind <kind>`);
  }
  if (flags.kind === undefined && flags.selectKind === undefined) {
    throw invalid(
      'start needs --kind and --ids, or --select-kind with --tag/--name-prefix/--older-than, or --file with a request',
    );
  }
  return {
    resources:
      flags.kind !== undefined
        ? [{ kind: flags.kind, region: flags.region, appId: flags.appId, ids: flags.ids }]
        : [],
    ...(flags.selectKind !== undefined
      ? {
          selectors: [
            defined({
              kind: flags.selectKind,
              region: flags.region,
              appId: flags.appId,
              tags: flags.tag,
              namePrefix: flags.namePrefix,
              olderThan: flags.olderThan,
            }),
          ],
        }
      : {}),
    options,
    requestedBy: flags.requestedBy ?? process.env.USER,
    reason: flags.reason,
  };
}

async function watch(client: TeardownClient, id: string, output: Output): Promise<TeardownReport> {
  const tty = process.stdout.isTTY && output === 'text';
  let last = '';
  for (;;) {
    const report = await client.getProgress(id);
    const done = report.phase === 'done' || !['running', 'awaiting-approval'].includes(report.status);
    if (output === 'text') {
      const text = formatProgressBars(report);
      if (text !== last) {
        if (tty && last) process.stdout.write(`\x1b[${last.split('\n').length}A\x1b[J`);
        process.stdout.write(text + '\n');
        last = text;
      }
    }
    if (done) return client.waitForReport(id);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** The options that build a teardown request (read by requestFromFlags); shared by `start` and `schedule create`. */
export function addRequestOptions(command: Command): Command {
  return command
    .option(
      '-f, --file <path>',
      'request as a JSON or YAML file ({ resources, options, requestedBy, reason })',
    )
    .addOption(new Option('-k, --kind <kind>', 'resource kind').choices([...KIND_NAMES]))
    .option('-r, --region <region>', 'region, e.g. cn-hangzhou')
    .option('--app-id <appId>', 'SAE application id (alibabacloud.sae.instance)')
    .option('-i, --ids <ids>', 'ids, comma separated (repeatable)', splitIds)
    .option(
      '--select-kind <kind>',
      `discover resources of this kind instead of naming ids (${KIND_NAMES.join(', ')})`,
    )
    .option(
      '--tag <key[=value]>',
      'with --select-kind: the resource carries this tag (repeatable; all must match)',
      collectValues,
    )
    .option('--name-prefix <prefix>', 'with --select-kind: the resource name starts with this')
    .option('--older-than <duration>', 'with --select-kind: created longer ago than this, e.g. 4h')
    .option(
      '--max-resources <n>',
      'refuse (delete nothing) when selectors match more than this many (default 1000)',
    )
    .option(
      '--protect-tag <key[=value]>',
      'resources with this tag are never selected (default teardown:protect=true)',
    )
    .option('--dry-run', 'preflight only: report what would be deleted')
    .option('--force', 'delete running instances without stopping them first')
    .option('--convert-prepaid', 'convert prepaid instances to pay-as-you-go first')
    .option('--require-approval', 'wait for `teardown approve` after preflight')
    .option('--deadline <duration>', 'how long the whole teardown may take, e.g. 30m')
    .option('--poll-interval <duration>', 'how often to poll the provider, e.g. 3s')
    .option('--requested-by <who>', 'who asks (defaults to $USER)')
    .option('--reason <text>', 'why');
}

export function buildCli(connect: () => Promise<TeardownClient> = () => connectTeardownClient()): Command {
  const program = new Command('teardown')
    .description('Start and follow durable cloud resource teardowns (cloud-teardown on Temporal)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .showHelpAfterError();
  const outputOf = (): Output => program.opts<{ output: Output }>().output;
  let exitCode: number = EXIT_CODES.ok;
  const finish = (report: TeardownReport) => {
    print(outputOf(), report, formatReport(report));
    exitCode = exitCodeFor(report.status);
  };

  addRequestOptions(
    program
      .command('start')
      .description('start a teardown (idempotent per id)')
      .argument('<id>', 'your idempotency key; the workflow id is teardown-<id>'),
  )
    .option('--at <time>', 'start at this ISO 8601 time (waits durably until then; see `postpone`)')
    .option('--after <duration>', 'start after this long, e.g. 4h (same as --at now+duration)')
    .option('--wait', 'wait for the report and exit with its status code')
    .option('--watch', 'show live progress until done')
    .action(async (id: string, flags: StartFlags) => {
      // Validate before connecting: bad input is refused without touching Temporal.
      const request = parseTeardownRequest(requestFromFlags(flags));
      const client = await connect();
      const started = await client.startTeardown(id, request);
      if (!flags.wait && !flags.watch) {
        print(
          outputOf(),
          started,
          `${started.started ? 'started' : 'already exists (not started again)'}: ${started.workflowId}`,
        );
        return;
      }
      if (outputOf() === 'text')
        process.stdout.write(`${started.started ? 'started' : 'already exists'}: ${started.workflowId}\n`);
      finish(flags.watch ? await watch(client, id, outputOf()) : await client.waitForReport(id));
    });

  program
    .command('status')
    .description('print the current (or final) report')
    .argument('<id>')
    .action(async (id: string) => {
      const client = await connect();
      const report = await client.getProgress(id);
      print(outputOf(), report, formatReport(report));
      if (report.phase === 'done') exitCode = exitCodeFor(report.status);
    });

  program
    .command('watch')
    .description('live progress per kind until the teardown is done')
    .argument('<id>')
    .action(async (id: string) => finish(await watch(await connect(), id, outputOf())));

  program
    .command('approve')
    .description('approve a teardown waiting in awaiting-approval')
    .argument('<id>')
    .requiredOption('--by <who>', 'who approves')
    .option('--comment <text>')
    .action(async (id: string, flags: { by: string; comment?: string }) => {
      const report = await (await connect()).approve(id, { approvedBy: flags.by, comment: flags.comment });
      print(outputOf(), report, `approved by ${flags.by}\n${formatReport(report)}`);
    });

  program
    .command('reject')
    .description('reject a teardown waiting in awaiting-approval')
    .argument('<id>')
    .requiredOption('--by <who>', 'who rejects')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, flags: { by: string; reason: string }) => {
      const report = await (await connect()).reject(id, { rejectedBy: flags.by, reason: flags.reason });
      print(outputOf(), report, `rejected by ${flags.by}`);
    });

  program
    .command('postpone')
    .description('move the start time of a teardown still waiting for it (started with --at/--after)')
    .argument('<id>')
    .option('--until <time>', 'the new start time, ISO 8601')
    .option('--by <duration>', 'move the current start time later by this much, e.g. 2h')
    .action(async (id: string, flags: { until?: string; by?: string }) => {
      if ((flags.until === undefined) === (flags.by === undefined)) {
        throw invalid('postpone needs either --until <time> or --by <duration>');
      }
      const until = flags.until !== undefined ? futureTime('--until', flags.until) : undefined;
      const byMs = flags.by !== undefined ? durationFlag('--by', flags.by) : 0;
      const client = await connect();
      let target = until;
      if (target === undefined) {
        const current = await client.scheduledStart(id);
        if (!current)
          throw new CliError(
            `${teardownWorkflowId(id)} was started without a start time (--at/--after): nothing to postpone`,
          );
        target = new Date(current.getTime() + byMs).toISOString();
      }
      const report = await client.postpone(id, target);
      print(
        outputOf(),
        { workflowId: teardownWorkflowId(id), until: target, report },
        `postponed ${teardownWorkflowId(id)} until ${target}`,
      );
    });

  program
    .command('cancel')
    .description('cancel: no new deletions start, in-flight ones finish, the report says cancelled')
    .argument('<id>')
    .action(async (id: string) => {
      await (await connect()).cancel(id);
      print(
        outputOf(),
        { cancelRequested: teardownWorkflowId(id) },
        `cancellation requested: ${teardownWorkflowId(id)}`,
      );
    });

  program
    .command('list')
    .description('list teardowns, optionally filtered by a visibility query')
    .option('-q, --query <query>', 'e.g. TeardownStatus = "partially-failed"')
    .option(
      '-n, --limit <n>',
      'at most this many',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
        return n;
      },
      50,
    )
    .action(async (flags: { query?: string; limit: number }) => {
      const rows = await (await connect()).listTeardowns(flags.query, flags.limit);
      const text = rows
        .map(
          (r) =>
            `${r.workflowId}  ${r.teardownStatus ?? r.status}  ${r.resourceCount ?? '?'} resources  ${r.failedCount ?? 0} failed  ${r.kinds.join(',')}`,
        )
        .join('\n');
      print(outputOf(), rows, text || 'no teardowns');
    });

  addScheduleCommands(program, connect, outputOf);

  program.hook('postAction', () => {
    process.exitCode = exitCode;
  });
  return program;
}

/** Maps errors to a message that says what to fix, and an exit code. */
export function explainError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof InvalidTeardownRequest)
    return { message: err.message, exitCode: EXIT_CODES.invalidInput };
  if (err instanceof WorkflowNotFoundError) {
    // Updates (approve, reject, postpone) on a finished teardown fail with NotFound too.
    if (/already completed/i.test(err.message)) {
      return {
        message: `${err.workflowId} has already finished (see \`teardown status\`)`,
        exitCode: EXIT_CODES.error,
      };
    }
    return { message: `no such teardown: ${err.workflowId}`, exitCode: EXIT_CODES.error };
  }
  // Refused by the workflow (e.g. approve without requireApproval): its reason is in the cause.
  if (err instanceof WorkflowUpdateFailedError) {
    return { message: `refused: ${err.cause?.message ?? err.message}`, exitCode: EXIT_CODES.error };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|UNAVAILABLE|connect/i.test(message)) {
    return {
      message: `cannot reach Temporal (${message}); set TEMPORAL_ADDRESS or a temporal.toml profile`,
      exitCode: EXIT_CODES.error,
    };
  }
  return { message, exitCode: EXIT_CODES.error };
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .then(() => process.exit(process.exitCode ?? 0))
    .catch((err) => {
      const { message, exitCode } = explainError(err);
      process.stderr.write(`teardown: ${message}\n`);
      process.exit(exitCode);
    });
}
