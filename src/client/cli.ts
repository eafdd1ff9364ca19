// The `teardown` CLI: start, status, watch, approve, reject, cancel, list, schedule. `--output json` on every
// command for scripts; exit codes distinguish completed, partially-failed, failed and cancelled.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  connectTeardownClient,
  InvalidTeardownRequest,
  KIND_NAMES,
  parseTeardownRequest,
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
    throw new CliError(`--file: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`, EXIT_CODES.invalidInput);
  }
}

export interface StartFlags {
  file?: string;
  kind?: string;
  region?: string;
  appId?: string;
  ids?: string[];
  dryRun?: boolean;
  force?: boolean;
  convertPrepaid?: boolean;
  requireApproval?: boolean;
  deadline?: string;
  pollInterval?: string;
  requestedBy?: string;
  reason?: string;
  wait?: boolean;
  watch?: boolean;
}

export function requestFromFlags(flags: StartFlags): unknown {
  if (flags.file) {
    if (flags.kind || flags.ids) throw new CliError('use either --file or --kind/--ids, not both', EXIT_CODES.invalidInput);
    return readRequestFile(flags.file);
  }
  if (!flags.kind || !flags.ids) {
    throw new CliError('start needs --kind and --ids (or --file with a request)', EXIT_CODES.invalidInput);
  }
  const options = {
    dryRun: flags.dryRun,
    force: flags.force,
    convertPrepaid: flags.convertPrepaid,
    requireApproval: flags.requireApproval,
    deadline: flags.deadline,
    pollInterval: flags.pollInterval,
  };
  return {
    resources: [{ kind: flags.kind, region: flags.region, appId: flags.appId, ids: flags.ids }],
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
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
    .option('-f, --file <path>', 'request as a JSON or YAML file ({ resources, options, requestedBy, reason })')
    .addOption(new Option('-k, --kind <kind>', 'resource kind').choices([...KIND_NAMES]))
    .option('-r, --region <region>', 'region, e.g. cn-hangzhou')
    .option('--app-id <appId>', 'SAE application id (alibabacloud.sae.instance)')
    .option('-i, --ids <ids>', 'ids, comma separated (repeatable)', splitIds)
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
    .option('--wait', 'wait for the report and exit with its status code')
    .option('--watch', 'show live progress until done')
    .action(async (id: string, flags: StartFlags) => {
      // Validate before connecting: bad input is refused without touching Temporal.
      const request = parseTeardownRequest(requestFromFlags(flags));
      const client = await connect();
      const started = await client.startTeardown(id, request);
      if (!flags.wait && !flags.watch) {
        print(outputOf(), started, `${started.started ? 'started' : 'already exists (not started again)'}: ${started.workflowId}`);
        return;
      }
      if (outputOf() === 'text') process.stdout.write(`${started.started ? 'started' : 'already exists'}: ${started.workflowId}\n`);
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
    .command('cancel')
    .description('cancel: no new deletions start, in-flight ones finish, the report says cancelled')
    .argument('<id>')
    .action(async (id: string) => {
      await (await connect()).cancel(id);
      print(outputOf(), { cancelRequested: id }, `cancellation requested: ${id}`);
    });

  program
    .command('list')
    .description('list teardowns, optionally filtered by a visibility query')
    .option('-q, --query <query>', 'e.g. TeardownStatus = "partially-failed"')
    .option('-n, --limit <n>', 'at most this many', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
      return n;
    }, 50)
    .action(async (flags: { query?: string; limit: number }) => {
      const rows = await (await connect()).listTeardowns(flags.query, flags.limit);
      const text = rows
        .map((r) => `${r.workflowId}  ${r.teardownStatus ?? r.status}  ${r.resourceCount ?? '?'} resources  ${r.failedCount ?? 0} failed  ${r.kinds.join(',')}`)
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
  if (err instanceof InvalidTeardownRequest) return { message: err.message, exitCode: EXIT_CODES.invalidInput };
  if (err instanceof WorkflowNotFoundError) return { message: `no such teardown: ${err.workflowId}`, exitCode: EXIT_CODES.error };
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|UNAVAILABLE|connect/i.test(message)) {
    return { message: `cannot reach Temporal (${message}); set TEMPORAL_ADDRESS or a temporal.toml profile`, exitCode: EXIT_CODES.error };
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
