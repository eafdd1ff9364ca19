// Keeps public payloads small at any size (design.md section 2): a report carries full detail for
// as many resources as fit a byte budget, those not deleted first, and lists the rest by id; the
// `resources` query pages through full detail. Pure, so test/workflows/report.test.ts measures it.
import {
  REPORT_DETAIL_BYTES,
  REPORT_LISTED_ID_BYTES,
  type CompactResources,
  type ResourceReport,
  type ResourcesPage,
  type ResourcesQueryParsed,
} from '../contract';

/** Deleted and already gone: what a reader needs least detail about. */
const FINE = new Set<ResourceReport['outcome']>(['deleted', 'already-gone']);

export function fitReport(
  all: readonly ResourceReport[],
  budgetBytes = REPORT_DETAIL_BYTES,
  idBudgetBytes = REPORT_LISTED_ID_BYTES,
): { resources: ResourceReport[]; compact?: CompactResources[] } {
  const sizes = all.map((r) => JSON.stringify(r).length + 1);
  if (sizes.reduce((n, s) => n + s, 0) <= budgetBytes) return { resources: [...all] };
  const order = all.map((_, i) => i);
  order.sort((a, b) => Number(FINE.has(all[a]!.outcome)) - Number(FINE.has(all[b]!.outcome)) || a - b);
  const detailed = new Set<number>();
  let used = 0;
  for (const i of order) {
    if (used + sizes[i]! > budgetBytes) break;
    used += sizes[i]!;
    detailed.add(i);
  }
  const resources: ResourceReport[] = [];
  // Grouped by outcome and code; a message is kept only where the whole group shares it (messages
  // often name their id, and would then cost more than the ids they describe).
  const groups = new Map<string, { group: CompactResources; message?: string; mixed: boolean }>();
  all.forEach((r, i) => {
    if (detailed.has(i)) {
      resources.push(r);
      return;
    }
    const key = JSON.stringify([r.kind, r.region, r.outcome, r.errorCode]);
    const entry = groups.get(key) ?? {
      group: {
        kind: r.kind,
        region: r.region,
        outcome: r.outcome,
        ...(r.errorCode ? { errorCode: r.errorCode } : {}),
        ids: [],
      },
      message: r.message,
      mixed: false,
    };
    if (entry.message !== r.message) entry.mixed = true;
    entry.group.ids.push(r.id);
    groups.set(key, entry);
  });
  const compact = [...groups.values()].map(({ group, message, mixed }) =>
    message && !mixed ? { ...group, message } : group,
  );
  return { resources, compact: listWithin(compact, idBudgetBytes) };
}

/** Lists ids within the budget, those not deleted first; each group counts the ids it leaves out. */
function listWithin(groups: CompactResources[], budgetBytes: number): CompactResources[] {
  const order = groups.map((_, i) => i);
  order.sort((a, b) => Number(FINE.has(groups[a]!.outcome)) - Number(FINE.has(groups[b]!.outcome)) || a - b);
  let left = budgetBytes;
  const listed = new Map<number, CompactResources>();
  for (const i of order) {
    const group = groups[i]!;
    let fits = 0;
    while (fits < group.ids.length && left >= group.ids[fits]!.length + 3)
      left -= group.ids[fits++]!.length + 3;
    listed.set(
      i,
      fits === group.ids.length
        ? group
        : { ...group, ids: group.ids.slice(0, fits), unlisted: group.ids.length - fits },
    );
  }
  return groups.map((_, i) => listed.get(i)!);
}

/** One page of the full list, filtered by outcome and kind, in report order. */
export function pageResources(all: readonly ResourceReport[], query: ResourcesQueryParsed): ResourcesPage {
  const matching = all.filter(
    (r) => (!query.outcome || r.outcome === query.outcome) && (!query.kind || r.kind === query.kind),
  );
  return { total: matching.length, resources: matching.slice(query.offset, query.offset + query.limit) };
}

/** Children send their progress and their result packed, so a 100,000-resource parent history stays small. */
export const PACKED_REPORTS_PATCH = 'packed-reports';

/** Resources that share everything but their id: how children send their reports to the parent. */
export interface ReportPack {
  entry: Omit<ResourceReport, 'id'>;
  ids: string[];
}

/** A child's answer: its reports, packed since packed-reports (a 500-id group is then ~10 KB, not ~75 KB). */
export type GroupReports = ResourceReport[] | { packed: ReportPack[] };

export function packReports(reports: readonly ResourceReport[]): ReportPack[] {
  const packs = new Map<string, ReportPack>();
  for (const { id, ...entry } of reports) {
    const key = JSON.stringify(entry);
    const pack = packs.get(key) ?? { entry, ids: [] };
    pack.ids.push(id);
    packs.set(key, pack);
  }
  return [...packs.values()];
}

export function unpackReports(reports: GroupReports | ReportPack[]): ResourceReport[] {
  if (Array.isArray(reports)) {
    return reports.flatMap((r) =>
      'ids' in r && 'entry' in r ? r.ids.map((id) => ({ ...r.entry, id })) : [r],
    );
  }
  return unpackReports(reports.packed);
}
