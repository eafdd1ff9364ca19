// Volcengine ECS 2020-04-01 as the fake cloud answers it (design.md sections 4 and 8):
// DeleteInstances / StopInstances answer HTTP 200 with one `OperationDetails` entry per instance
// (request-level errors only for malformed input), ModifyInstanceChargeType places an order and
// flips the charge type later, DescribeInstances pages with MaxResults/NextToken.
//
// Seed attributes of a 'volcengine.ecs.instance' resource:
//   InstanceChargeType  'PostPaid' (default) | 'PrePaid'
//   ExpiredAt           ISO time or epoch ms; PrePaid without it expires 30 days after createdAt
//   ZoneId              default `${region}-a`
//   Description, StoppedMode ('KeepCharging' | 'StopCharging')
//   failDelete / failStop   an error code answered for this instance in OperationDetails
//   DeletionProtection  true: DescribeInstances shows it and DeleteInstances refuses the instance
// Durations (EmulatorContext.duration): 'volcengine.ecs.delete', 'volcengine.ecs.stop',
// 'volcengine.ecs.convert'.
import { randomInt } from 'node:crypto';
import {
  EmulatorApiError,
  type ApiCall,
  type EmulatedResource,
  type EmulatorContext,
  type ProductHandler,
} from '../types';
import { emulatorDurations } from '../../providers/kind';
import { VOLCENGINE_ECS_INSTANCE as VOLCENGINE_ECS_KIND } from '../../providers/volcengine/ecs.kind';
import { VOLCENGINE_REGIONS } from '../../providers/volcengine/regions';
import { inRealRegions, kindDuration, registerProduct } from '../products';

export const VOLCENGINE_ECS_INSTANCE = 'volcengine.ecs.instance';
export const VOLCENGINE_ECS_VERSION = '2020-04-01';

/** Most ids per DeleteInstances / StopInstances / DescribeInstances call. */
export const ECS_BATCH_LIMIT = 100;
/** ModifyInstanceChargeType takes at most 20 InstanceIds (Volcengine's API reference). */
export const ECS_CONVERT_LIMIT = 20;

/** Statuses in which an instance accepts neither delete nor stop (an operation is under way). */
export const TRANSITIONAL_STATUSES = new Set([
  'CREATING',
  'STOPPING',
  'STARTING',
  'REBOOTING',
  'REBUILDING',
  'RESIZING',
  'DELETING',
]);

const DAY_MS = 86_400_000;

// Codes answered by this product. Per-instance refusals follow Volcengine's documented names;
// the prepaid refusal follows its `Invalid<Thing>.Unsupported` pattern (e.g. the documented
// InvalidDedicatedHostStatus.Unsupported), since the API reference names no code for it.
const NOT_FOUND = { Code: 'InvalidInstance.NotFound', Message: 'The specified instance does not exist.' };
const BAD_STATUS = {
  Code: 'InvalidInstanceStatus',
  Message: 'The status of the specified instance does not support this request.',
};
const PREPAID = {
  Code: 'InvalidInstanceChargeType.Unsupported',
  Message:
    'The charge type of the specified instance does not support this request: a subscription (PrePaid) instance can only be deleted after it expires or is converted to PostPaid.',
};
/** Deleting a protected instance; the code is ours (unverified: the seed document lists none). */
const PROTECTED = {
  Code: 'OperationDenied.DeletionProtection',
  Message: 'The instance has deletion protection enabled; turn it off with ModifyInstanceAttribute first.',
};

type Detail = { InstanceId: string; Error?: { Code: string; Message: string } };

// ---- parameters ---------------------------------------------------------------------------------

function scalar(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function badRequest(code: string, message: string): EmulatorApiError {
  return new EmulatorApiError(400, code, message);
}

/** `Name.1`, `Name.2`, ... (or a JSON array under `Name`), in index order, without repeats. */
export function indexedValues(params: Record<string, unknown>, name: string): string[] {
  const byIndex: Array<[number, string]> = [];
  const direct = params[name];
  if (Array.isArray(direct)) direct.forEach((v, i) => byIndex.push([i + 1, String(v)]));
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)$`);
  for (const key of Object.keys(params)) {
    const m = pattern.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const value = scalar(params, key);
    if (index < 1 || value === undefined)
      throw badRequest('InvalidArgument', `The specified argument ${key} is invalid.`);
    byIndex.push([index, value]);
  }
  byIndex.sort((a, b) => a[0] - b[0]);
  return [...new Set(byIndex.map(([, v]) => v))];
}

function instanceIds(params: Record<string, unknown>, limit: number, required: boolean): string[] {
  const ids = indexedValues(params, 'InstanceIds');
  if (required && ids.length === 0) {
    throw badRequest('MissingParameter', 'The request is missing InstanceIds parameter.');
  }
  if (ids.some((id) => id.trim() === '')) {
    throw badRequest('InvalidArgument', 'The specified argument InstanceIds is invalid.');
  }
  // No Count parameter exists on these actions: InvalidCount.Malformed is how the API
  // reference's DeleteInstances error table can only be reached, by too many ids.
  if (ids.length > limit) {
    throw badRequest(
      'InvalidCount.Malformed',
      `The specified count is malformed: at most ${limit} InstanceIds are allowed.`,
    );
  }
  return ids;
}

function checkClientToken(params: Record<string, unknown>): void {
  const token = scalar(params, 'ClientToken');
  if (token === undefined || token === '') return;
  if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) {
    throw badRequest('InvalidClientToken.Malformed', 'The specified ClientToken is malformed.');
  }
}

function booleanParam(params: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = scalar(params, name);
  if (value === undefined || value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw badRequest(`Invalid${name}.Malformed`, `The specified ${name} is malformed.`);
}

// ---- resource views -----------------------------------------------------------------------------

function chargeType(r: EmulatedResource): string {
  return r.attributes.InstanceChargeType === 'PrePaid' ? 'PrePaid' : 'PostPaid';
}

function timeMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function expiryMs(r: EmulatedResource): number | undefined {
  if (chargeType(r) !== 'PrePaid') return undefined;
  return timeMs(r.attributes.ExpiredAt) ?? (timeMs(r.createdAt) ?? 0) + 30 * DAY_MS;
}

function isUnexpiredPrepaid(r: EmulatedResource, now: number): boolean {
  const expiry = expiryMs(r);
  return expiry !== undefined && expiry > now;
}

/** Volcengine prints times as RFC 3339 with an explicit offset: 2021-06-24T15:30:33+00:00. */
function volcTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function instanceView(r: EmulatedResource): Record<string, unknown> {
  const view: Record<string, unknown> = {
    InstanceId: r.id,
    InstanceName: r.name,
    Description: typeof r.attributes.Description === 'string' ? r.attributes.Description : '',
    Status: r.status,
    InstanceChargeType: chargeType(r),
    ExpiredAt: volcTime(expiryMs(r)),
    CreatedAt: volcTime(timeMs(r.createdAt)),
    ZoneId: typeof r.attributes.ZoneId === 'string' ? r.attributes.ZoneId : `${r.region}-a`,
    ProjectName: 'default',
    DeletionProtection: r.attributes.DeletionProtection === true,
    Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
  };
  if (typeof r.attributes.StoppedMode === 'string') view.StoppedMode = r.attributes.StoppedMode;
  return view;
}

function findInstance(call: ApiCall, ctx: EmulatorContext, id: string): EmulatedResource | undefined {
  const r = ctx.store.get(VOLCENGINE_ECS_INSTANCE, call.account, id);
  return r && r.region === call.region ? r : undefined;
}

function injected(r: EmulatedResource, attribute: string): Detail['Error'] | undefined {
  const code = r.attributes[attribute];
  if (typeof code !== 'string' || code === '') return undefined;
  return { Code: code, Message: `The request failed for instance ${r.id} (${code}).` };
}

function after(ctx: EmulatorContext, which: 'delete' | 'stop' | 'convert'): number {
  return kindDuration(ctx, VOLCENGINE_ECS_KIND, which);
}

// ---- actions ------------------------------------------------------------------------------------

function deleteInstances(call: ApiCall, ctx: EmulatorContext) {
  const ids = instanceIds(call.params, ECS_BATCH_LIMIT, true);
  checkClientToken(call.params);
  const now = ctx.now();
  const OperationDetails: Detail[] = ids.map((id) => {
    const r = findInstance(call, ctx, id);
    if (!r) return { InstanceId: id, Error: NOT_FOUND };
    const failure = injected(r, 'failDelete');
    if (failure) return { InstanceId: id, Error: failure };
    if (TRANSITIONAL_STATUSES.has(r.status)) return { InstanceId: id, Error: BAD_STATUS };
    if (isUnexpiredPrepaid(r, now)) return { InstanceId: id, Error: PREPAID };
    if (r.attributes.DeletionProtection === true) return { InstanceId: id, Error: PROTECTED };
    // Running pay-as-you-go instances are deleted directly: the API has no Force/stop precondition.
    ctx.store.put({ ...r, status: 'DELETING' });
    ctx.store.schedule(VOLCENGINE_ECS_INSTANCE, call.account, id, after(ctx, 'delete'), { remove: true });
    return { InstanceId: id };
  });
  return { OperationDetails };
}

function stopInstances(call: ApiCall, ctx: EmulatorContext) {
  const ids = instanceIds(call.params, ECS_BATCH_LIMIT, true);
  checkClientToken(call.params);
  booleanParam(call.params, 'ForceStop', false);
  const mode = scalar(call.params, 'StoppedMode') || 'KeepCharging';
  if (mode !== 'KeepCharging' && mode !== 'StopCharging') {
    throw badRequest('InvalidStoppedMode.Malformed', 'The specified StoppedMode is malformed.');
  }
  const OperationDetails: Detail[] = ids.map((id) => {
    const r = findInstance(call, ctx, id);
    if (!r) return { InstanceId: id, Error: NOT_FOUND };
    const failure = injected(r, 'failStop');
    if (failure) return { InstanceId: id, Error: failure };
    // A pending change (a charge-type order) is another operation in progress on the instance.
    if (r.status !== 'RUNNING' || ctx.store.hasPending(VOLCENGINE_ECS_INSTANCE, call.account, id)) {
      return { InstanceId: id, Error: BAD_STATUS };
    }
    ctx.store.put({ ...r, status: 'STOPPING' });
    ctx.store.schedule(VOLCENGINE_ECS_INSTANCE, call.account, id, after(ctx, 'stop'), {
      status: 'STOPPED',
      attributes: { StoppedMode: mode },
    });
    return { InstanceId: id };
  });
  return { OperationDetails };
}

function modifyInstanceChargeType(call: ApiCall, ctx: EmulatorContext) {
  const ids = instanceIds(call.params, ECS_CONVERT_LIMIT, true);
  checkClientToken(call.params);
  // The API's default target is PrePaid; only the direction a teardown needs is emulated.
  const target = scalar(call.params, 'InstanceChargeType') || 'PrePaid';
  if (target === 'PrePaid') {
    throw badRequest(
      'InvalidParameter',
      'Converting instances to PrePaid is not emulated; use InstanceChargeType=PostPaid.',
    );
  }
  if (target !== 'PostPaid') {
    throw badRequest('InvalidInstanceChargeType.Malformed', 'The specified InstanceChargeType is malformed.');
  }
  const autoPay = booleanParam(call.params, 'AutoPay', false);
  booleanParam(call.params, 'IncludeDataVolumes', false);
  // The order covers every instance or none: check them all before changing anything.
  const instances = ids.map((id) => {
    const r = findInstance(call, ctx, id);
    if (!r)
      throw new EmulatorApiError(
        404,
        'InvalidInstance.NotFound',
        `The specified instance ${id} does not exist.`,
      );
    if (TRANSITIONAL_STATUSES.has(r.status)) {
      throw badRequest(
        'InvalidInstanceStatus',
        `The status of the specified instance ${id} does not support this request.`,
      );
    }
    return r;
  });
  for (const r of instances) {
    // Already pay-as-you-go, or already ordered: the target state needs nothing more.
    if (chargeType(r) === 'PostPaid' || r.attributes.pendingChargeType === 'PostPaid') continue;
    // AutoPay=false only creates an unpaid order: nothing changes until someone pays it.
    if (!autoPay) continue;
    ctx.store.put({ ...r, attributes: { ...r.attributes, pendingChargeType: 'PostPaid' } });
    ctx.store.schedule(VOLCENGINE_ECS_INSTANCE, call.account, r.id, after(ctx, 'convert'), {
      attributes: { InstanceChargeType: 'PostPaid', ExpiredAt: '', pendingChargeType: undefined },
    });
  }
  return { OrderId: `Order${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}` };
}

function pageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function pageOffset(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw badRequest('InvalidNextToken.Malformed', 'The specified NextToken is malformed.');
  return Number(m[1]);
}

function tagFilters(params: Record<string, unknown>): Array<{ key: string; values: string[] }> {
  const indexes = new Set<number>();
  for (const key of Object.keys(params)) {
    const m = /^TagFilters\.(\d+)\.Key$/.exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((n) => ({
      key: scalar(params, `TagFilters.${n}.Key`) ?? '',
      values: indexedValues(params, `TagFilters.${n}.Values`),
    }));
}

function describeInstances(call: ApiCall, ctx: EmulatorContext) {
  const ids = instanceIds(call.params, ECS_BATCH_LIMIT, false);
  const maxText = scalar(call.params, 'MaxResults');
  const max = maxText === undefined || maxText === '' ? 10 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw badRequest('InvalidMaxResults.Malformed', 'The specified MaxResults is malformed.');
  }
  const nextToken = scalar(call.params, 'NextToken');
  const offset = nextToken ? pageOffset(nextToken) : 0;
  const name = scalar(call.params, 'InstanceName');
  const status = scalar(call.params, 'Status');
  const charge = scalar(call.params, 'InstanceChargeType');
  const zone = scalar(call.params, 'ZoneId');
  const tags = tagFilters(call.params);
  const wanted = ids.length > 0 ? new Set(ids) : undefined;

  const matching = ctx.store
    .list(VOLCENGINE_ECS_INSTANCE, call.account, (r) => {
      if (r.region !== call.region) return false;
      if (wanted && !wanted.has(r.id)) return false;
      if (name && !r.name.includes(name)) return false;
      if (status && r.status !== status) return false;
      if (charge && chargeType(r) !== charge) return false;
      if (zone && instanceView(r).ZoneId !== zone) return false;
      return tags.every(
        (f) => f.key in r.tags && (f.values.length === 0 || f.values.includes(r.tags[f.key]!)),
      );
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  const page = matching.slice(offset, offset + max);
  const end = offset + page.length;
  return {
    Instances: page.map(instanceView),
    NextToken: end < matching.length ? pageToken(end) : '',
    TotalCount: matching.length,
  };
}

export const volcengineEcsProduct: ProductHandler = registerProduct({
  provider: 'volcengine',
  service: 'ecs',
  version: VOLCENGINE_ECS_VERSION,
  durations: emulatorDurations(VOLCENGINE_ECS_KIND),
  // Volcengine's common answer to a region it does not have: HTTP 400 UnsupportedRegion.
  actions: inRealRegions(
    {
      DeleteInstances: deleteInstances,
      StopInstances: stopInstances,
      ModifyInstanceChargeType: modifyInstanceChargeType,
      DescribeInstances: describeInstances,
    },
    VOLCENGINE_REGIONS,
    (region) => new EmulatorApiError(400, 'UnsupportedRegion', `The region ${region} is not supported.`),
  ),
  idempotentActions: ['DeleteInstances', 'StopInstances', 'ModifyInstanceChargeType'],
  resourceDefaults: {
    [VOLCENGINE_ECS_INSTANCE]: { status: 'RUNNING', attributes: { InstanceChargeType: 'PostPaid' } },
  },
});
