// Confirmation before a real teardown started by a person at a terminal: a dry-run preflight of the
// same request first, what it would delete (counts per kind, the first ids), and the person types
// the number of resources. `--yes` skips it; without a TTY nothing is asked.
import type { TeardownReport, TeardownRequest } from '../contract';
import { CliError } from './cli-common';
import { table } from './format';
import type { TeardownClient } from './teardown-client';
import { echo } from '../echo';

export type Ask = (question: string) => Promise<string>;

const FIRST_IDS = 5;

/** The preflight's own id: a dry run beside the real one, never the same workflow. */
export function preflightId(id: string, now: number = Date.now()): string {
  return `${id.slice(0, 170)}.preflight-${now.toString(36)}`;
}

/** Counts per kind and region and the first ids of what the preflight would delete. */
export function formatWouldDelete(report: TeardownReport): { count: number; text: string } {
  const groups = new Map<string, string[]>();
  for (const r of report.resources) {
    if (r.outcome !== 'would-delete') continue;
    const key = `${r.kind}\t${r.region || '-'}`;
    groups.set(key, [...(groups.get(key) ?? []), r.id]);
  }
  const rows = [...groups].map(([key, ids]) => {
    const [kind, region] = key.split('\t') as [string, string];
    const first = ids.slice(0, FIRST_IDS).join(', ') + (ids.length > FIRST_IDS ? ', ...' : '');
    return [kind, region, String(ids.length), first];
  });
  const count = rows.reduce((n, row) => n + Number(row[2]), 0);
  const skipped = report.resources.length - count;
  const text = [
    `This teardown would delete ${count} resource(s)${skipped ? ` (${skipped} not, see the preflight)` : ''}:`,
    table(['KIND', 'REGION', 'COUNT', 'FIRST IDS'], rows),
  ].join('\n');
  return { count, text };
}

/**
 * Runs the preflight, shows what would be deleted and asks for the number. Returns when the person
 * confirmed; throws CliError (nothing started) otherwise.
 */
export async function confirmTeardown(
  client: TeardownClient,
  id: string,
  request: TeardownRequest,
  ask: Ask,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const dryRun: TeardownRequest = {
    ...request,
    options: { ...request.options, dryRun: true, requireApproval: false, startAt: undefined },
  };
  const preflight = preflightId(id);
  write(`preflight (dry run ${preflight})...\n`);
  await client.startTeardown(preflight, dryRun);
  const report = await client.waitForReport(preflight);
  const { count, text } = formatWouldDelete(report);
  write(`${text}\n`);
  if (count === 0) throw new CliError('the preflight found nothing to delete: nothing was started');
  const answer = (await ask(`Type ${count} to delete them (anything else stops):`)).trim();
  if (answer !== String(count))
    throw new CliError(`not confirmed (typed ${echo(answer)}): nothing was started`);
}

/** The terminal prompt (@inquirer/input), loaded only when a person is asked. */
export const terminalAsk: Ask = async (question) => {
  const { default: input } = await import('@inquirer/input');
  return input({ message: question });
};
