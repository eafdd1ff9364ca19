// The one place a teardown request is built from command-line flags (`start`, `schedule create`).
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { echo } from '../echo';
import { KIND_NAMES } from '../kinds';
import { collect, durationFlag, futureTime, invalid, positiveInteger, splitIds } from './cli-common';

export interface StartFlags {
  file?: string;
  kind?: string;
  region?: string;
  appId?: string;
  /** An account of the worker's account map, for --ids and --select-kind alike. */
  account?: string;
  ids?: string[];
  /** Discovery instead of (or beside) ids: one selector of this kind, with --tag / --name-prefix / --older-than. */
  selectKind?: string;
  tag?: string[];
  namePrefix?: string;
  olderThan?: string;
  /** Kept as text so requestFromFlags names the flag in its refusal. */
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

/**
 * A request file, JSON or YAML whatever its name: JSON is tried first (YAML would also accept most
 * JSON, but JSON's error messages are the clearer ones for a file that starts like JSON).
 */
export function readRequestFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw invalid(`--file: cannot read ${path}: ${(err as Error).message}`);
  }
  const looksJson = /^\s*[[{]/.test(text);
  try {
    return looksJson ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    throw invalid(`--file: ${path} is not valid ${looksJson ? 'JSON' : 'YAML'}: ${message}`);
  }
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
  const n = positiveInteger(text);
  if (n === undefined) throw invalid(`--max-resources: ${echo(text)} must be a positive integer`);
  return n;
}

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionsOf(flags: StartFlags, now: number) {
  return defined({
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
}

function selectorFlagsOf(flags: StartFlags): string[] {
  return [
    flags.tag?.length ? '--tag' : '',
    flags.namePrefix !== undefined ? '--name-prefix' : '',
    flags.olderThan !== undefined ? '--older-than' : '',
  ].filter(Boolean);
}

/** A --file request with the option flags (which win over the file's options) applied. */
function requestFromFile(flags: StartFlags, options: Record<string, unknown>): unknown {
  const what = [
    flags.kind !== undefined ? '--kind' : '',
    flags.ids ? '--ids' : '',
    flags.region !== undefined ? '--region' : '',
    flags.appId !== undefined ? '--app-id' : '',
    flags.account !== undefined ? '--account' : '',
    flags.selectKind !== undefined ? '--select-kind' : '',
    ...selectorFlagsOf(flags),
  ].filter(Boolean);
  if (what.length)
    throw invalid(`use either --file or ${what.join('/')}, not both (the file names the resources)`);
  const request = readRequestFile(flags.file!);
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

/**
 * Builds a teardown request from ids (--kind/--ids), a selector (--select-kind with
 * --tag/--name-prefix/--older-than), or a JSON/YAML --file; option flags (--dry-run, --at,
 * --max-resources, ...) apply to all three. Throws CliError (exit 2) naming the flag to fix; the
 * result is still validated by parseTeardownRequest.
 */
export function requestFromFlags(flags: StartFlags, now: number = Date.now(), command = 'start'): unknown {
  const options = optionsOf(flags, now);
  if (flags.file) return requestFromFile(flags, options);
  const selectorFlags = selectorFlagsOf(flags);
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
      `${command} needs --kind and --ids, or --select-kind with --tag/--name-prefix/--older-than, or --file with a request`,
    );
  }
  const selector = defined({
    kind: flags.selectKind,
    region: flags.region,
    appId: flags.appId,
    account: flags.account,
    tags: flags.tag,
    namePrefix: flags.namePrefix,
    olderThan: flags.olderThan,
  });
  return {
    resources:
      flags.kind !== undefined
        ? [
            {
              kind: flags.kind,
              region: flags.region,
              appId: flags.appId,
              account: flags.account,
              ids: flags.ids,
            },
          ]
        : [],
    ...(flags.selectKind !== undefined ? { selectors: [selector] } : {}),
    options,
    requestedBy: flags.requestedBy ?? process.env.USER,
    reason: flags.reason,
  };
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
    .option(
      '--account <name>',
      "an account of the worker's account map (default: the worker's own credentials)",
    )
    .option('-i, --ids <ids>', 'ids, comma separated (repeatable)', splitIds)
    .option(
      '--select-kind <kind>',
      `discover resources of this kind instead of naming ids (${KIND_NAMES.join(', ')})`,
    )
    .option(
      '--tag <key[=value]>',
      'with --select-kind: the resource carries this tag (repeatable; all must match)',
      collect,
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
