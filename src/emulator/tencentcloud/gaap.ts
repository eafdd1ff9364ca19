// Tencent Cloud Global Application Acceleration (gaap 2018-05-29): proxies (connections),
// destroyed with DestroyProxies and watched with DescribeProxies.
//
// DestroyProxies, per proxy: RUNNING, CLOSED and ISOLATED (isolated for arrears) proxies turn
// DESTROYING and disappear after the 'tencentcloud.gaap.destroy' duration; proxies in a
// transitional status land in InvalidStatusInstanceSet; a proxy seeded with `failDestroy: n` lands
// in OperationFailedInstanceSet for the next n calls. With Force=0 the whole call is refused with
// FailedOperation.RealServerAlreadyBound if any proxy still has bound origin servers ("with Force 0,
// several proxies are destroyed only if none of them has a bound origin server").
//
// Unknown ids: GAAP's tables list ResourceNotFound for both actions, and Terraform's provider
// treats ResourceNotFound from DescribeProxies (with explicit ProxyIds) the same as an empty
// ProxySet. We answer ResourceNotFound when none of the named proxies exists, and otherwise leave
// the unknown ones out (DescribeProxies) or skip them (DestroyProxies: already destroyed).
//
// Seed attributes (all optional) of 'tencentcloud.gaap.proxy' resources:
//   boundRealServers: boolean   origin servers are still bound (Force=0 refuses the destroy)
//   failDestroy: number         the next n DestroyProxies calls report it in OperationFailedInstanceSet
//   refuseDestroy: boolean      DestroyProxies lists it in InvalidStatusInstanceSet whatever its status
//   AccessRegion, RealServerRegion, Bandwidth, Concurrent, ProjectId, GroupId, IP, Domain,
//   Version, IPAddressVersion, PackageType, NetworkType, BillingType
//                               echoed in ProxySet; name is ProxyName, tags are TagSet, and
//                               `status` is the proxy's Status.
import { GAAP_PROXY } from '../../providers/tencentcloud/gaap.kind';
import { durationName, emulatorDurations } from '../../providers/kind';
import { kindDuration, registerProduct } from '../products';
import type { ActionHandler, ApiCall, EmulatedResource, EmulatorContext, ProductHandler } from '../types';
import {
  integer,
  objectList,
  present,
  rejectUnknown,
  string,
  stringList,
  tencentError,
  unixSeconds,
} from './family';

export const GAAP_PROXY_TYPE = 'tencentcloud.gaap.proxy';
/** Named duration: how long a proxy stays DESTROYING before it is gone. */
export const GAAP_DESTROY_DURATION = durationName(GAAP_PROXY, 'destroy');
/** At most this many ids per DescribeProxies (documented) and per DestroyProxies (our cap). */
export const GAAP_MAX_IDS = 100;

export const GAAP_STATUSES = [
  'RUNNING',
  'CREATING',
  'DESTROYING',
  'OPENING',
  'CLOSING',
  'CLOSED',
  'ADJUSTING',
  'ISOLATING',
  'ISOLATED',
  'CLONING',
  'RECOVERING',
  'MOVING',
] as const;

/** Statuses a destroy may start from. */
export const GAAP_DESTROYABLE = ['RUNNING', 'CLOSED', 'ISOLATED'];

/** Ids from ProxyIds or the older InstanceIds (not both). */
function proxyIds(params: Record<string, unknown>, required: boolean): string[] | undefined {
  if (present(params, 'ProxyIds') && present(params, 'InstanceIds')) {
    throw tencentError(
      'InvalidParameter',
      'ProxyIds and InstanceIds cannot be specified at the same time; use ProxyIds.',
    );
  }
  const name = present(params, 'InstanceIds') ? 'InstanceIds' : 'ProxyIds';
  const ids = stringList(params, name, { max: GAAP_MAX_IDS });
  if (!ids && required)
    throw tencentError('MissingParameter', 'The request is missing a required parameter `ProxyIds`.');
  return ids;
}

function failuresLeft(resource: EmulatedResource): number {
  const n = resource.attributes.failDestroy;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

function lookup(call: ApiCall, ctx: EmulatorContext, ids: string[]): EmulatedResource[] {
  return ids
    .map((id) => ctx.store.get(GAAP_PROXY_TYPE, call.account, id))
    .filter((r): r is EmulatedResource => r !== undefined);
}

function notFound(ids: string[]): never {
  throw tencentError('ResourceNotFound', `The proxies ${ids.join(', ')} do not exist.`);
}

const destroyProxies: ActionHandler = (call, ctx) => {
  const params = call.params;
  rejectUnknown(params, ['Force', 'InstanceIds', 'ClientToken', 'ProxyIds']);
  const ids = proxyIds(params, true) as string[];
  const force = integer(params, 'Force', { min: 0, max: 1, required: true });
  const token = string(params, 'ClientToken', { maxLength: 64 });
  if (token !== undefined && !/^[\x20-\x7e]*$/.test(token)) {
    throw tencentError('InvalidParameterValue', 'ClientToken must be at most 64 ASCII characters.');
  }

  const proxies = lookup(call, ctx, ids);
  if (proxies.length === 0) notFound(ids);
  if (force === 0) {
    const bound = proxies.filter((p) => p.attributes.boundRealServers === true).map((p) => p.id);
    if (bound.length > 0) {
      throw tencentError(
        'FailedOperation.RealServerAlreadyBound',
        `The proxies ${bound.join(', ')} still have bound origin servers; unbind them or destroy with Force=1.`,
      );
    }
  }

  const invalidStatus: string[] = [];
  const operationFailed: string[] = [];
  const duration = kindDuration(ctx, GAAP_PROXY, 'destroy');
  for (const proxy of proxies) {
    if (!GAAP_DESTROYABLE.includes(proxy.status) || proxy.attributes.refuseDestroy === true) {
      invalidStatus.push(proxy.id);
      continue;
    }
    const left = failuresLeft(proxy);
    if (left > 0) {
      const attributes = { ...proxy.attributes };
      if (left > 1) attributes.failDestroy = left - 1;
      else delete attributes.failDestroy;
      ctx.store.put({ ...proxy, attributes });
      operationFailed.push(proxy.id);
      continue;
    }
    ctx.store.put({ ...proxy, status: 'DESTROYING' });
    ctx.store.schedule(GAAP_PROXY_TYPE, call.account, proxy.id, duration, { remove: true });
  }
  return { InvalidStatusInstanceSet: invalidStatus, OperationFailedInstanceSet: operationFailed };
};

const FILTER_NAMES = [
  'ProjectId',
  'AccessRegion',
  'RealServerRegion',
  'GroupId',
  'IPAddressVersion',
  'PackageType',
] as const;
type FilterName = (typeof FILTER_NAMES)[number];

const ORDER_FIELDS = ['create_time', 'proxy_id', 'bandwidth', 'concurrent_connections'] as const;

function attr<T>(resource: EmulatedResource, name: string, fallback: T): T {
  const value = resource.attributes[name];
  return value === undefined || value === null || typeof value !== typeof fallback ? fallback : (value as T);
}

/** One ProxyInfo entry, with the fields DescribeProxies documents that a teardown can use. */
export function renderProxy(resource: EmulatedResource): Record<string, unknown> {
  const groupId = resource.attributes.GroupId;
  return {
    InstanceId: resource.id,
    ProxyId: resource.id,
    ProxyName: resource.name,
    CreateTime: unixSeconds(resource.createdAt),
    ProjectId: attr(resource, 'ProjectId', 0),
    AccessRegion: attr(resource, 'AccessRegion', 'SouthChina'),
    RealServerRegion: attr(resource, 'RealServerRegion', resource.region),
    Bandwidth: attr(resource, 'Bandwidth', 10),
    Concurrent: attr(resource, 'Concurrent', 2),
    Status: resource.status,
    Domain: attr(resource, 'Domain', `${resource.id}.gaap.example.com`),
    IP: attr(resource, 'IP', ''),
    Version: attr(resource, 'Version', '2.0'),
    Scalarable: 1,
    SupportProtocols: ['TCP', 'UDP', 'HTTP', 'HTTPS'],
    GroupId: typeof groupId === 'string' ? groupId : null,
    PolicyId: null,
    TagSet: Object.entries(resource.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    SupportSecurity: 1,
    BillingType: attr(resource, 'BillingType', 0),
    IPAddressVersion: attr(resource, 'IPAddressVersion', 'IPv4'),
    NetworkType: attr(resource, 'NetworkType', 'normal'),
    PackageType: attr(resource, 'PackageType', 'Thunder'),
    BanStatus: 'NORMAL',
  };
}

function filterValue(proxy: Record<string, unknown>, name: FilterName): string {
  const value = proxy[name];
  return value === null || value === undefined ? '' : String(value);
}

const describeProxies: ActionHandler = (call, ctx) => {
  const params = call.params;
  rejectUnknown(params, [
    'InstanceIds',
    'Offset',
    'Limit',
    'Filters',
    'ProxyIds',
    'TagSet',
    'Independent',
    'Order',
    'OrderField',
  ]);
  const ids = proxyIds(params, false);
  const filters = objectList(params, 'Filters', 10, (item, i) => {
    rejectUnknown(item, ['Name', 'Values']);
    const name = string(item, 'Name', { maxLength: 64 });
    if (name === undefined)
      throw tencentError(
        'MissingParameter',
        `The request is missing a required parameter \`Filters.${i}.Name\`.`,
      );
    if (!(FILTER_NAMES as readonly string[]).includes(name)) {
      throw tencentError(
        'InvalidParameterValue',
        `Filters.${i}.Name must be one of ${FILTER_NAMES.join(', ')}, got ${name}.`,
      );
    }
    const values = stringList(item, 'Values', { max: 5, required: true }) as string[];
    return { name: name as FilterName, values };
  });
  if (ids && filters)
    throw tencentError(
      'InvalidParameter',
      'ProxyIds (InstanceIds) and Filters cannot be specified at the same time.',
    );
  const tags = objectList(params, 'TagSet', 5, (item, i) => {
    rejectUnknown(item, ['TagKey', 'TagValue']);
    const key = string(item, 'TagKey', { maxLength: 128 });
    if (key === undefined)
      throw tencentError(
        'MissingParameter',
        `The request is missing a required parameter \`TagSet.${i}.TagKey\`.`,
      );
    return { key, value: string(item, 'TagValue', { maxLength: 256 }) ?? '' };
  });
  const offset = integer(params, 'Offset', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
  const limit = integer(params, 'Limit', { min: 1, max: GAAP_MAX_IDS }) ?? 20;
  const independent = integer(params, 'Independent', { min: 0, max: 1 });
  const order = string(params, 'Order', { maxLength: 4, oneOf: ['asc', 'desc'] }) ?? 'desc';
  const orderField = string(params, 'OrderField', { maxLength: 32, oneOf: ORDER_FIELDS }) ?? 'create_time';

  if (ids && lookup(call, ctx, ids).length === 0) notFound(ids);
  const rendered = ctx.store
    .list(GAAP_PROXY_TYPE, call.account, (r) => !ids || ids.includes(r.id))
    .map(renderProxy)
    .filter((p) => {
      for (const f of filters ?? []) if (!f.values.includes(filterValue(p, f.name))) return false;
      // Several tags: a proxy carrying any one of them is listed.
      if (tags && tags.length > 0) {
        const set = p.TagSet as Array<{ TagKey: string; TagValue: string }>;
        if (!tags.some((t) => set.some((s) => s.TagKey === t.key && s.TagValue === t.value))) return false;
      }
      if (independent === 1 && p.GroupId !== null) return false;
      if (independent === 0 && p.GroupId === null) return false;
      return true;
    });
  const key: Record<(typeof ORDER_FIELDS)[number], string> = {
    create_time: 'CreateTime',
    proxy_id: 'ProxyId',
    bandwidth: 'Bandwidth',
    concurrent_connections: 'Concurrent',
  };
  const field = key[orderField as (typeof ORDER_FIELDS)[number]];
  const sign = order === 'asc' ? 1 : -1;
  rendered.sort((a, b) => {
    const x = a[field] as number | string;
    const y = b[field] as number | string;
    const primary =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * primary || String(a.ProxyId).localeCompare(String(b.ProxyId));
  });
  return { TotalCount: rendered.length, ProxySet: rendered.slice(offset, offset + limit) };
};

export const gaapProduct: ProductHandler = registerProduct({
  provider: 'tencentcloud',
  service: 'gaap',
  version: '2018-05-29',
  durations: emulatorDurations(GAAP_PROXY),
  actions: {
    DestroyProxies: destroyProxies,
    DescribeProxies: describeProxies,
  },
  idempotentActions: ['DestroyProxies'],
  resourceDefaults: { [GAAP_PROXY_TYPE]: { status: 'RUNNING' } },
});
