// Human-readable rendering of teardown reports (CLI and demo).
import type { ResourceReport, TeardownReport, TeardownStatus } from '../contract';

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
  if (t.wouldDelete) parts.push(`${t.wouldDelete} would be deleted`);
  return `${report.status} (${report.phase}): ${parts.join(', ')}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function formatReport(report: TeardownReport): string {
  const rows = report.resources.map((r: ResourceReport) => [
    r.kind,
    r.region || '-',
    r.id,
    r.outcome,
    r.errorCode ?? '',
    [r.message, r.attempts ? `${r.attempts} attempt(s)` : ''].filter(Boolean).join('; '),
  ]);
  const header = ['KIND', 'REGION', 'ID', 'OUTCOME', 'CODE', 'DETAIL'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [formatTotals(report), '', line(header), ...rows.map(line)].join('\n');
}

/** One progress bar per kind: settled / total. */
export function formatProgressBars(report: TeardownReport, width = 30): string {
  const byKind = new Map<string, { done: number; total: number; failed: number }>();
  for (const r of report.resources) {
    const entry = byKind.get(r.kind) ?? { done: 0, total: 0, failed: 0 };
    entry.total++;
    if (r.outcome !== 'pending') entry.done++;
    if (r.outcome === 'failed') entry.failed++;
    byKind.set(r.kind, entry);
  }
  const lines = [...byKind].map(([kind, { done, total, failed }]) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    return `${pad(kind, 26)} [${bar}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}`;
  });
  return [formatTotals(report), ...lines].join('\n');
}
