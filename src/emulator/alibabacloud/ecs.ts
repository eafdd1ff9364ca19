// Alibaba Cloud ECS 2014-05-26 (RPC) for the calls the teardown makes: DescribeInstances,
// DescribeInstanceStatus, StopInstances, DeleteInstances, ModifyInstanceChargeType.
// Codes, statuses and HTTP statuses follow ECS's published error tables.
import { randomInt } from 'node:crypto';
import {
  EmulatorApiError,
  type ApiCall,
  type EmulatedResource,
  type EmulatorContext,
  type ProductHandler,
  type ScheduledChange,
} from '../types';
import { emulatorDurations } from '../../providers/kind';
import { ECS_INSTANCE } from '../../providers/alibabacloud/ecs.kind';
import { kindDuration, registerProduct } from '../products';
import { inAlibabaRegions } from './regions';

export const ECS_INSTANCE_TYPE = 'alibabacloud.ecs.instance';
export const ECS_VERSION = '2014-05-26';

/** What ECS shows as the expiry of a pay-as-you-go instance. */
const POSTPAID_EXPIRED_TIME = '2099-12-31T15:59Z';

const CHARGE_TYPES = ['PrePaid', 'PostPaid'] as const;
type ChargeType = (typeof CHARGE_TYPES)[number];

const err = {
  notFound: () =>
    new EmulatorApiError(404, 'InvalidInstanceId.NotFound', 'The specified InstanceId does not exist.'),
  status: () =>
    new EmulatorApiError(
      403,
      'IncorrectInstanceStatus',
      'The current status of the resource does not support this operation.',
    ),
  locked: () =>
    new EmulatorApiError(
      403,
      'InstanceLockedForSecurity',
      'The specified operation is denied as your instance is locked for security reasons.',
    ),
  protected: () =>
    new EmulatorApiError(
      403,
      'InvalidOperation.DeletionProtection',
      'The instance has deletion protection enabled; disable DeletionProtection before releasing it.',
    ),
  chargeType: () =>
    new EmulatorApiError(
      403,
      'ChargeTypeViolation',
      'The operation is not permitted due to charge type of the instance.',
    ),
  dryRun: () =>
    new EmulatorApiError(400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.'),
  invalid: (name: string, why = 'is not valid') =>
    new EmulatorApiError(400, 'InvalidParameter', `The specified parameter "${name}" ${why}.`),
  missing: (name: string) =>
    new EmulatorApiError(
      400,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    ),
};

// ---- parameter parsing -------------------------------------------------------------------

function str(call: ApiCall, name: string): string | undefined {
  const v = call.params[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw err.invalid(name);
}

function bool(call: ApiCall, name: string): boolean {
  const v = str(call, name);
  if (v === undefined) return false;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw err.invalid(name);
}

function int(call: ApiCall, name: string, defaultValue: number, min: number, max: number): number {
  const v = str(call, name);
  if (v === undefined) return defaultValue;
  if (!/^\d+$/.test(v)) throw err.invalid(name);
  const n = Number(v);
  if (n < min || n > max) throw err.invalid(name, `must be between ${min} and ${max}`);
  return n;
}

function requireRegion(call: ApiCall): string {
  if (!call.region) throw err.missing('RegionId');
  return call.region;
}

/** `Prefix.N` repeat-list values in N order (N from 1 to max), duplicates dropped. */
function repeatList(call: ApiCall, prefix: string, max: number): string[] {
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)$`);
  const found: Array<[number, string]> = [];
  for (const [k, v] of Object.entries(call.params)) {
    const m = pattern.exec(k);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < 1 || n > max) throw err.invalid(`${prefix}.${m[1]}`, `index must be between 1 and ${max}`);
    if (typeof v !== 'string' || v === '') throw err.invalid(`${prefix}.${m[1]}`);
    found.push([n, v]);
  }
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, v]) => v))];
}

/** A JSON array of ids (`InstanceIds=["i-1","i-2"]`), or undefined when absent. */
function jsonIds(
  call: ApiCall,
  name: string,
  max: number,
  malformed: () => EmulatorApiError,
  tooMany: () => EmulatorApiError,
) {
  const raw = str(call, name);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.some((id) => typeof id !== 'string' || id === '')) throw malformed();
  const ids = [...new Set(parsed as string[])];
  if (ids.length > max) throw tooMany();
  return ids;
}

/** `Tag.N.Key` / `Tag.N.Value` pairs (N 1..20). */
function tagFilters(call: ApiCall): Array<{ key: string; value?: string }> {
  const byIndex = new Map<number, { key?: string; value?: string }>();
  for (const [k, v] of Object.entries(call.params)) {
    const m = /^Tag\.(\d+)\.(Key|Value)$/.exec(k);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < 1 || n > 20) throw err.invalid(`Tag.${m[1]}.${m[2]}`, 'index must be between 1 and 20');
    if (typeof v !== 'string') throw err.invalid(k);
    const entry = byIndex.get(n) ?? {};
    if (m[2] === 'Key') entry.key = v;
    else entry.value = v;
    byIndex.set(n, entry);
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, { key, value }]) => {
      if (!key) throw err.missing(`Tag.${n}.Key`);
      return { key, value };
    });
}

// ---- instance model -------------------------------------------------------------------------

function chargeTypeOf(r: EmulatedResource): ChargeType {
  return r.attributes.InstanceChargeType === 'PrePaid' ? 'PrePaid' : 'PostPaid';
}

function expiredTimeOf(r: EmulatedResource): string {
  const v = r.attributes.ExpiredTime;
  return typeof v === 'string' && v ? v : POSTPAID_EXPIRED_TIME;
}

function isExpired(r: EmulatedResource, now: number): boolean {
  const at = Date.parse(expiredTimeOf(r));
  return chargeTypeOf(r) === 'PrePaid' && !Number.isNaN(at) && at <= now;
}

function lockReasons(r: EmulatedResource): string[] {
  const v = r.attributes.LockReason;
  if (typeof v === 'string' && v) return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return [];
}

const isReleasing = (r: EmulatedResource) => r.attributes.Releasing === true;
const isLockedForSecurity = (r: EmulatedResource) => lockReasons(r).includes('security');

/** ECS prints times as YYYY-MM-DDThh:mmZ. */
function ecsTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16) + 'Z';
}

function describeInstance(r: EmulatedResource) {
  return {
    InstanceId: r.id,
    InstanceName: r.name,
    RegionId: r.region,
    ZoneId: typeof r.attributes.ZoneId === 'string' ? r.attributes.ZoneId : `${r.region}-a`,
    InstanceType: typeof r.attributes.InstanceType === 'string' ? r.attributes.InstanceType : 'ecs.g7.large',
    Status: r.status,
    InstanceChargeType: chargeTypeOf(r),
    ExpiredTime: expiredTimeOf(r),
    DeletionProtection: r.attributes.DeletionProtection === true,
    CreationTime: ecsTime(r.createdAt),
    OperationLocks: { LockReason: lockReasons(r).map((reason) => ({ LockReason: reason })) },
    Tags: { Tag: Object.entries(r.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
  };
}

/** The instance in the caller's account (and region, when the call names one). */
function lookup(call: ApiCall, ctx: EmulatorContext, id: string): EmulatedResource | undefined {
  const r = ctx.store.get(ECS_INSTANCE_TYPE, call.account, id);
  if (!r || (call.region && r.region !== call.region)) return undefined;
  return r;
}

function scheduleOn(
  ctx: EmulatorContext,
  r: EmulatedResource,
  channel: string,
  afterMs: number,
  change: ScheduledChange,
) {
  if (ctx.store.scheduleSequence) {
    ctx.store.scheduleSequence(r.type, r.account, r.id, [{ afterMs, ...change }], { channel });
  } else {
    ctx.store.schedule(r.type, r.account, r.id, afterMs, change);
  }
}

function page<T>(items: T[], pageNumber: number, pageSize: number): T[] {
  return items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

// ---- actions --------------------------------------------------------------------------------

function describeInstances(call: ApiCall, ctx: EmulatorContext) {
  const region = requireRegion(call);
  const malformed = () =>
    new EmulatorApiError(
      400,
      'InvalidInstanceIds.MalFormed',
      'The specified parameter InstanceIds is not valid.',
    );
  const ids = jsonIds(call, 'InstanceIds', 100, malformed, malformed);
  const tags = tagFilters(call);
  const status = str(call, 'Status');
  const name = namePattern(str(call, 'InstanceName'));
  const wanted = ids ? new Set(ids) : undefined;
  const matching = ctx.store.list(
    ECS_INSTANCE_TYPE,
    call.account,
    (r) =>
      r.region === region &&
      (!wanted || wanted.has(r.id)) &&
      (!status || r.status === status) &&
      (!name || name.test(r.name)) &&
      tags.every((t) => t.key in r.tags && (t.value === undefined || r.tags[t.key] === t.value)),
  );
  // NextToken/MaxResults paging (the current one) when either is given; PageNumber/PageSize otherwise.
  if (str(call, 'NextToken') !== undefined || str(call, 'MaxResults') !== undefined) {
    const offset = nextTokenOffset(call);
    const max = maxResults(call);
    const end = Math.min(offset + max, matching.length);
    return {
      Instances: { Instance: matching.slice(offset, end).map(describeInstance) },
      TotalCount: matching.length,
      NextToken: end < matching.length ? encodeNextToken(end) : '',
    };
  }
  const pageNumber = int(call, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = int(call, 'PageSize', 10, 1, 100);
  return {
    Instances: { Instance: page(matching, pageNumber, pageSize).map(describeInstance) },
    TotalCount: matching.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
  };
}

/** InstanceName with ECS's '*' wildcards (any run of characters); no '*' means the exact name. */
function namePattern(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  const body = text
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** MaxResults: below 10 (or absent) means 10, above 100 means 100 (ECS's documented clamping). */
function maxResults(call: ApiCall): number {
  const v = str(call, 'MaxResults');
  if (v === undefined) return 10;
  if (!/^\d+$/.test(v)) throw err.invalid('MaxResults');
  return Math.min(100, Math.max(10, Number(v)));
}

// NextToken: opaque to callers (32 hex characters like ECS's), the offset of the next page inside.
const NEXT_TOKEN_MAGIC = 'ec5';

function encodeNextToken(offset: number): string {
  return NEXT_TOKEN_MAGIC + offset.toString(16).padStart(29, '0');
}

function nextTokenOffset(call: ApiCall): number {
  const token = str(call, 'NextToken');
  if (token === undefined) return 0;
  const m = /^ec5([0-9a-f]{29})$/.exec(token);
  if (!m) throw err.invalid('NextToken');
  return parseInt(m[1]!, 16);
}

function describeInstanceStatus(call: ApiCall, ctx: EmulatorContext) {
  const region = requireRegion(call);
  const ids = repeatList(call, 'InstanceId', 100);
  const pageNumber = int(call, 'PageNumber', 1, 1, 1_000_000);
  // ECS caps this call's page at 50.
  const pageSize = int(call, 'PageSize', 10, 1, 50);
  const wanted = ids.length > 0 ? new Set(ids) : undefined;
  const matching = ctx.store.list(
    ECS_INSTANCE_TYPE,
    call.account,
    (r) => r.region === region && (!wanted || wanted.has(r.id)),
  );
  return {
    InstanceStatuses: {
      InstanceStatus: page(matching, pageNumber, pageSize).map((r) => ({
        InstanceId: r.id,
        Status: r.status,
      })),
    },
    TotalCount: matching.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
  };
}

function stopRefusal(r: EmulatedResource | undefined): EmulatorApiError | undefined {
  if (!r) return err.notFound();
  if (isReleasing(r)) return err.status();
  if (isLockedForSecurity(r)) return err.locked();
  if (r.status !== 'Running') return err.status();
  return undefined;
}

function stopInstances(call: ApiCall, ctx: EmulatorContext) {
  const ids = repeatList(call, 'InstanceId', 100);
  if (ids.length === 0) throw err.missing('InstanceId.1');
  bool(call, 'ForceStop');
  const dryRun = bool(call, 'DryRun');
  const mode = str(call, 'BatchOptimization') ?? 'AllTogether';
  if (mode !== 'AllTogether' && mode !== 'SuccessFirst') throw err.invalid('BatchOptimization');

  const checked = ids.map((id) => {
    const r = lookup(call, ctx, id);
    return { id, r, refusal: stopRefusal(r) };
  });
  // AllTogether is all-or-nothing; a dry run answers the first refusal either way.
  const firstRefusal = checked.find((c) => c.refusal)?.refusal;
  if ((mode === 'AllTogether' || dryRun) && firstRefusal) throw firstRefusal;
  if (dryRun) throw err.dryRun();

  const stopMs = kindDuration(ctx, ECS_INSTANCE, 'stop');
  const responses = checked.map(({ id, r, refusal }) => {
    if (refusal || !r) {
      const e = refusal ?? err.notFound();
      return {
        InstanceId: id,
        Code: e.code,
        Message: e.message,
        PreviousStatus: r?.status ?? '',
        CurrentStatus: r?.status ?? '',
      };
    }
    const previous = r.status;
    r.status = 'Stopping';
    ctx.store.put(r);
    scheduleOn(ctx, r, 'power', stopMs, { status: 'Stopped' });
    return {
      InstanceId: id,
      Code: '200',
      Message: 'success',
      PreviousStatus: previous,
      CurrentStatus: 'Stopping',
    };
  });
  return { InstanceResponses: { InstanceResponse: responses } };
}

function deleteRefusal(
  r: EmulatedResource | undefined,
  opts: { force: boolean; terminateSubscription: boolean; now: number },
): EmulatorApiError | undefined {
  if (!r) return err.notFound();
  if (isReleasing(r)) return err.status();
  if (isLockedForSecurity(r)) return err.locked();
  if (r.attributes.DeletionProtection === true) return err.protected();
  // Subscription instances: only expired ones, and only with TerminateSubscription=true.
  if (chargeTypeOf(r) === 'PrePaid' && (!isExpired(r, opts.now) || !opts.terminateSubscription))
    return err.chargeType();
  if (r.status === 'Stopped') return undefined;
  if (r.status === 'Running' && opts.force) return undefined;
  return err.status();
}

function deleteInstances(call: ApiCall, ctx: EmulatorContext) {
  const ids = repeatList(call, 'InstanceId', 100);
  if (ids.length === 0) throw err.missing('InstanceId.1');
  const opts = {
    force: bool(call, 'Force'),
    terminateSubscription: bool(call, 'TerminateSubscription'),
    now: ctx.now(),
  };
  const dryRun = bool(call, 'DryRun');
  // All or nothing: every id is checked before anything changes.
  const instances = ids.map((id) => {
    const r = lookup(call, ctx, id);
    const refusal = deleteRefusal(r, opts);
    if (refusal) throw refusal;
    return r as EmulatedResource;
  });
  if (dryRun) throw err.dryRun();

  const deleteMs = kindDuration(ctx, ECS_INSTANCE, 'delete');
  for (const r of instances) {
    r.attributes.Releasing = true;
    // A forced release of a running instance powers it off first.
    if (r.status === 'Running') r.status = 'Stopping';
    ctx.store.put(r);
    ctx.store.schedule(r.type, r.account, r.id, deleteMs, { remove: true });
  }
  return {};
}

function addPeriod(now: number, period: number, unit: 'Month' | 'Week'): string {
  const d = new Date(now);
  if (unit === 'Week') d.setUTCDate(d.getUTCDate() + 7 * period);
  else d.setUTCMonth(d.getUTCMonth() + period);
  return d.toISOString().slice(0, 16) + 'Z';
}

function modifyInstanceChargeType(call: ApiCall, ctx: EmulatorContext) {
  requireRegion(call);
  const invalidIds = () =>
    new EmulatorApiError(400, 'InvalidParameter.InstanceIds', 'The specified InstanceIds are invalid.');
  const tooMany = () =>
    new EmulatorApiError(400, 'InstancesIdQuotaExceed', 'The maximum number of Instances is exceeded.');
  const ids = jsonIds(call, 'InstanceIds', 20, invalidIds, tooMany);
  if (ids === undefined) throw err.missing('InstanceIds');
  if (ids.length === 0) throw invalidIds();
  const targetRaw = str(call, 'InstanceChargeType') ?? 'PrePaid';
  if (!(CHARGE_TYPES as readonly string[]).includes(targetRaw)) {
    throw new EmulatorApiError(
      400,
      'InvalidInstanceChargeType.ValueNotSupported',
      `The specified InstanceChargeType "${targetRaw}" is not supported.`,
    );
  }
  const target = targetRaw as ChargeType;
  const period = int(call, 'Period', 1, 1, 60);
  const unitRaw = (str(call, 'PeriodUnit') ?? 'Month').toLowerCase();
  if (unitRaw !== 'month' && unitRaw !== 'week') throw err.invalid('PeriodUnit');
  const dryRun = bool(call, 'DryRun');
  const now = ctx.now();

  const instances = ids.map((id) => {
    const r = lookup(call, ctx, id);
    if (!r) throw err.notFound();
    if (isReleasing(r)) throw err.status();
    if (isLockedForSecurity(r)) throw err.locked();
    if (r.attributes.PendingChargeType !== undefined) {
      throw new EmulatorApiError(
        400,
        'InvalidStatus.ValueNotSupported',
        'A billing method change of the instance is in progress.',
      );
    }
    if (r.status !== 'Running' && r.status !== 'Stopped') {
      throw new EmulatorApiError(
        400,
        'InvalidStatus.ValueNotSupported',
        'The instance must be Running or Stopped to change its billing method.',
      );
    }
    if (chargeTypeOf(r) === target) {
      throw new EmulatorApiError(
        400,
        'InvalidInstanceChargeType.ValueNotSupported',
        `The instance ${r.id} already uses the ${target} billing method.`,
      );
    }
    if (isExpired(r, now))
      throw new EmulatorApiError(400, 'ExpiredInstance', 'The specified instance has expired.');
    return r;
  });
  if (dryRun) throw err.dryRun();

  const convertMs = kindDuration(ctx, ECS_INSTANCE, 'convert');
  const expiredTime =
    target === 'PostPaid'
      ? POSTPAID_EXPIRED_TIME
      : addPeriod(now, period, unitRaw === 'week' ? 'Week' : 'Month');
  for (const r of instances) {
    // The charge type stays as it was until the order completes; callers poll DescribeInstances.
    r.attributes.PendingChargeType = target;
    ctx.store.put(r);
    scheduleOn(ctx, r, 'charge', convertMs, {
      attributes: { InstanceChargeType: target, ExpiredTime: expiredTime, PendingChargeType: undefined },
    });
  }
  return {
    // 15 digits like ECS order ids; randomInt only spans 48 bits, so in two parts.
    OrderId: `${randomInt(100_000, 1_000_000)}${randomInt(100_000_000, 1_000_000_000)}`,
    FeeOfInstances: {
      FeeOfInstance: instances.map((r) => ({ InstanceId: r.id, Fee: '0', Currency: 'CNY' })),
    },
  };
}

export const ecsProduct: ProductHandler = registerProduct({
  provider: 'alibabacloud',
  service: 'ecs',
  version: ECS_VERSION,
  durations: emulatorDurations(ECS_INSTANCE),
  actions: inAlibabaRegions({
    DescribeInstances: describeInstances,
    DescribeInstanceStatus: describeInstanceStatus,
    StopInstances: stopInstances,
    DeleteInstances: deleteInstances,
    ModifyInstanceChargeType: modifyInstanceChargeType,
  }),
  // StopInstances takes no ClientToken in the ECS API.
  idempotentActions: ['DeleteInstances', 'ModifyInstanceChargeType'],
  resourceDefaults: {
    [ECS_INSTANCE_TYPE]: {
      status: 'Running',
      attributes: {
        InstanceChargeType: 'PostPaid',
        ExpiredTime: POSTPAID_EXPIRED_TIME,
        DeletionProtection: false,
        InstanceType: 'ecs.g7.large',
      },
    },
  },
});
