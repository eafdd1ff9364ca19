// Runs the `teardown` CLI in-process (buildCli with an injected connection and terminal) and
// captures what it writes, as the binary would report it (explainError maps thrown errors).
import { buildCli, explainError, type Connect, type Terminal } from '../../src/client/cli';
import { FIXTURES } from '../helpers/kinds';
import type { Stack } from '../helpers/stack';

const fx = FIXTURES['alibabacloud.ecs.instance'];

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

export interface EcsSeed {
  attributes?: Record<string, unknown>;
  tags?: Record<string, string>;
  name?: string;
  createdAt?: string;
}

/** Seeds `count` stopped pay-as-you-go ECS instances in the emulator; returns their ids. */
export function seedEcs(stack: Stack, count: number, spec: EcsSeed = {}): string[] {
  const ids = Array.from({ length: count }, () => fx.newId());
  stack.emulator.seed(
    ids.map((id) => ({
      type: fx.kind,
      region: fx.region!,
      id,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid', ...spec.attributes },
      ...(spec.tags ? { tags: spec.tags } : {}),
      ...(spec.name ? { name: spec.name } : {}),
      ...(spec.createdAt ? { createdAt: spec.createdAt } : {}),
    })),
  );
  return ids;
}

/** start flags naming ECS instances in the fixture's region, polled fast. */
export const ecsFlags = (ids: string[]) => [
  '--kind',
  fx.kind,
  '--region',
  fx.region!,
  '--ids',
  ids.join(','),
  '--poll-interval',
  '300ms',
];
