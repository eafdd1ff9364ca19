// `teardown start|status|watch|approve|reject|postpone|cancel|list`: the CLI over TeardownClient.
import type { Command } from 'commander';
import { parseTeardownRequest, teardownWorkflowId, type TeardownReport } from '../contract';
import { CliError, durationFlag, futureTime, invalid, positiveInt, print } from './cli-common';
import type { CliContext } from './cli-context';
import { exitCodeFor, formatProgressBars, formatReport } from './format';
import { addRequestOptions, requestFromFlags, type StartFlags } from './request-flags';
import type { TeardownClient } from './teardown-client';

const POLL_MS = 1_000;

async function watch(client: TeardownClient, id: string, ctx: CliContext): Promise<TeardownReport> {
  const tty = process.stdout.isTTY && ctx.output() === 'text';
  let last = '';
  for (;;) {
    const report = await client.getProgress(id);
    const done = report.phase === 'done' || !['running', 'awaiting-approval'].includes(report.status);
    if (ctx.output() === 'text') {
      const text = formatProgressBars(report);
      if (text !== last) {
        if (tty && last) process.stdout.write(`\x1b[${last.split('\n').length}A\x1b[J`);
        process.stdout.write(text + '\n');
        last = text;
      }
    }
    if (done) return client.waitForReport(id);
    await new Promise((r) => setTimeout(r, POLL_MS));
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
      .argument('<id>', 'your idempotency key; the workflow id is teardown-<id>'),
  )
    .option('--at <time>', 'start at this ISO 8601 time (waits durably until then; see `postpone`)')
    .option('--after <duration>', 'start after this long, e.g. 4h (same as --at now+duration)')
    .option('--wait', 'wait for the report and exit with its status code')
    .option('--watch', 'show live progress until done')
    .action(async (id: string, flags: StartFlags) => {
      // Validate before connecting: bad input is refused without touching Temporal.
      const request = parseTeardownRequest(requestFromFlags(flags));
      const client = await ctx.connect();
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
    .argument('<id>')
    .action(async (id: string) => {
      const report = await (await ctx.connect()).getProgress(id);
      print(ctx.output(), report, formatReport(report));
      if (report.phase === 'done') ctx.setExitCode(exitCodeFor(report.status));
    });

  program
    .command('watch')
    .description('live progress per kind until the teardown is done')
    .argument('<id>')
    .action(async (id: string) => finish(ctx, await watch(await ctx.connect(), id, ctx)));
}

function addDecisions(program: Command, ctx: CliContext): void {
  program
    .command('approve')
    .description('approve a teardown waiting in awaiting-approval')
    .argument('<id>')
    .requiredOption('--by <who>', 'who approves')
    .option('--comment <text>')
    .action(async (id: string, flags: { by: string; comment?: string }) => {
      const report = await (
        await ctx.connect()
      ).approve(id, { approvedBy: flags.by, comment: flags.comment });
      print(ctx.output(), report, `approved by ${flags.by}\n${formatReport(report)}`);
    });

  program
    .command('reject')
    .description('reject a teardown waiting in awaiting-approval')
    .argument('<id>')
    .requiredOption('--by <who>', 'who rejects')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, flags: { by: string; reason: string }) => {
      const report = await (await ctx.connect()).reject(id, { rejectedBy: flags.by, reason: flags.reason });
      print(ctx.output(), report, `rejected by ${flags.by}`);
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
    .argument('<id>')
    .action(async (id: string) => {
      await (await ctx.connect()).cancel(id);
      const workflowId = teardownWorkflowId(id);
      print(ctx.output(), { cancelRequested: workflowId }, `cancellation requested: ${workflowId}`);
    });
}

function addList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list teardowns, optionally filtered by a visibility query')
    .option('-q, --query <query>', 'e.g. TeardownStatus = "partially-failed"')
    .option('-n, --limit <n>', 'at most this many', positiveInt, 50)
    .action(async (flags: { query?: string; limit: number }) => {
      const rows = await (await ctx.connect()).listTeardowns(flags.query, flags.limit);
      const text = rows
        .map(
          (r) =>
            `${r.workflowId}  ${r.teardownStatus ?? r.status}  ${r.resourceCount ?? '?'} resources  ${r.failedCount ?? 0} failed  ${r.kinds.join(',')}`,
        )
        .join('\n');
      print(ctx.output(), rows, text || 'no teardowns');
    });
}

export function addTeardownCommands(program: Command, ctx: CliContext): void {
  addStart(program, ctx);
  addFollow(program, ctx);
  addDecisions(program, ctx);
  addList(program, ctx);
}
