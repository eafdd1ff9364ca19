// The fake Serverless App Engine (SAE 2019-05-06, ROA): application instances, their deletion
// through change orders, and the reads the provider module makes. The Alibaba family renders
// SAE's envelope around what these handlers return (Data) and around EmulatorApiError.
//
// Seeding:
// - applications: type 'alibabacloud.sae.application', id = AppId, name = AppName, status
//   (default 'RUNNING'), attributes `deployed` (default true), `GroupId` (default '<AppId>-default-group'), `changeOrderOutcome`.
// - instances: type 'alibabacloud.sae.instance', status = container status (default 'Running'),
//   attributes `AppId` (required), `GroupId` (default: the application's), `changeOrderOutcome`.
// `changeOrderOutcome` (3 | 6 | 8 | 10 | 11, on the application or any instance of the batch)
// makes a delete's change order end there instead of 2; 8 and 11 wait for a person forever.
// `changeOrderException: true` (application or instance) leaves it executing (Status 1) with
// SubStatus 1 (exception) after the first step, forever.
// Durations: 'alibabacloud.sae.changeOrderStep' (each of 0 -> 1 -> final takes one step).
import { randomUUID } from 'node:crypto';
import { EmulatorApiError } from '../types';
import type { ApiCall, EmulatedResource, EmulatorContext, ProductHandler } from '../types';
import { SAE_INSTANCE } from '../../providers/alibabacloud/sae.kind';
import { durationName, emulatorDurations } from '../../providers/kind';
import { kindDuration, registerProduct } from '../products';
import { inAlibabaRegions } from './regions';

export const SAE_INSTANCE_TYPE = 'alibabacloud.sae.instance';
export const SAE_APPLICATION_TYPE = 'alibabacloud.sae.application';
export const SAE_CHANGE_ORDER_STEP = durationName(SAE_INSTANCE, 'changeOrderStep');

/** Change order statuses a seed may force as the outcome of a delete. */
export const SAE_FORCED_OUTCOMES = [3, 6, 8, 10, 11] as const;
const FINAL_STATUSES = new Set([2, 3, 6, 10]);

interface ChangeOrderRecord {
  id: string;
  account: string;
  appId: string;
  instanceIds: string[];
  createdAt: number;
  /** The step duration when it was created: later settings do not move orders already running. */
  stepMs: number;
  outcome: number;
  /** Stuck executing with an exception (Status 1, SubStatus 1) after the first step. */
  exception?: boolean;
  pipelineId: string;
  settled: boolean;
}

const orderKey = (account: string, id: string) => `sae:changeOrder:${account}:${id}`;
const appOrdersKey = (account: string, appId: string) => `sae:appOrders:${account}:${appId}`;

// SAE answers HTTP 400 for every error in its DeleteInstances table.
function badRequest(code: string, message: string): EmulatorApiError {
  return new EmulatorApiError(400, code, message);
}

function param(call: ApiCall, name: string): string | undefined {
  const value = call.params[name];
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function requiredParam(call: ApiCall, name: string): string {
  const value = param(call, name);
  if (!value) throw badRequest('InvalidParameter.NotEmpty', `You must specify the parameter ${name}.`);
  return value;
}

function positiveIntParam(call: ApiCall, name: string, fallback: number): number {
  const raw = param(call, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw badRequest('InvalidParameter.Obviously', `The specified parameter is invalid {${name}}.`);
  }
  return value;
}

function findApp(call: ApiCall, ctx: EmulatorContext, appId: string): EmulatedResource {
  const app = ctx.store.get(SAE_APPLICATION_TYPE, call.account, appId);
  if (!app) throw badRequest('InvalidApplication.NotFound', 'The current application does not exist.');
  return app;
}

function defaultGroupId(app: EmulatedResource): string {
  const group = app.attributes.GroupId;
  return typeof group === 'string' && group ? group : `${app.id}-default-group`;
}

function groupOf(instance: EmulatedResource, app: EmulatedResource): string {
  const group = instance.attributes.GroupId;
  return typeof group === 'string' && group ? group : defaultGroupId(app);
}

function forcedOutcome(resource: EmulatedResource | undefined): number | undefined {
  const value = Number(resource?.attributes.changeOrderOutcome);
  return (SAE_FORCED_OUTCOMES as readonly number[]).includes(value) ? value : undefined;
}

function ordersOfApp(ctx: EmulatorContext, account: string, appId: string): ChangeOrderRecord[] {
  const ids = (ctx.memory.get(appOrdersKey(account, appId)) as string[] | undefined) ?? [];
  return ids
    .map((id) => ctx.memory.get(orderKey(account, id)) as ChangeOrderRecord | undefined)
    .filter((order): order is ChangeOrderRecord => order !== undefined);
}

/** The order's status now; reaching 2 removes its instances (once). */
function statusOf(ctx: EmulatorContext, order: ChangeOrderRecord): number {
  const elapsed = ctx.now() - order.createdAt;
  const status = elapsed < order.stepMs ? 0 : elapsed < 2 * order.stepMs ? 1 : order.outcome;
  if (status === 2 && !order.settled) {
    for (const id of order.instanceIds) ctx.store.remove(SAE_INSTANCE_TYPE, order.account, id);
    order.settled = true;
  }
  return status;
}

/** Instances under an order still at 0/1 show as Terminating, like pods being removed. */
function terminatingIds(ctx: EmulatorContext, account: string, appId: string): Set<string> {
  const ids = new Set<string>();
  for (const order of ordersOfApp(ctx, account, appId)) {
    const status = statusOf(ctx, order);
    if (status === 0 || status === 1) order.instanceIds.forEach((id) => ids.add(id));
  }
  return ids;
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function deleteInstances(call: ApiCall, ctx: EmulatorContext): unknown {
  const appId = requiredParam(call, 'AppId');
  const ids = [
    ...new Set(
      requiredParam(call, 'InstanceIds')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0)
    throw badRequest('InvalidParameter.NotEmpty', 'You must specify the parameter InstanceIds.');
  const app = findApp(call, ctx, appId);
  if (app.attributes.deployed === false) {
    throw badRequest(
      'Application.NotDeployYet',
      'The application has not been deployed. Please deploy it and try again.',
    );
  }
  // One change order at a time per application; 8 and 11 are not final, so they block too.
  if (ordersOfApp(ctx, call.account, appId).some((order) => !FINAL_STATUSES.has(statusOf(ctx, order)))) {
    throw badRequest(
      'Application.ChangerOrderRunning',
      'An application change process is in progress. Please try again later.',
    );
  }
  const instances = ids.map((id) => {
    const instance = ctx.store.get(SAE_INSTANCE_TYPE, call.account, id);
    if (!instance || instance.attributes.AppId !== appId) {
      throw badRequest(
        'InvalidParameter.WithMessage',
        `The parameter is invalid {InstanceIds}: instance ${id} does not belong to the application.`,
      );
    }
    return instance;
  });
  const exception = [...instances, app].some((r) => r?.attributes.changeOrderException === true);
  const outcome = exception
    ? 1
    : (instances.map(forcedOutcome).find((o) => o !== undefined) ?? forcedOutcome(app) ?? 2);
  const stepMs = kindDuration(ctx, SAE_INSTANCE, 'changeOrderStep');
  const order: ChangeOrderRecord = {
    id: randomUUID(),
    account: call.account,
    appId,
    instanceIds: ids,
    createdAt: ctx.now(),
    stepMs,
    outcome,
    exception,
    pipelineId: randomUUID(),
    settled: false,
  };
  ctx.memory.set(orderKey(call.account, order.id), order);
  const appOrders = (ctx.memory.get(appOrdersKey(call.account, appId)) as string[] | undefined) ?? [];
  ctx.memory.set(appOrdersKey(call.account, appId), [...appOrders, order.id]);
  // The store drops the instances by itself when the order succeeds, even if nobody asks SAE.
  if (outcome === 2) {
    for (const id of ids)
      ctx.store.schedule(SAE_INSTANCE_TYPE, call.account, id, 2 * stepMs, { remove: true });
  }
  return { ChangeOrderId: order.id };
}

function describeChangeOrder(call: ApiCall, ctx: EmulatorContext): unknown {
  const id = requiredParam(call, 'ChangeOrderId');
  const order = ctx.memory.get(orderKey(call.account, id)) as ChangeOrderRecord | undefined;
  if (!order) throw badRequest('InvalidChangeOrder.NotFound', 'The specified change order does not exist.');
  const status = statusOf(ctx, order);
  const app = ctx.store.get(SAE_APPLICATION_TYPE, call.account, order.appId);
  const manual = order.outcome === 8;
  return {
    ChangeOrderId: order.id,
    AppId: order.appId,
    AppName: app?.name || order.appId,
    Status: status,
    SubStatus: order.exception && ctx.now() - order.createdAt >= 2 * order.stepMs ? 1 : 0,
    CoType: 'Delete Instances',
    CoTypeCode: 'CoDeleteInstances',
    CreateTime: formatTime(order.createdAt),
    Description: `Delete instances ${order.instanceIds.join(',')}`,
    BatchCount: 1,
    BatchType: manual ? 'manual' : 'auto',
    BatchWaitTime: 0,
    Auto: !manual,
    CurrentPipelineId: order.pipelineId,
    ApprovalId: status === 11 ? order.id : '',
    Pipelines: [
      {
        PipelineId: order.pipelineId,
        PipelineName: 'Batch 1 Change',
        Status: status,
        StartTime: order.createdAt,
        UpdateTime: Math.min(ctx.now(), order.createdAt + 2 * order.stepMs),
        BatchType: 0,
        ParallelCount: 0,
      },
    ],
  };
}

function describeApplicationGroups(call: ApiCall, ctx: EmulatorContext): unknown {
  const appId = requiredParam(call, 'AppId');
  const app = findApp(call, ctx, appId);
  const page = positiveIntParam(call, 'CurrentPage', 1);
  const size = positiveIntParam(call, 'PageSize', 10);
  // Evaluating the orders first drops instances whose order has succeeded by now.
  terminatingIds(ctx, call.account, appId);
  const instances = ctx.store.list(SAE_INSTANCE_TYPE, call.account, (r) => r.attributes.AppId === appId);
  const groups = new Map<string, number>([[defaultGroupId(app), 0]]);
  for (const instance of instances) {
    const group = groupOf(instance, app);
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  return [...groups.entries()]
    .map(([groupId, replicas]) => ({
      GroupId: groupId,
      GroupName: groupId === defaultGroupId(app) ? '_DEFAULT_GROUP' : groupId,
      GroupType: groupId === defaultGroupId(app) ? 0 : 1,
      Replicas: replicas,
      PackageType: 'Image',
      ImageUrl: `registry-vpc.${app.region}.aliyuncs.com/demo/${app.name || app.id}:latest`,
      PackageVersion: '1.0.0',
    }))
    .slice((page - 1) * size, page * size);
}

function describeApplicationInstances(call: ApiCall, ctx: EmulatorContext): unknown {
  const appId = requiredParam(call, 'AppId');
  const groupId = requiredParam(call, 'GroupId');
  const app = findApp(call, ctx, appId);
  const page = positiveIntParam(call, 'CurrentPage', 1);
  const size = positiveIntParam(call, 'PageSize', 10);
  const instanceId = param(call, 'InstanceId');
  const terminating = terminatingIds(ctx, call.account, appId);
  const all = ctx.store.list(SAE_INSTANCE_TYPE, call.account, (r) => r.attributes.AppId === appId);
  const groupIds = new Set([defaultGroupId(app), ...all.map((r) => groupOf(r, app))]);
  if (!groupIds.has(groupId))
    throw badRequest('InvalidParameter.Obviously', 'The specified parameter is invalid {GroupId}.');
  const matching = all
    .filter((r) => groupOf(r, app) === groupId && (!instanceId || r.id === instanceId))
    .sort((a, b) => a.id.localeCompare(b.id));
  const instances = matching.slice((page - 1) * size, page * size).map((r) => {
    const status = terminating.has(r.id) ? 'Terminating' : r.status;
    const created = Date.parse(r.createdAt) || ctx.now();
    return {
      InstanceId: r.id,
      GroupId: groupId,
      InstanceContainerStatus: status,
      MainContainerStatus: status,
      InstanceHealthStatus: 'WithoutHealthCheckConfig',
      InstanceContainerRestarts: 0,
      InstanceContainerIp:
        typeof r.attributes.InstanceContainerIp === 'string' ? r.attributes.InstanceContainerIp : '',
      CreateTimeStamp: created,
      FinishTimeStamp: created,
      Timestamp: ctx.now(),
      DebugStatus: false,
      ImageUrl: `registry-vpc.${app.region}.aliyuncs.com/demo/${app.name || app.id}:latest`,
      VSwitchId: typeof r.attributes.VSwitchId === 'string' ? r.attributes.VSwitchId : '',
    };
  });
  // The official response model (Data) has PageSize and TotalSize, no CurrentPage.
  return { PageSize: size, TotalSize: matching.length, Instances: instances };
}

export const saeProduct: ProductHandler = registerProduct({
  provider: 'alibabacloud',
  service: 'sae',
  version: '2019-05-06',
  durations: emulatorDurations(SAE_INSTANCE),
  roaRoutes: [
    { method: 'PUT', path: '/pop/v1/sam/app/deleteInstances', action: 'DeleteInstances' },
    { method: 'GET', path: '/pop/v1/sam/changeorder/DescribeChangeOrder', action: 'DescribeChangeOrder' },
    {
      method: 'GET',
      path: '/pop/v1/sam/app/describeApplicationInstances',
      action: 'DescribeApplicationInstances',
    },
    { method: 'GET', path: '/pop/v1/sam/app/describeApplicationGroups', action: 'DescribeApplicationGroups' },
  ],
  actions: inAlibabaRegions({
    DeleteInstances: deleteInstances,
    DescribeChangeOrder: describeChangeOrder,
    DescribeApplicationInstances: describeApplicationInstances,
    DescribeApplicationGroups: describeApplicationGroups,
  }),
  resourceDefaults: {
    [SAE_APPLICATION_TYPE]: { status: 'RUNNING', attributes: { deployed: true } },
    [SAE_INSTANCE_TYPE]: { status: 'Running' },
  },
});
