// The report of a teardown: the workflow's result, the `progress` query's answer and every update's
// answer. zod schemas (the JSON Schemas in schema/ are generated from them) and the types they infer.
import { z } from 'zod';
import { KIND_NAMES } from './kinds';
import { ERROR_CLASSES } from './providers/errors';

export const TEARDOWN_STATUSES = [
  'running',
  'awaiting-approval',
  'completed',
  'partially-failed',
  'failed',
  'cancelled',
  'dry-run',
] as const;
export type TeardownStatus = (typeof TEARDOWN_STATUSES)[number];

export const RESOURCE_OUTCOMES = [
  'pending',
  'deleted',
  /** Seen by us (listed at preflight or by discovery), then gone without our delete. */
  'already-gone',
  /** The provider never listed this id in this place (kind, region, application, account). */
  'not-found',
  'failed',
  'skipped',
  'would-delete',
] as const;
export type ResourceOutcome = (typeof RESOURCE_OUTCOMES)[number];

export const TEARDOWN_PHASES = [
  'waiting',
  'discovery',
  'preflight',
  'awaiting-approval',
  'preparing',
  'deleting',
  'polling',
  'done',
] as const;
export type TeardownPhase = (typeof TEARDOWN_PHASES)[number];

export const resourceReportSchema = z.object({
  kind: z.enum(KIND_NAMES),
  region: z.string(),
  id: z.string(),
  outcome: z.enum(RESOURCE_OUTCOMES),
  /** The account named by the request for this resource's group (absent: the worker's default). */
  account: z.string().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  /** Mutating provider calls (prepare steps and deletes, retries included) that carried this id. */
  attempts: z.number().int().optional(),
  requestIds: z.array(z.string()).optional(),
  /** Last status the provider reported. */
  status: z.string().optional(),
  /** The provider error that came back last while this resource waits (cleared by progress). */
  lastErrorCode: z.string().optional(),
  /** When it came back last, ISO 8601. */
  lastErrorAt: z.string().optional(),
});
export type ResourceReport = z.infer<typeof resourceReportSchema>;

export const reportTotalsSchema = z.object({
  requested: z.number().int(),
  deleted: z.number().int(),
  alreadyGone: z.number().int(),
  notFound: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
  wouldDelete: z.number().int(),
});
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

/** What a selector found: how many matched, and each excluded resource with the reason. */
export const discoveryReportSchema = z.object({
  selector: z.number().int(),
  kind: z.enum(KIND_NAMES),
  region: z.string(),
  matched: z.number().int(),
  /** The first excluded resources (at most 100 in a teardown started since discovery-at-scale). */
  excluded: z.array(z.object({ id: z.string(), name: z.string(), reason: z.string() })),
  /** How many were excluded, when more than `excluded` lists. */
  excludedCount: z.number().int().optional(),
});
export type DiscoveryReport = z.infer<typeof discoveryReportSchema>;

/** Resources listed by id only, grouped by everything they share. */
export const compactResourcesSchema = z.object({
  kind: z.enum(KIND_NAMES),
  region: z.string(),
  outcome: z.enum(RESOURCE_OUTCOMES),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  ids: z.array(z.string()),
  /** How many more resources of this group `ids` does not list (very large reports); page them with `resources`. */
  unlisted: z.number().int().optional(),
});
export type CompactResources = z.infer<typeof compactResourcesSchema>;

/** What a teardown (or one of its groups) waits on; the TeardownBlockedOn search attribute is `on`. */
export const blockedSchema = z.object({
  /** The provider code that keeps coming back, `approval`, or `operator` (a person must act). */
  on: z.string(),
  /** The resources it holds up (the first BLOCKED_IDS_SHOWN of them in a large teardown). */
  ids: z.array(z.string()),
  /** One line per call that keeps failing: counts, the code, since when, the next try, the first ids. */
  details: z.string(),
});
export type Blocked = z.infer<typeof blockedSchema>;

/** Failed provider calls per error class (src/providers/errors.ts), retries included. */
export const errorClassCountsSchema = z.partialRecord(z.enum(ERROR_CLASSES), z.number().int());
export type ErrorClassCounts = z.infer<typeof errorClassCountsSchema>;

export const teardownReportSchema = z.object({
  status: z.enum(TEARDOWN_STATUSES),
  phase: z.enum(TEARDOWN_PHASES),
  totals: reportTotalsSchema,
  /**
   * Full detail: every resource while the report is small; in a large report, as many as fit
   * REPORT_DETAIL_BYTES, those not deleted first. The rest are in `compact`; the `resources`
   * query pages through full detail of all of them.
   */
  resources: z.array(resourceReportSchema),
  /** Present only in a large report: the resources not in `resources`, by id. */
  compact: z.array(compactResourcesSchema).optional(),
  /** When the teardown starts (or started), ISO 8601: `options.startAt`, moved by every `postpone`. */
  startAt: z.string().optional(),
  /** Present when the request had selectors. */
  discovery: z.array(discoveryReportSchema).optional(),
  /** Why the run ended as it did, when the resources alone do not say (refused, rejected, nothing matched). */
  message: z.string().optional(),
  /** Present while something holds the teardown up (and at the end when a person must act). */
  blocked: blockedSchema.optional(),
  /** Failed provider calls per error class over the whole run; absent when none failed. */
  attempts: errorClassCountsSchema.optional(),
});
export type TeardownReport = z.infer<typeof teardownReportSchema>;

const TOTAL_OF: Record<ResourceReport['outcome'], Exclude<keyof ReportTotals, 'requested'>> = {
  deleted: 'deleted',
  'already-gone': 'alreadyGone',
  'not-found': 'notFound',
  failed: 'failed',
  skipped: 'skipped',
  'would-delete': 'wouldDelete',
  pending: 'pending',
};

export function emptyTotals(): ReportTotals {
  return {
    requested: 0,
    deleted: 0,
    alreadyGone: 0,
    notFound: 0,
    failed: 0,
    skipped: 0,
    pending: 0,
    wouldDelete: 0,
  };
}

/** Counts one resource in (delta 1) or out of (delta -1) the totals. */
export function countOutcome(totals: ReportTotals, outcome: ResourceReport['outcome'], delta: 1 | -1): void {
  totals.requested += delta;
  totals[TOTAL_OF[outcome]] += delta;
}

export function computeTotals(resources: readonly ResourceReport[]): ReportTotals {
  const totals = emptyTotals();
  for (const r of resources) countOutcome(totals, r.outcome, 1);
  return totals;
}
