// The public contract other services rely on (design.md section 2): the `teardown` input schema,
// the report shape, and the names of queries, updates and search attributes. Pure (zod + kinds
// metadata only) so that the client library, the CLI and the workflows all share one definition.
import { z } from 'zod';
import { accountNameSchema, DEFAULT_ACCOUNT } from './accounts';
import { echo } from './echo';
import { isKindName, KIND_NAMES, KINDS, regionProblem, type KindName } from './kinds';
import { RESOURCE_OUTCOMES, resourceReportSchema } from './report';

export const TEARDOWN_WORKFLOW_TYPE = 'teardown';
/** Most ids one teardown request may name; larger sets are split by the caller. */
export const MAX_IDS_PER_REQUEST = 20_000;
/**
 * Most resources one teardown's selectors may match (`options.maxResources` at most): larger
 * teardowns are requested by selector, since 100,000 ids would not fit Temporal's 2 MB payload limit.
 */
export const MAX_SELECTED_RESOURCES = 100_000;
/** Bounds on timing options: keep histories and waits bounded (design.md section 10). */
const MAX_DEADLINE_MS = 7 * 86_400_000;
const MAX_POLL_INTERVAL_MS = 10 * 60_000;

const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '90s', '30m', '2h' -> milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION_RE.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

const DURATION_EXAMPLE = 'a positive duration like "90s", "30m" or "2h"';

/**
 * A duration option: one message per problem, malformed before out of range (a malformed value is
 * never told it is too long).
 */
function durationSchema(max?: { ms: number; text: string }) {
  return z.string().superRefine((text, ctx) => {
    const ms = parseDurationMs(text);
    const problem =
      ms === undefined
        ? `${echo(text)} is malformed: give ${DURATION_EXAMPLE}`
        : ms <= 0
          ? `${echo(text)} is not positive: give ${DURATION_EXAMPLE}`
          : max && ms > max.ms
            ? `${echo(text)} is too long: must be at most ${max.text}`
            : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Read when parsing, not when loading: kinds registered later (tests) count too. */
export const kindSchema = z.custom<KindName>(isKindName, {
  error: () => `must be one of: ${KIND_NAMES.join(', ')}`,
});

const regionSchema = z
  .string()
  .regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'must be a region id like "cn-hangzhou" or "ap-guangzhou"');

/** Region and application are required, or refused, by kind. */
function checkPlacement(
  target: { kind: KindName; region?: string; appId?: string },
  ctx: z.RefinementCtx,
): void {
  const meta = KINDS[target.kind];
  if (meta.requiresRegion && !target.region) {
    ctx.addIssue({ code: 'custom', path: ['region'], message: `is required for ${target.kind}` });
  }
  if (meta.requiresAppId && !target.appId) {
    ctx.addIssue({ code: 'custom', path: ['appId'], message: `is required for ${target.kind}` });
  }
  if (!meta.requiresAppId && target.appId !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['appId'], message: `is not used by ${target.kind}` });
  }
}

export const resourceGroupSchema = z
  .object({
    kind: kindSchema,
    region: regionSchema.optional(),
    appId: z.string().min(1, 'must not be empty').max(128).optional(),
    /** An account the worker knows by name (TEARDOWN_ACCOUNTS); default: the worker's own credentials. */
    account: accountNameSchema.optional(),
    ids: z.array(z.string()).min(1, 'must name at least one id'),
  })
  .strict()
  .superRefine((group, ctx) => {
    const meta = KINDS[group.kind];
    if (!meta.enabled) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `kind ${group.kind} is not supported yet` });
      return;
    }
    checkPlacement(group, ctx);
    const seen = new Map<string, number>();
    group.ids.forEach((id, index) => {
      if (!meta.idPattern.test(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ids', index],
          message: `${echo(id)} is not ${meta.idDescription}`,
        });
      }
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ids', index],
          message: `${echo(id)} is listed twice (also at ids[${first}])`,
        });
      } else {
        seen.set(id, index);
      }
    });
  });

const tagSelectorSchema = z.string().regex(/^[^=\s][^=]*(=.*)?$/, 'must be "key" or "key=value"');

/** Discovery: which resources of a kind (and region / application) to find and delete. */
export const selectorSchema = z
  .object({
    kind: kindSchema,
    region: regionSchema.optional(),
    appId: z.string().min(1, 'must not be empty').max(128).optional(),
    account: accountNameSchema.optional(),
    /** Every tag must be present ("key") or equal ("key=value"). */
    tags: z.array(tagSelectorSchema).max(20).optional(),
    namePrefix: z.string().min(1, 'must not be empty').max(128).optional(),
    /** Only resources created longer ago than this, e.g. "4h". */
    olderThan: durationSchema().optional(),
  })
  .strict()
  .superRefine((selector, ctx) => {
    checkPlacement(selector, ctx);
    if (!selector.tags?.length && !selector.namePrefix && !selector.olderThan) {
      // A selector with no criterion would match every resource of the kind: refuse it.
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs at least one of tags, namePrefix or olderThan',
      });
    }
  });

export const teardownOptionsSchema = z
  .object({
    /** Run every preflight and report what would happen; delete nothing. */
    dryRun: z.boolean().optional(),
    /** Delete running instances without stopping them first (where the provider allows it). */
    force: z.boolean().optional(),
    /** Convert prepaid/subscription instances to pay-as-you-go before deleting them. */
    convertPrepaid: z.boolean().optional(),
    /** Wait after preflight for an `approve` update before deleting anything. */
    requireApproval: z.boolean().optional(),
    /** How long the whole teardown may take, e.g. "2h"; resources not gone by then are reported failed. */
    deadline: durationSchema({ ms: MAX_DEADLINE_MS, text: '7d' }).optional(),
    /** How often to ask the provider whether a deletion is done (default "3s", backing off to 30s). */
    pollInterval: durationSchema({ ms: MAX_POLL_INTERVAL_MS, text: '10m' }).optional(),
    /** Refuse (delete nothing) when selectors match more than this many resources. Default 1000, at most 100,000. */
    maxResources: z.number().int().positive().max(MAX_SELECTED_RESOURCES).optional(),
    /** Resources carrying this tag are never selected. Default "teardown:protect=true". */
    protectTag: tagSelectorSchema.optional(),
    /**
     * Accept resource groups in which no id is found (reported `not-found`). Default: such a group
     * fails with NothingFound, since a typo'd id, region or account would otherwise look like success.
     */
    allowMissing: z.boolean().optional(),
    /** Wait until this time (ISO 8601) before doing anything; `postpone` can move it. */
    startAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 time like "2026-11-27T18:00:00Z"' })
      .optional(),
  })
  .strict();

export const teardownRequestSchema = z
  .object({
    resources: z.array(resourceGroupSchema).default([]),
    /** Discovery by tag / name prefix / age (resolved by the workflow at run time). */
    selectors: z.array(selectorSchema).max(50).optional(),
    options: teardownOptionsSchema.optional(),
    requestedBy: z.string().min(1).max(200).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (request.resources.length === 0 && !request.selectors?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: 'must name at least one resource group (or give selectors)',
      });
    }
    let total = 0;
    const owner = new Map<string, string>();
    request.resources.forEach((group, groupIndex) => {
      total += group.ids.length;
      group.ids.forEach((id, index) => {
        const key = `${group.kind}|${group.region ?? ''}|${id}`;
        const first = owner.get(key);
        if (first !== undefined && !first.startsWith(`resources[${groupIndex}].`)) {
          ctx.addIssue({
            code: 'custom',
            path: ['resources', groupIndex, 'ids', index],
            message: `${echo(id)} is already listed at ${first}`,
          });
        } else if (first === undefined) {
          owner.set(key, `resources[${groupIndex}].ids[${index}]`);
        }
      });
    });
    if (total > MAX_IDS_PER_REQUEST) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: `names ${total} ids; one teardown takes at most ${MAX_IDS_PER_REQUEST}`,
      });
    }
  });

/**
 * The request as clients check it before anything starts: the shared schema, plus every region a
 * kind is given (a real region id of its provider, or none for a regionless kind; selectors too).
 * The worker's activities check the same before any call (src/activities), with the regions the
 * worker's environment adds; the workflow does not, so a list that changes never changes how a
 * running teardown replays.
 */
export const clientRequestSchema = teardownRequestSchema.superRefine((request, ctx) => {
  const placed = [
    ['resources', request.resources],
    ['selectors', request.selectors ?? []],
  ] as const;
  for (const [field, targets] of placed) {
    targets.forEach((target, index) => {
      const problem = regionProblem(KINDS[target.kind]!, target.region);
      if (problem) ctx.addIssue({ code: 'custom', path: [field, index, 'region'], message: problem });
    });
  }
});

export type TeardownRequest = z.infer<typeof teardownRequestSchema>;
/** What callers may send (fields with defaults may be left out). */
export type TeardownRequestInput = z.input<typeof teardownRequestSchema>;
export type ResourceSelectorSpec = z.infer<typeof selectorSchema>;
export const DEFAULT_MAX_SELECTED = 1000;

/** The kinds a request touches and how many ids it names up front (selectors add more at run time). */
export function requestSummary(request: TeardownRequest): { kinds: KindName[]; count: number; text: string } {
  const kinds = [...new Set([...request.resources, ...(request.selectors ?? [])].map((r) => r.kind))];
  const count = request.resources.reduce((n, r) => n + r.ids.length, 0);
  const mode = request.options?.dryRun ? 'dry run of' : 'teardown of';
  const what = [
    count ? `${count} resources` : '',
    request.selectors?.length ? `${request.selectors.length} selector(s)` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const accounts = requestAccounts(request);
  const where = accounts.length ? ` in account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')}` : '';
  return {
    kinds,
    count,
    text: `${mode} ${what} (${kinds.join(', ')})${where}${request.requestedBy ? ` for ${request.requestedBy}` : ''}`,
  };
}
/**
 * Every account a request works in, sorted ('default' for groups naming none); empty when it
 * names none, so requests without accounts look as they always did.
 */
export function requestAccounts(request: TeardownRequest): string[] {
  const targets = [...request.resources, ...(request.selectors ?? [])];
  if (!targets.some((t) => t.account)) return [];
  return [...new Set(targets.map((t) => t.account ?? DEFAULT_ACCOUNT))].sort();
}
export type TeardownOptions = z.infer<typeof teardownOptionsSchema>;
export type ResourceGroup = z.infer<typeof resourceGroupSchema>;

/** `resources[0].ids[2]`; a key that is not a short plain name is quoted (shortened). */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (!/^[A-Za-z_$][\w$]{0,63}$/.test(name)) return `[${echo(name)}]`;
      return `${i === 0 ? '' : '.'}${name}`;
    })
    .join('');
}

/** One line per problem; each unknown key gets its own line, with the key in the path. */
function issueLines(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${pathText([...issue.path, key])}: is not a known field`);
  }
  return [`${pathText(issue.path) || '(request)'}: ${issue.message}`];
}

/** Formats zod issues as "resources[0].ids[2]: "x" is not ..." lines, one per problem. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.flatMap(issueLines).join('\n');
}

export class InvalidTeardownRequest extends Error {
  override readonly name = 'InvalidTeardownRequest';
  constructor(readonly issues: string) {
    super(`invalid teardown request:\n${issues}`);
  }
}

/** Validates a request; throws InvalidTeardownRequest naming every bad field. */
export function parseTeardownRequest(input: unknown): TeardownRequest {
  const parsed = clientRequestSchema.safeParse(input);
  if (!parsed.success) throw new InvalidTeardownRequest(formatIssues(parsed.error));
  return parsed.data;
}

// ---- Report (src/report.ts) ----------------------------------------------------------------

export * from './report';
export * from './decisions';

// ---- Names other services use ---------------------------------------------------------------

export const PROGRESS_QUERY = 'progress';
export const APPROVE_UPDATE = 'approve';
export const REJECT_UPDATE = 'reject';
export const POSTPONE_UPDATE = 'postpone';
export const RESOURCES_QUERY = 'resources';

/** Budget of full per-resource detail in one report; keeps every public payload under 512 KB at 10,000 resources. */
export const REPORT_DETAIL_BYTES = 128 * 1024;
/**
 * Budget of ids listed in a report's `compact` groups: beyond it (about 15,000 ids) a group gives
 * the count of the ids it does not list, and the `resources` query pages them; a 100,000-resource
 * report stays under 512 KB instead of exceeding Temporal's 2 MB payload limit.
 */
export const REPORT_LISTED_ID_BYTES = 320 * 1024;
export const MAX_RESOURCES_PAGE = 1_000;

/** The argument of the `resources` query: one page of the full per-resource list, filtered. */
export const resourcesQuerySchema = z
  .object({
    outcome: z.enum(RESOURCE_OUTCOMES).optional(),
    kind: z.enum(KIND_NAMES).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(MAX_RESOURCES_PAGE).default(100),
  })
  .strict();
export type ResourcesQuery = z.input<typeof resourcesQuerySchema>;
export type ResourcesQueryParsed = z.infer<typeof resourcesQuerySchema>;
/** The answer of the `resources` query: how many match the filter, and the page asked for. */
export const resourcesPageSchema = z.object({
  /** How many resources match the filter (all pages). */
  total: z.number().int().min(0),
  resources: z.array(resourceReportSchema),
});
export type ResourcesPage = z.infer<typeof resourcesPageSchema>;

export const SEARCH_ATTRIBUTES = {
  status: 'TeardownStatus',
  kinds: 'TeardownKinds',
  resourceCount: 'TeardownResourceCount',
  failedCount: 'TeardownFailedCount',
  requestedBy: 'TeardownRequestedBy',
  /** Empty while the teardown progresses; otherwise what it waits on (an error code, `approval`, `operator`). */
  blockedOn: 'TeardownBlockedOn',
  /** The accounts a teardown (or a child's group) works in; set only when a request names one. */
  accounts: 'TeardownAccounts',
} as const;

/** The caller's id becomes the workflow id: starting the same id twice never starts a second teardown. */
export function teardownWorkflowId(callerId: string): string {
  return callerId.startsWith('teardown-') ? callerId : `teardown-${callerId}`;
}
