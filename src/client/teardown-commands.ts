// `teardown start|status|watch|approve|reject|postpone|cancel|list`: the CLI over TeardownClient.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { parseTeardownRequest, teardownWorkflowId, type TeardownReport } from '../contract';
import { CliError, durationFlag, futureTime, invalid, positiveInt, print, teardownIdArg } from './cli-common';
import type { CliContext } from './cli-context';
import { confirmTeardown } from './confirm';
import { exitCodeFor, formatReport, formatTeardownList } from './format';
import { ProgressView } from './progress-view';
import { addRequestOptions, requestFromFlags, type StartFlags } from './request-flags';
import type { TeardownClient } from './teardown-client';

const POLL_MS = 1_000;
/** How long `approve` waits for the workflow to leave awaiting-approval before printing the report. */
const APPROVAL_EFFECT_MS = 10_000;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The report once the approval took effect: the teardown has left awaiting-approval (or ended). */
async function afterApproval(client: TeardownClient, id: string): Promise<TeardownReport> {
  const until = Date.now() + APPROVAL_EFFECT_MS;
  for (;;) {
    const report = await client.getProgress(id);
    if (report.status !== 'awaiting-approval' || Date.now() > until) return report;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function watch(client: TeardownClient, id: string, ctx: CliContext): Promise<TeardownReport> {
  const view = ctx.output() === 'text' ? new ProgressView() : undefined;
  try {
    for (;;) {
      const report = await client.getProgress(id);
      view?.update(report);
      if (report.phase === 'done' || !['running', 'awaiting-approval'].includes(report.status)) {
        return client.waitForReport(id);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    view?.stop();
  }
}

function finish(ctx: CliContext, report: TeardownReport): void {
  print(ctx.output(), report, formatReport(report));
  ctx.setExitCode(exitCodeFor(report.status));
}

function addStart(program: Command, ctx: CliContext): void {
  addRequestOptions(
    program
      .command('start')
      .description('start a teardown (idempotent per id)')
      .argument('<id>', 'your idempotency key; the workflow id is teardown-<id>', teardownIdArg),
  )
    .option('--at <time>', 'start at this ISO 8601 time (waits durably until then; see `postpone`)')
    .option('--after <duration>', 'start after this long, e.g. 4h (same as --at now+duration)')
    .option('--wait', 'wait for the report and exit with its status code')
    .option('--watch', 'show live progress until done')
    .option('-y, --yes', 'do not ask for confirmation (a person at a terminal is asked otherwise)')
    .action(async (id: string, flags: StartFlags & { yes?: boolean }) => {
      // Validate before connecting: bad input is refused without touching Temporal.
      const request = parseTeardownRequest(requestFromFlags(flags));
      const client = await ctx.connect();
      if (!request.options?.dryRun && !flags.yes && ctx.interactive() && ctx.output() === 'text') {
        await confirmTeardown(client, id, request, ctx.ask);
      }
      const started = await client.startTeardown(id, request);
      const verb = started.started ? 'started' : 'already exists with this request (not started again)';
      if (!flags.wait && !flags.watch) {
        print(ctx.output(), started, `${verb}: ${started.workflowId}`);
        return;
      }
      if (ctx.output() === 'text') process.stdout.write(`${verb}: ${started.workflowId}\n`);
      finish(ctx, flags.watch ? await watch(client, id, ctx) : await client.waitForReport(id));
    });
}

function addFollow(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('print the current (or final) report')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .action(async (id: string) => {
      const report = await (await ctx.connect()).getProgress(id);
      print(ctx.output(), report, formatReport(report));
      if (report.phase === 'done') ctx.setExitCode(exitCodeFor(report.status));
    });

  program
    .command('watch')
    .description('live progress per kind until the teardown is done')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .action(async (id: string) => finish(ctx, await watch(await ctx.connect(), id, ctx)));
}

function addDecisions(program: Command, ctx: CliContext): void {
  program
    .command('approve')
    .description('approve a teardown waiting in awaiting-approval')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .option('--by <who>', 'who approves (default: the OS user)')
    .option('--comment <text>')
    .action(async (id: string, flags: { by?: string; comment?: string }) => {
      const by = flags.by ?? osUser();
      const client = await ctx.connect();
      await client.approve(id, { approvedBy: by, comment: flags.comment });
      const report = await afterApproval(client, id);
      print(ctx.output(), report, `approved by ${by}\n${formatReport(report)}`);
    });

  program
    .command('reject')
    .description('reject a teardown waiting in awaiting-approval')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .requiredOption('--by <who>', 'who rejects')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, flags: { by: string; reason: string }) => {
      const report = await (await ctx.connect()).reject(id, { rejectedBy: flags.by, reason: flags.reason });
      print(ctx.output(), report, `rejected by ${flags.by}`);
    });

  program
    .command('postpone')
    .description('move the start time of a teardown still waiting for it (started with --at/--after)')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .option('--until <time>', 'the new start time, ISO 8601')
    .option('--by <duration>', 'move the current start time later by this much, e.g. 2h')
    .action(async (id: string, flags: { until?: string; by?: string }) => {
      if ((flags.until === undefined) === (flags.by === undefined)) {
        throw invalid('postpone needs either --until <time> or --by <duration>');
      }
      const until = flags.until !== undefined ? futureTime('--until', flags.until) : undefined;
      const byMs = flags.by !== undefined ? durationFlag('--by', flags.by) : 0;
      const client = await ctx.connect();
      let target = until;
      if (target === undefined) {
        const current = await client.scheduledStart(id);
        if (!current) {
          throw new CliError(
            `${teardownWorkflowId(id)} was started without a start time (--at/--after): nothing to postpone`,
          );
        }
        target = new Date(current.getTime() + byMs).toISOString();
      }
      const report = await client.postpone(id, target);
      const workflowId = teardownWorkflowId(id);
      print(ctx.output(), { workflowId, until: target, report }, `postponed ${workflowId} until ${target}`);
    });

  program
    .command('cancel')
    .description('cancel: no new deletions start, in-flight ones finish, the report says cancelled')
    .argument('<id>', 'the teardown id', teardownIdArg)
    .action(async (id: string) => {
      await (await ctx.connect()).cancel(id);
      const workflowId = teardownWorkflowId(id);
      print(ctx.output(), { cancelRequested: workflowId }, `cancellation requested: ${workflowId}`);
    });
}

/** What `list --blocked` and `list --failed` ask visibility (printed with -o json). */
export const BLOCKED_QUERY = `ExecutionStatus = "Running" AND TeardownBlockedOn IS NOT NULL AND TeardownBlockedOn != ""`;
export const FAILED_QUERY = `TeardownStatus IN ("failed", "partially-failed") OR TeardownFailedCount > 0`;

function listQuery(flags: { query?: string; blocked?: boolean; failed?: boolean }): string | undefined {
  const parts = [
    ...(flags.blocked ? [BLOCKED_QUERY] : []),
    ...(flags.failed ? [FAILED_QUERY] : []),
    ...(flags.query ? [flags.query] : []),
  ];
  return parts.length > 1 ? parts.map((p) => `(${p})`).join(' AND ') : parts[0];
}

function addList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list teardowns, optionally filtered by a visibility query')
    .option('-q, --query <query>', 'e.g. TeardownStatus = "partially-failed"')
    .option('--blocked', 'only running teardowns blocked on something (TeardownBlockedOn set)')
    .option('--failed', 'only teardowns with failed resources (finished or not)')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action(async (flags: { query?: string; blocked?: boolean; failed?: boolean; limit: number }) => {
      const query = listQuery(flags);
      const client = await ctx.connect();
      const rows = await client.listTeardowns(query, flags.limit).catch((err: unknown) => {
        // The server's reason for refusing a query (in the SDK error's cause) is the useful part.
        const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
        if (/INVALID_ARGUMENT/.test(reason)) {
          throw invalid(`--query ${JSON.stringify(query)}: ${reason.replace(/^\d+ INVALID_ARGUMENT: /, '')}`);
        }
        throw err;
      });
      if (ctx.output() === 'jsonl') for (const row of rows) print('jsonl', row, '');
      else print(ctx.output(), { query: query ?? null, teardowns: rows }, formatTeardownList(rows));
    });
}

export function addTeardownCommands(program: Command, ctx: CliContext): void {
  addStart(program, ctx);
  addFollow(program, ctx);
  addDecisions(program, ctx);
  addList(program, ctx);
}
