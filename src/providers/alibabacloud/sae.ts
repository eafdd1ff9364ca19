// alibabacloud.sae.instance: Serverless App Engine 2019-05-06, ROA style (design.md section 4).
// Instances belong to an application (ctx.appId). Deleting them starts a change order
// (Data.ChangeOrderId); poll DescribeChangeOrder until its Status is final. Only one change order
// may run per application, so Application.ChangerOrderRunning means "wait", and statuses 8/11
// wait for a person and are reported as such instead of being waited on forever.
import { KINDS } from '../../kinds';
import type { ErrorClass } from '../errors';
import { ProviderError } from '../errors';
import type { Assessment, CallContext, DeleteAnswer, KindProvider, PollOutcome } from '../types';
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
const META = KINDS['alibabacloud.sae.instance'];
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

/**
 * Which of `ids` the application still has, with their container status; undefined when the
 * application itself is gone. Instances are listed per group (GroupId is required), page by page.
 */
async function listInstances(ctx: CallContext, ids: string[]): Promise<Map<string, SaeInstance> | undefined> {
  const appId = appIdOf(ctx);
  try {
    const groups = await callRoa<SaeGroup[]>(
      ctx,
      SAE,
      'DescribeApplicationGroups',
      'GET',
      '/pop/v1/sam/app/describeApplicationGroups',
      {
        AppId: appId,
        CurrentPage: 1,
        PageSize: PAGE_SIZE,
      },
    );
    const wanted = new Set(ids);
    const found = new Map<string, SaeInstance>();
    for (const group of groups.body.Data ?? []) {
      for (let page = 1; found.size < wanted.size; page++) {
        const { body } = await callRoa<InstancesPage>(
          ctx,
          SAE,
          'DescribeApplicationInstances',
          'GET',
          '/pop/v1/sam/app/describeApplicationInstances',
          { AppId: appId, GroupId: group.GroupId, CurrentPage: page, PageSize: PAGE_SIZE },
        );
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

export const alibabaSaeInstance: KindProvider = {
  meta: META,
  classify: classifySae,
  prepareSteps: [],

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
};
