// Runs the `teardown` CLI in-process (buildCli with an injected connection and terminal) and
// captures what it writes, as the binary would report it (explainError maps thrown errors).
import { buildCli, explainError, type Connect, type Terminal } from '../../src/client/cli';

export interface CliRun {
  stdout: string;
  stderr: string;
  /** What the binary would exit with: process.exitCode after success, explainError's code after a throw. */
  exitCode: number;
  error?: unknown;
}

/** No person at a terminal: nothing is asked. */
export const NO_TTY: Terminal = {
  interactive: () => false,
  ask: () => Promise.reject(new Error('asked without a TTY')),
};

/** Runs the CLI in-process; never throws (a thrown error is returned, as the binary would report it). */
export async function runCli(args: string[], connect: Connect, terminal: Terminal = NO_TTY): Promise<CliRun> {
  const saved = process.exitCode;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  let error: unknown;
  let exitCode: number;
  try {
    await buildCli(connect, terminal).parseAsync(args, { from: 'user' });
    exitCode = Number(process.exitCode ?? 0);
  } catch (e) {
    error = e;
    exitCode = explainError(e).exitCode;
  } finally {
    process.exitCode = saved;
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout: stdout.join(''), stderr: stderr.join(''), exitCode, error };
}
