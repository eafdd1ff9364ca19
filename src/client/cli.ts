#!/usr/bin/env node
// The `teardown` CLI: start, status, watch, approve, reject, postpone, cancel, list, schedule.
// Follows the `temporal` CLI's conventions: its connection flags over Temporal's environment
// configuration, -o text|json|jsonl, usage errors exit 2 with one line and a hint. The Temporal SDK
// is loaded only when a command connects, so `teardown --help` starts fast.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { echo, ECHO_MAX_CHARS } from '../echo';
import { OUTPUTS, type Output } from './cli-common';
import type { CliContext } from './cli-context';
import type { ConnectOptions } from './connection';
import { terminalAsk, type Ask } from './confirm';
import { explainError } from './explain';
import { EXIT_CODES } from './format';
import { addScheduleCommands } from './schedules-cli';
import { addTeardownCommands } from './teardown-commands';
import type { TeardownClient } from './teardown-client';

export { CliError } from './cli-common';
export { explainError } from './explain';
export { requestFromFlags } from './request-flags';

export type Connect = (options: ConnectOptions) => Promise<TeardownClient>;

const USAGE_HINT = "(run 'teardown --help' or 'teardown <command> --help' for usage)";

/** commander quotes a refused value in full ('...'): shorten any quoted run too long to echo whole. */
const LONG_QUOTED = new RegExp(`'([^'\\n]{${ECHO_MAX_CHARS + 1},})'`, 'g');
export const shortenQuoted = (text: string): string => text.replace(LONG_QUOTED, (_, value) => echo(value));

interface GlobalFlags {
  output: Output;
  address?: string;
  namespace?: string;
  profile?: string;
  configFile?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  apiKey?: string;
}

const defaultConnect: Connect = async (options) =>
  (await import('./teardown-client')).connectTeardownClient(options);

function packageVersion(): string {
  // src/client and dist/client both sit two levels below package.json.
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUTS).default('text'))
    .option('--address <host:port>', 'Temporal frontend address (TEMPORAL_ADDRESS)')
    .option('-n, --namespace <namespace>', 'Temporal namespace (TEMPORAL_NAMESPACE)')
    .option('--profile <name>', 'profile in the config file (TEMPORAL_PROFILE)')
    .option('--config-file <path>', 'temporal.toml to read profiles from (TEMPORAL_CONFIG_FILE)')
    .option('--tls', 'connect with TLS (TEMPORAL_TLS)')
    .option('--tls-cert-path <path>', 'client certificate for mTLS (TEMPORAL_TLS_CLIENT_CERT_PATH)')
    .option('--tls-key-path <path>', 'client key for mTLS (TEMPORAL_TLS_CLIENT_KEY_PATH)')
    .option('--tls-ca-path <path>', 'server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)')
    .option('--api-key <key>', 'API key (TEMPORAL_API_KEY)');
}

function connectOptionsOf(flags: GlobalFlags): ConnectOptions {
  return {
    profile: flags.profile,
    configFile: flags.configFile,
    overrides: {
      address: flags.address,
      namespace: flags.namespace,
      apiKey: flags.apiKey,
      tls: flags.tls,
      tlsCertPath: flags.tlsCertPath,
      tlsKeyPath: flags.tlsKeyPath,
      tlsCaPath: flags.tlsCaPath,
    },
  };
}

/** How the CLI talks to a person; tests inject both. */
export interface Terminal {
  interactive(): boolean;
  ask: Ask;
}

const realTerminal: Terminal = {
  interactive: () => Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: terminalAsk,
};

export function buildCli(connect: Connect = defaultConnect, terminal: Terminal = realTerminal): Command {
  const program = new Command('teardown')
    .description('Start and follow durable cloud resource teardowns (cloud-teardown on Temporal)')
    .version(packageVersion(), '--version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(shortenQuoted(text)) })
    .showHelpAfterError(USAGE_HINT);
  addGlobalOptions(program);
  const flags = () => program.opts<GlobalFlags>();
  let exitCode: number = EXIT_CODES.ok;
  const ctx: CliContext = {
    connect: () => connect(connectOptionsOf(flags())),
    output: () => flags().output,
    setExitCode: (code) => {
      exitCode = code;
    },
    interactive: () => terminal.interactive(),
    ask: (question) => terminal.ask(question),
  };
  addTeardownCommands(program, ctx);
  addScheduleCommands(program, ctx);
  program.hook('postAction', () => {
    process.exitCode = exitCode;
  });
  return program;
}

/** Runs the CLI as the `teardown` binary does: maps every error to one message and an exit code. */
export async function main(argv: string[] = process.argv, connect?: Connect): Promise<number> {
  try {
    await buildCli(connect).parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    const { message, exitCode } = explainError(err);
    // commander has already printed its one line and the hint.
    if (err instanceof CommanderError) return exitCode;
    process.stderr.write(`teardown: ${message}\n`);
    if (exitCode === EXIT_CODES.invalidInput && !message.includes('\n'))
      process.stderr.write(`${USAGE_HINT}\n`);
    return exitCode;
  }
}

/** The binary: exits with main's code once stdout has been written out (a pipe is asynchronous). */
export function run(): void {
  void main().then((code) => process.stdout.write('', () => process.exit(code)));
}

if (require.main === module) run();
