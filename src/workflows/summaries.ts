// Short texts the UI and reports show (activity summaries, current details, final outcomes),
// written once for the parent and its children.
import { computeTotals, type ReportTotals, type ResourceReport, type TeardownStatus } from '../contract';

/** "a, b, c and 7 more": enough ids to recognise a batch, bounded whatever its size. */
export function sampleIds(ids: readonly string[], shown = 3): string {
  if (ids.length <= shown) return ids.join(', ');
  return `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`;
}

/** "2x InvalidOperation.DeletionProtection, 1x Throttling" ('' when nothing failed with a code). */
export function failureCodes(resources: Iterable<ResourceReport>): string {
  const counts = new Map<string, number>();
  for (const r of resources)
    if (r.outcome === 'failed' && r.errorCode) counts.set(r.errorCode, (counts.get(r.errorCode) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${n}x ${code}`).join(', ');
}

/** How a run ended, by its totals: nothing left failed or pending is completed; some success is partial. */
export function endStatus(t: ReportTotals): TeardownStatus {
  if (t.failed === 0 && t.pending === 0) return 'completed';
  return t.deleted + t.alreadyGone > 0 ? 'partially-failed' : 'failed';
}

/** A group's last details: "done: 3 deleted, 1 failed (1x InvalidOperation.DeletionProtection)". */
export function groupOutcome(resources: readonly ResourceReport[]): string {
  const t = computeTotals(resources);
  const codes = failureCodes(resources);
  const parts = [
    t.deleted && `${t.deleted} deleted`,
    t.alreadyGone && `${t.alreadyGone} already gone`,
    t.notFound && `${t.notFound} not found`,
    t.wouldDelete && `${t.wouldDelete} would be deleted`,
    t.skipped && `${t.skipped} skipped`,
    t.failed && `${t.failed} failed${codes ? ` (${codes})` : ''}`,
    t.pending && `${t.pending} not deleted`,
  ].filter(Boolean);
  return `done: ${parts.join(', ') || 'nothing to do'}`;
}

/** "1 deleted, 0 already gone, 2 not found, 1 failed, 0 skipped (1x X)": how a teardown ended. */
export function runSummary(resources: readonly ResourceReport[]): string {
  const t = computeTotals(resources);
  const codes = failureCodes(resources);
  const notFound = t.notFound ? `${t.notFound} not found, ` : '';
  return `${t.deleted} deleted, ${t.alreadyGone} already gone, ${notFound}${t.failed} failed, ${t.skipped} skipped${codes ? ` (${codes})` : ''}`;
}

/** "3 would be deleted, 1 not found, 1 failed (1x X)": what a dry run found. */
export function dryRunSummary(resources: readonly ResourceReport[]): string {
  const t = computeTotals(resources);
  const codes = failureCodes(resources);
  const extra = [
    t.notFound && `${t.notFound} not found`,
    t.failed && `${t.failed} failed${codes ? ` (${codes})` : ''}`,
  ];
  const more = extra.filter(Boolean).join(', ');
  return `${t.wouldDelete} would be deleted${more ? `, ${more}` : ''}`;
}
