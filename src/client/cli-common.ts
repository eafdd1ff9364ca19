// What every `teardown` command shares: output modes, the error type that carries an exit code, and
// the flag parsers (repeatable values, ids, positive integers, times, durations), each written once.
import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../contract';
import { echo } from '../echo';
import { callerIdProblem } from './ids';
import { EXIT_CODES } from './format';

export const OUTPUTS = ['text', 'json', 'jsonl'] as const;
export type Output = (typeof OUTPUTS)[number];

/** An error whose message says what to fix, with the exit code the CLI ends with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.error,
  ) {
    super(message);
  }
}

/** A usage error: exit code 2. */
export const invalid = (message: string) => new CliError(message, EXIT_CODES.invalidInput);

/** `json` pretty-prints one document, `jsonl` writes it on one line, `text` writes the text. */
export function print(output: Output, json: unknown, text: string): void {
  const line =
    output === 'json' ? JSON.stringify(json, null, 2) : output === 'jsonl' ? JSON.stringify(json) : text;
  process.stdout.write(line + '\n');
}

/** For repeatable flags (--tag a --tag b). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --ids a,b --ids c: commas or spaces, repeatable. */
export function splitIds(value: string, previous: string[] = []): string[] {
  const ids = value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('expected one or more ids separated by commas');
  return [...previous, ...ids];
}

/** "12" -> 12; undefined unless the text is a positive integer. */
export function positiveInteger(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) >= 1 ? Number(text) : undefined;
}

/** commander's parser for a positive integer flag, e.g. --limit. */
export function positiveInt(value: string): number {
  const n = positiveInteger(value);
  if (n === undefined) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const TIME_EXAMPLE = 'an ISO 8601 time like "2026-11-27T18:00:00Z"';
const DURATION_EXAMPLE = 'a positive duration like "90s", "30m" or "4h"';

/** A future time given on the command line (`--at`, `postpone --until`); refuses the past. */
export function futureTime(flag: string, text: string, now: number = Date.now()): string {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw invalid(`${flag}: ${echo(text)} is not a time; give ${TIME_EXAMPLE}`);
  if (at <= now) throw invalid(`${flag}: ${text} is in the past; give a future time`);
  return text;
}

/** A duration given on the command line (`--after`, `postpone --by`), in milliseconds. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDurationMs(text);
  if (!ms) throw invalid(`${flag}: ${echo(text)} must be ${DURATION_EXAMPLE}`);
  return ms;
}

/** commander's parser for an <id> argument: refused before anything connects (exit 2). */
export function teardownIdArg(value: string): string {
  const problem = callerIdProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}
