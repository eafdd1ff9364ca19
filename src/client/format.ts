// Human-readable rendering of teardown reports and lists (CLI and demo): tables through cli-table3,
// colours through picocolors, only on a TTY and never with NO_COLOR.
import Table from 'cli-table3';
import { createColors } from 'picocolors';
import type { ResourceReport, TeardownReport, TeardownStatus } from '../contract';
import type { TeardownSummary } from './list';

/** Exit codes of the CLI, distinct per final status so scripts can branch on them. */
export const EXIT_CODES = {
  ok: 0,
  error: 1,
  invalidInput: 2,
  partiallyFailed: 3,
  failed: 4,
  cancelled: 5,
  /** The id exists with a different request: nothing was started. */
  conflict: 6,
} as const;

export function exitCodeFor(status: TeardownStatus): number {
  switch (status) {
    case 'partially-failed':
      return EXIT_CODES.partiallyFailed;
    case 'failed':
      return EXIT_CODES.failed;
    case 'cancelled':
      return EXIT_CODES.cancelled;
    default:
      return EXIT_CODES.ok;
  }
}

/** Colours for `stream`: on a TTY only, and never when NO_COLOR is set (https://no-color.org). */
export function colorsFor(stream: { isTTY?: boolean } = process.stdout, env = process.env) {
  return createColors(Boolean(stream.isTTY) && !env.NO_COLOR);
}

const BAD = new Set(['failed', 'partially-failed', 'cancelled']);

function paintStatus(status: string): string {
  const c = colorsFor();
  if (BAD.has(status)) return c.red(status);
  if (status === 'completed' || status === 'deleted' || status === 'already-gone') return c.green(status);
  if (status === 'pending' || status === 'running' || status === 'awaiting-approval') return c.yellow(status);
  return status;
}

/** A borderless table with a header row and columns aligned, like the `temporal` CLI's lists. */
export function table(header: string[], rows: string[][]): string {
  const c = colorsFor();
  const t = new Table({
    head: header.map((h) => c.bold(h)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export function formatTotals(report: TeardownReport): string {
  const t = report.totals;
  const parts = [
    `${t.requested} requested`,
    `${t.deleted} deleted`,
    `${t.alreadyGone} already gone`,
    `${t.failed} failed`,
    `${t.skipped} skipped`,
    `${t.pending} pending`,
  ];
  if (t.notFound) parts.push(`${t.notFound} not found`);
  if (t.wouldDelete) parts.push(`${t.wouldDelete} would be deleted`);
  return `${paintStatus(report.status)} (${report.phase}): ${parts.join(', ')}`;
}

/** Resources still pending whose provider call keeps failing: what the teardown is blocked on. */
export function blockedResources(report: TeardownReport): ResourceReport[] {
  return report.resources.filter((r) => r.outcome === 'pending' && r.lastErrorCode);
}

/**
 * What blocks the teardown: the workflow's own lines when the report has them ("blocked on
 * ServiceUnavailable: 1 alibabacloud.ecs.instance in cn-hangzhou blocked: DeleteInstances answered
 * ServiceUnavailable 14 times since 18:15:04; next try 18:18:20; i-bp1..."), else one line per kind,
 * region and last error code of the resources still waiting (reports of older runs).
 */
export function formatBlocked(report: TeardownReport, firstIds = 3): string[] {
  const paint = colorsFor().yellow;
  if (report.blocked) {
    const [first, ...rest] = report.blocked.details.split('\n');
    return [paint(`blocked on ${report.blocked.on}: ${first}`), ...rest.map((line) => paint(`  ${line}`))];
  }
  const groups = new Map<string, ResourceReport[]>();
  for (const r of blockedResources(report)) {
    const key = `${r.kind}|${r.region}|${r.lastErrorCode}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const { kind, region, lastErrorCode } = rs[0]!;
    const since = rs
      .map((r) => r.lastErrorAt)
      .filter(Boolean)
      .sort()[0];
    const ids =
      rs
        .slice(0, firstIds)
        .map((r) => r.id)
        .join(', ') + (rs.length > firstIds ? ', ...' : '');
    return paint(
      `blocked: ${rs.length} ${kind}${region ? ` in ${region}` : ''} on ${lastErrorCode}${since ? ` (last at ${since})` : ''}: ${ids}`,
    );
  });
}

function detailOf(r: ResourceReport): string {
  return [
    r.message,
    r.lastErrorCode && r.lastErrorCode !== r.errorCode ? `last error ${r.lastErrorCode}` : '',
    r.attempts ? `${r.attempts} attempt(s)` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export function formatReport(report: TeardownReport): string {
  const rows = report.resources.map((r) => [
    r.kind,
    r.region || '-',
    r.id,
    paintStatus(r.outcome),
    r.errorCode ?? r.lastErrorCode ?? '',
    detailOf(r),
  ]);
  const lines = [formatTotals(report), ...formatBlocked(report)];
  if (report.message) lines.push(report.message);
  if (rows.length) lines.push('', table(['KIND', 'REGION', 'ID', 'OUTCOME', 'CODE', 'DETAIL'], rows));
  return lines.join('\n');
}

/** Settled / total (and failed) per kind, for progress views. */
export function progressByKind(
  report: TeardownReport,
): Map<string, { done: number; total: number; failed: number }> {
  const byKind = new Map<string, { done: number; total: number; failed: number }>();
  for (const r of report.resources) {
    const entry = byKind.get(r.kind) ?? { done: 0, total: 0, failed: 0 };
    entry.total++;
    if (r.outcome !== 'pending') entry.done++;
    if (r.outcome === 'failed') entry.failed++;
    byKind.set(r.kind, entry);
  }
  return byKind;
}

/** Progress as plain lines (no TTY): totals, then "kind done/total" per kind, then what blocks. */
export function formatProgress(report: TeardownReport): string {
  const lines = [...progressByKind(report)].map(
    ([kind, { done, total, failed }]) => `${kind} ${done}/${total}${failed ? ` (${failed} failed)` : ''}`,
  );
  return [formatTotals(report), ...lines, ...formatBlocked(report)].join('\n');
}

function shortTime(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d+Z$/, 'Z') : '';
}

/** `teardown list`: a header and aligned columns. */
export function formatTeardownList(rows: TeardownSummary[]): string {
  if (rows.length === 0) return 'no teardowns';
  return table(
    ['ID', 'STATUS', 'KINDS', 'RESOURCES', 'FAILED', 'BLOCKED ON', 'STARTED', 'REQUESTED BY'],
    rows.map((r) => [
      r.workflowId,
      paintStatus(r.teardownStatus ?? r.status.toLowerCase()),
      r.kinds.join(','),
      r.resourceCount === undefined ? '' : String(r.resourceCount),
      String(r.failedCount ?? 0),
      r.blockedOn ?? '',
      shortTime(r.startTime),
      r.requestedBy ?? '',
    ]),
  );
}
