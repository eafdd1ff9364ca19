// alibabacloud.sae.instance: Serverless App Engine 2019-05-06, ROA style (design.md section 4).
// Instances belong to an application (ctx.appId). Deleting them starts a change order
// (Data.ChangeOrderId); poll DescribeChangeOrder until its Status is final. Only one change order
// may run per application, so Application.ChangerOrderRunning means "wait", and statuses 8/11
// wait for a person and are reported as such instead of being waited on forever.
import { registerProvider } from '../registered';
import { SAE_INSTANCE } from './sae.kind';
import { DISCOVERY_PAGE_SIZE, invalidPageToken, isoTime } from '../discovery-helpers';
import type { ErrorClass } from '../errors';
import { ProviderError } from '../errors';
import type {
  Assessment,
  CallContext,
  DeleteAnswer,
  DiscoveredResource,
  DiscoveryPage,
  KindProvider,
  PollOutcome,
} from '../types';
import { assertBatch, callRoa, makeAlibabaClassifier, required, type AlibabaProduct } from './client';

/** SAE's own codes (plus the change order outcomes poll reports); the shared Alibaba ones come from client.ts. */
export const SAE_ERRORS: Record<string, ErrorClass> = {
  'Application.ChangerOrderRunning': 'busy',
  'Application.InvalidStatus': 'busy',
  'System.Upgrading': 'busy',
  'InvalidApplication.NotFound': 'gone',
  'InvalidAppId.NotFound': 'gone',
  'NoComputeResourceQuota.*': 'needs-operator',
  'Application.NotDeployYet': 'permanent',
  'ChangeOrder.Failed': 'permanent',
  'ChangeOrder.Terminated': 'permanent',
  'ChangeOrder.SystemError': 'permanent',
  'ChangeOrder.AwaitingBatchConfirmation': 'needs-operator',
  'ChangeOrder.PendingApproval': 'needs-operator',
};

export const classifySae = makeAlibabaClassifier(SAE_ERRORS);

const SAE: AlibabaProduct = { product: 'sae', version: '2019-05-06', classify: classifySae };
const META = SAE_INSTANCE;
const PAGE_SIZE = 100;

interface SaeGroup {
  GroupId: string;
  GroupName?: string;
}

interface SaeInstance {
  InstanceId: string;
  InstanceContainerStatus?: string;
  GroupId?: string;
  CreateTimeStamp?: number;
}

interface InstancesPage {
  CurrentPage?: number;
  PageSize?: number;
  TotalSize?: number;
  Instances?: SaeInstance[];
}

interface ChangeOrder {
  ChangeOrderId?: string;
  AppId?: string;
  Status?: number | string;
  /** 0 normal, 1 exception: the order hit an error while Status still says executing. */
  SubStatus?: number | string;
  ErrorMessage?: string;
}

/** Change order statuses (DescribeChangeOrder Data.Status) still on their way to a final one. */
const IN_PROGRESS: Record<number, string> = {
  0: 'preparing',
  1: 'executing',
  9: 'waiting for an automatic batch',
  12: 'approved, pending execution',
};

function appIdOf(ctx: CallContext): string {
  return required(ctx.appId, 'MissingAppId', 'alibabacloud.sae.instance needs the application id (appId)');
}

/** One page of the application's groups. */
function describeGroups(ctx: CallContext, appId: string, page: number, pageSize: number) {
  return callRoa<SaeGroup[]>(
    ctx,
    SAE,
    'DescribeApplicationGroups',
    'GET',
    '/pop/v1/sam/app/describeApplicationGroups',
    { AppId: appId, CurrentPage: page, PageSize: pageSize },
  );
}

/** One page of the instances of one group of the application (GroupId is required). */
function describeInstances(ctx: CallContext, appId: string, groupId: string, page: number, pageSize: number) {
  return callRoa<InstancesPage>(
    ctx,
    SAE,
    'DescribeApplicationInstances',
    'GET',
    '/pop/v1/sam/app/describeApplicationInstances',
    { AppId: appId, GroupId: groupId, CurrentPage: page, PageSize: pageSize },
  );
}

/**
 * Which of `ids` the application still has, with their container status; undefined when the
 * application itself is gone. Instances are listed per group (GroupId is required), page by page.
 */
async function listInstances(ctx: CallContext, ids: string[]): Promise<Map<string, SaeInstance> | undefined> {
  const appId = appIdOf(ctx);
  try {
    const groups = await describeGroups(ctx, appId, 1, PAGE_SIZE);
    const wanted = new Set(ids);
    const found = new Map<string, SaeInstance>();
    for (const group of groups.body.Data ?? []) {
      for (let page = 1; found.size < wanted.size; page++) {
        const { body } = await describeInstances(ctx, appId, group.GroupId, page, PAGE_SIZE);
        const instances = body.Data?.Instances ?? [];
        for (const instance of instances)
          if (wanted.has(instance.InstanceId)) found.set(instance.InstanceId, instance);
        const total = body.Data?.TotalSize ?? 0;
        if (instances.length === 0 || page * PAGE_SIZE >= total) break;
      }
      if (found.size === wanted.size) break;
    }
    return found;
  } catch (err) {
    if (err instanceof ProviderError && err.errorClass === 'gone') return undefined;
    throw err;
  }
}

/**
 * Where a discovery is: listing the application's groups (page `p`), or listing the instances of
 * group `groups[g]` (page `p`). Instances can only be listed per group, so the first page of a
 * discovery lists groups and carries no instances.
 */
type SaeCursor =
  | { s: 'groups'; p: number; groups: string[] }
  | { s: 'instances'; p: number; g: number; groups: string[] };

function encodeCursor(cursor: SaeCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(token: string | undefined): SaeCursor {
  if (token === undefined) return { s: 'groups', p: 1, groups: [] };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidPageToken('alibabacloud', token);
  }
  const c = value as Partial<{ s: unknown; p: unknown; g: unknown; groups: unknown }>;
  const groups = c?.groups;
  const validGroups = Array.isArray(groups) && groups.every((g) => typeof g === 'string' && g !== '');
  const positive = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1;
  if (c?.s === 'groups' && positive(c.p) && validGroups)
    return { s: 'groups', p: c.p, groups: groups as string[] };
  if (
    c?.s === 'instances' &&
    positive(c.p) &&
    validGroups &&
    Number.isInteger(c.g) &&
    (c.g as number) >= 0 &&
    (c.g as number) < (groups as string[]).length
  )
    return { s: 'instances', p: c.p, g: c.g as number, groups: groups as string[] };
  throw invalidPageToken('alibabacloud', token);
}

/** The cursor after the last instance page of group `g`: the next group, or the end. */
function nextGroup(g: number, groups: string[]): string | undefined {
  return g + 1 < groups.length ? encodeCursor({ s: 'instances', p: 1, g: g + 1, groups }) : undefined;
}

function discovered(instance: SaeInstance): DiscoveredResource {
  return {
    id: instance.InstanceId,
    // SAE instances have neither names nor tags: the id is the name.
    name: instance.InstanceId,
    tags: {},
    createdAt: isoTime(instance.CreateTimeStamp, 'ms'),
    status: instance.InstanceContainerStatus ?? 'Unknown',
  };
}

/** One discovery call (a page of groups, or a page of one group's instances). */
async function discoverPage(ctx: CallContext, cursor: SaeCursor): Promise<DiscoveryPage> {
  const appId = appIdOf(ctx);
  if (cursor.s === 'groups') {
    const { body } = await describeGroups(ctx, appId, cursor.p, DISCOVERY_PAGE_SIZE);
    const page = (body.Data ?? []).map((g) => g.GroupId).filter((id) => typeof id === 'string' && id !== '');
    const groups = [...new Set([...cursor.groups, ...page])];
    if (page.length >= DISCOVERY_PAGE_SIZE)
      return { resources: [], nextPageToken: encodeCursor({ s: 'groups', p: cursor.p + 1, groups }) };
    return {
      resources: [],
      nextPageToken: groups.length > 0 ? encodeCursor({ s: 'instances', p: 1, g: 0, groups }) : undefined,
    };
  }
  const { body } = await describeInstances(
    ctx,
    appId,
    cursor.groups[cursor.g],
    cursor.p,
    DISCOVERY_PAGE_SIZE,
  );
  const instances = body.Data?.Instances ?? [];
  const total = body.Data?.TotalSize ?? 0;
  const more = instances.length > 0 && cursor.p * DISCOVERY_PAGE_SIZE < total;
  return {
    resources: instances.map(discovered),
    nextPageToken: more ? encodeCursor({ ...cursor, p: cursor.p + 1 }) : nextGroup(cursor.g, cursor.groups),
  };
}

function orderStatus(order: ChangeOrder): number {
  const status = Number(order.Status);
  return Number.isInteger(status) ? status : -1;
}

function pollOutcomes(ids: string[], orderId: string, order: ChangeOrder): PollOutcome[] {
  const status = orderStatus(order);
  const detail = order.ErrorMessage ? `: ${order.ErrorMessage}` : '';
  const failed = (errorCode: string, message: string, errorClass: ErrorClass): PollOutcome[] =>
    ids.map((id) => ({
      id,
      result: 'failed',
      status: `change order ${orderId}: status ${status}`,
      errorCode,
      message,
      errorClass,
    }));
  // DescribeChangeOrder's Data.SubStatus=1 (exception) while Status stays 1 (executing): the
  // order is stuck until a person looks, so report it instead of waiting out the deadline.
  if (status === 1 && Number(order.SubStatus) === 1) {
    return failed(
      'ChangeOrder.Exception',
      `SAE change order ${orderId} hit an exception while executing (SubStatus 1)${detail}: look at the change order in the SAE console, then retry or abort it`,
      'needs-operator',
    );
  }
  switch (status) {
    case 2:
      return ids.map((id) => ({ id, result: 'gone' }));
    case 3:
      return failed('ChangeOrder.Failed', `SAE change order ${orderId} failed${detail}`, 'permanent');
    case 6:
      return failed(
        'ChangeOrder.Terminated',
        `SAE change order ${orderId} was terminated before it finished${detail}`,
        'permanent',
      );
    case 10:
      return failed(
        'ChangeOrder.SystemError',
        `SAE change order ${orderId} failed with a system error${detail}`,
        'permanent',
      );
    case 8:
      return failed(
        'ChangeOrder.AwaitingBatchConfirmation',
        `SAE change order ${orderId} is waiting for a manual batch confirmation: a person must confirm the next batch (SAE console or ConfirmPipelineBatch) or abort the change order`,
        'needs-operator',
      );
    case 11:
      return failed(
        'ChangeOrder.PendingApproval',
        `SAE change order ${orderId} is pending approval: a person must approve (or reject) it in SAE's approval flow`,
        'needs-operator',
      );
    default: {
      // 0/1/9/12 and any status SAE adds later: keep polling; the kind's deadline bounds the wait.
      const text = IN_PROGRESS[status] ?? `status ${String(order.Status)}`;
      return ids.map((id) => ({ id, result: 'pending', status: `change order ${orderId}: ${text}` }));
    }
  }
}

export const alibabaSaeInstance: KindProvider = registerProvider({
  meta: META,
  classify: classifySae,

  async describe(ctx, ids): Promise<Assessment[]> {
    if (ids.length === 0) return [];
    assertBatch(ids, META.describeLimit, 'DescribeApplicationInstances');
    const found = await listInstances(ctx, ids);
    return ids.map((id): Assessment => {
      const instance = found?.get(id);
      if (!instance) return { id, state: 'gone' };
      const status = instance.InstanceContainerStatus ?? 'Unknown';
      // Terminating: a change order is already removing it; look again rather than delete twice.
      return status === 'Terminating'
        ? { id, state: 'transitional', status }
        : { id, state: 'ready', status };
    });
  },

  async delete(ctx, ids): Promise<DeleteAnswer> {
    if (ids.length === 0) return { outcomes: [] };
    assertBatch(ids, META.batchLimit, 'DeleteInstances');
    // SAE's DeleteInstances takes no ClientToken: a retry while the first change order runs gets
    // Application.ChangerOrderRunning (busy), and a later one finds the instances gone on re-describe.
    const { body, requestId } = await callRoa<{ ChangeOrderId?: string }>(
      ctx,
      SAE,
      'DeleteInstances',
      'PUT',
      '/pop/v1/sam/app/deleteInstances',
      { AppId: appIdOf(ctx), InstanceIds: ids.join(',') },
    );
    return {
      outcomes: ids.map((id) => ({ id, result: 'accepted' })),
      requestId,
      tracking: body.Data?.ChangeOrderId || undefined,
    };
  },

  // SAE filters nothing by tag or name (its instances have neither): every instance of the
  // application is listed, group by group, and the caller filters.
  async discover(ctx, _query, pageToken): Promise<DiscoveryPage> {
    const cursor = decodeCursor(pageToken);
    try {
      return await discoverPage(ctx, cursor);
    } catch (err) {
      // No application, no instances: nothing to discover.
      if (err instanceof ProviderError && err.errorClass === 'gone') return { resources: [] };
      throw err;
    }
  },

  async poll(ctx, ids, tracking): Promise<PollOutcome[]> {
    if (ids.length === 0) return [];
    if (!tracking) {
      // No change order to follow (the delete answered none): watch the instances themselves.
      const found = await listInstances(ctx, ids);
      return ids.map((id): PollOutcome => {
        const instance = found?.get(id);
        return instance
          ? { id, result: 'pending', status: instance.InstanceContainerStatus ?? 'Unknown' }
          : { id, result: 'gone' };
      });
    }
    try {
      const { body } = await callRoa<ChangeOrder>(
        ctx,
        SAE,
        'DescribeChangeOrder',
        'GET',
        '/pop/v1/sam/changeorder/DescribeChangeOrder',
        {
          ChangeOrderId: tracking,
        },
      );
      return pollOutcomes(ids, tracking, body.Data ?? {});
    } catch (err) {
      // The application is gone, and its instances with it.
      if (err instanceof ProviderError && err.errorClass === 'gone')
        return ids.map((id) => ({ id, result: 'gone' }));
      throw err;
    }
  },
});
