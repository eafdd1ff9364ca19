// Tencent Cloud Mobile Security (ms 2018-04-08): app scans, deleted with DeleteScanInstances.
// Tencent withdrew these actions from its live API and SDK models; the shapes follow the last
// published SDK models (AppScanSet, Filter {Name, Value}) and the seed document.
//
// A delete is a task per exact set of AppSids: the first call starts it (Progress 2, the scans'
// TaskStatus turns 2), calling again with the same AppSids reports its progress, and after the
// 'tencentcloud.ms.delete' duration it ends in 1 (scans gone), 3 (error) or 4 (timed out). Once the
// caller has seen the 4 (from DeleteScanInstances, or as TaskStatus 4 in DescribeScanInstances),
// the next DeleteScanInstances starts a fresh task; after 1 or 3 it keeps reporting that result.
// Over quota the emulator answers RequestLimitExceeded like every Tencent product; MS's own
// LimitExceeded (in its error table) is never produced here, inject it as a fault.
//
// Seed attributes (all optional) of 'tencentcloud.ms.scan' resources:
//   failDelete: 'error' | 'timeout'  the next delete task containing this scan ends in 3 / 4
//   failDeleteTasks: number          how many tasks failDelete applies to (default 1)
//   TaskStatus: 1..4                 the scan's own task status (default 1, finished)
//   ItemId, AppPkgName, AppVersion, AppMd5, AppSize, ScanCode, TaskTime, AppIconUrl, SafeType,
//   VulCount                         echoed in ScanSet; the resource name is AppName.
import { MS_SCAN } from '../../providers/tencentcloud/ms.kind';
import { durationName, emulatorDurations } from '../../providers/kind';
import { kindDuration, registerProduct } from '../products';
import type { ActionHandler, ApiCall, EmulatedResource, EmulatorContext, ProductHandler } from '../types';
import { integer, objectList, rejectUnknown, string, stringList, tencentError, unixSeconds } from './family';

export const MS_SCAN_TYPE = 'tencentcloud.ms.scan';
/** Named duration: how long a delete task runs before it reports its result. */
export const MS_DELETE_DURATION = durationName(MS_SCAN, 'delete');
/** DeleteScanInstances takes at most 20 AppSids (seed document). */
export const MS_DELETE_MAX_APPSIDS = 20;
/** DescribeScanInstances: Limit defaults to 20, at most 100 (SDK model). */
export const MS_DESCRIBE_MAX_LIMIT = 100;

type Progress = 1 | 2 | 3 | 4;

interface DeleteTask {
  appSids: string[];
  /** AppSids that existed when the task started (unknown ones are a no-op). */
  known: string[];
  startedAt: number;
  finishAt: number;
  outcome: 1 | 3 | 4;
  /** The caller has seen the timeout: the next call is a re-issue. */
  timeoutSeen: boolean;
}

function taskKey(account: string, appSids: string[]): string {
  return `tencentcloud.ms:deleteTask:${account}:${[...appSids].sort().join(',')}`;
}

/** Which task last took a scan, so DescribeScanInstances can tell that task its timeout was seen. */
function scanTaskKey(account: string, appSid: string): string {
  return `tencentcloud.ms:scanTask:${account}:${appSid}`;
}

function taskStatusOf(resource: EmulatedResource): Progress {
  const value = resource.attributes.TaskStatus;
  return value === 1 || value === 2 || value === 3 || value === 4 ? value : 1;
}

function remainingFailures(resource: EmulatedResource): number {
  const n = resource.attributes.failDeleteTasks;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 1;
}

function failureOf(resource: EmulatedResource): 'error' | 'timeout' | undefined {
  const mode = resource.attributes.failDelete;
  if ((mode === 'error' || mode === 'timeout') && remainingFailures(resource) > 0) return mode;
  return undefined;
}

function startTask(call: ApiCall, ctx: EmulatorContext, appSids: string[]): DeleteTask {
  const now = ctx.now();
  const resources = appSids
    .map((id) => ctx.store.get(MS_SCAN_TYPE, call.account, id))
    .filter((r): r is EmulatedResource => r !== undefined);
  // Deleting AppSids that do not exist is a no-op: a task with none left is done at once.
  if (resources.length === 0)
    return { appSids, known: [], startedAt: now, finishAt: now, outcome: 1, timeoutSeen: false };

  const failures = resources.map(failureOf);
  const outcome: 1 | 3 | 4 = failures.includes('error') ? 3 : failures.includes('timeout') ? 4 : 1;
  const duration = kindDuration(ctx, MS_SCAN, 'delete');
  for (const resource of resources) {
    const attributes: Record<string, unknown> = { ...resource.attributes, TaskStatus: 2 };
    if (failureOf(resource)) {
      // Each task containing the scan uses up one injected failure.
      const left = remainingFailures(resource) - 1;
      if (left > 0) attributes.failDeleteTasks = left;
      else {
        delete attributes.failDelete;
        delete attributes.failDeleteTasks;
      }
    }
    ctx.store.put({ ...resource, status: 'DELETING', attributes });
    if (outcome === 1) {
      ctx.store.schedule(MS_SCAN_TYPE, call.account, resource.id, duration, { remove: true });
    } else {
      // A failed task deletes nothing: every scan of the batch stays, showing the task's result.
      ctx.store.schedule(MS_SCAN_TYPE, call.account, resource.id, duration, {
        status: outcome === 3 ? 'DELETE_FAILED' : 'DELETE_TIMEOUT',
        attributes: { ...attributes, TaskStatus: outcome },
      });
    }
  }
  return {
    appSids,
    known: resources.map((r) => r.id),
    startedAt: now,
    finishAt: now + duration,
    outcome,
    timeoutSeen: false,
  };
}

function progressOf(task: DeleteTask, now: number): Progress {
  return now >= task.finishAt ? task.outcome : 2;
}

const deleteScanInstances: ActionHandler = (call, ctx) => {
  rejectUnknown(call.params, ['AppSids']);
  const appSids = stringList(call.params, 'AppSids', {
    max: MS_DELETE_MAX_APPSIDS,
    required: true,
  }) as string[];
  const key = taskKey(call.account, appSids);
  const existing = ctx.memory.get(key) as DeleteTask | undefined;
  if (existing) {
    const progress = progressOf(existing, ctx.now());
    if (progress !== 4) return { Progress: progress };
    // A timed-out task reports 4 until the caller has seen it; the call after that re-issues.
    if (!existing.timeoutSeen) {
      existing.timeoutSeen = true;
      return { Progress: 4 };
    }
  }
  const task = startTask(call, ctx, appSids);
  ctx.memory.set(key, task);
  for (const id of task.known) ctx.memory.set(scanTaskKey(call.account, id), key);
  return { Progress: progressOf(task, ctx.now()) };
};

/**
 * The filter names DescribeScanInstances documents (app name, package name). Others, AppSid
 * among them, are ignored as the real API ignores them: a module trusting an AppSid filter would
 * read someone else's scans.
 */
const FILTER_NAMES = ['AppName', 'AppPkgName'] as const;
type FilterName = (typeof FILTER_NAMES)[number];

function fieldOf(resource: EmulatedResource, name: FilterName): string {
  if (name === 'AppName') return resource.name;
  const value = resource.attributes.AppPkgName;
  return typeof value === 'string' ? value : '';
}

function attr<T>(resource: EmulatedResource, name: string, fallback: T): T {
  const value = resource.attributes[name];
  return value === undefined || value === null || typeof value !== typeof fallback ? fallback : (value as T);
}

/** One AppScanSet entry, as the SDK model describes it. */
export function renderScan(resource: EmulatedResource): Record<string, unknown> {
  return {
    ItemId: attr(resource, 'ItemId', `item-${resource.id}`),
    AppName: resource.name,
    AppPkgName: attr(resource, 'AppPkgName', ''),
    AppVersion: attr(resource, 'AppVersion', ''),
    AppMd5: attr(resource, 'AppMd5', ''),
    AppSize: attr(resource, 'AppSize', 0),
    ScanCode: attr(resource, 'ScanCode', 0),
    TaskStatus: taskStatusOf(resource),
    TaskTime: attr(resource, 'TaskTime', unixSeconds(resource.createdAt)),
    AppIconUrl: attr(resource, 'AppIconUrl', ''),
    AppSid: resource.id,
    SafeType: attr(resource, 'SafeType', 1),
    VulCount: attr(resource, 'VulCount', 0),
  };
}

const describeScanInstances: ActionHandler = (call, ctx) => {
  const params = call.params;
  rejectUnknown(params, ['Filters', 'Offset', 'Limit', 'ItemIds', 'OrderField', 'OrderDirection']);
  const filters = objectList(params, 'Filters', 50, (item, i) => {
    rejectUnknown(item, ['Name', 'Value']);
    const name = string(item, 'Name', { maxLength: 64 });
    const value = string(item, 'Value', { maxLength: 256 });
    if (name === undefined)
      throw tencentError(
        'MissingParameter',
        `The request is missing a required parameter \`Filters.${i}.Name\`.`,
      );
    if (value === undefined)
      throw tencentError(
        'MissingParameter',
        `The request is missing a required parameter \`Filters.${i}.Value\`.`,
      );
    return { name, value };
  });
  const itemIds = stringList(params, 'ItemIds', { max: MS_DESCRIBE_MAX_LIMIT });
  if (filters && itemIds)
    throw tencentError('InvalidParameter', 'ItemIds and Filters cannot be specified at the same time.');
  const offset = integer(params, 'Offset', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
  const limit = integer(params, 'Limit', { min: 1, max: MS_DESCRIBE_MAX_LIMIT }) ?? 20;
  string(params, 'OrderField', { maxLength: 32, oneOf: ['TaskTime'] });
  const direction = string(params, 'OrderDirection', { maxLength: 4, oneOf: ['asc', 'desc'] }) ?? 'desc';

  // Filters with the same Name are alternatives (OR); different Names must all match (AND).
  const byName = new Map<FilterName, Set<string>>();
  for (const f of filters ?? []) {
    if (!(FILTER_NAMES as readonly string[]).includes(f.name)) continue;
    const name = f.name as FilterName;
    byName.set(name, (byName.get(name) ?? new Set()).add(f.value));
  }
  const matched = ctx.store.list(MS_SCAN_TYPE, call.account, (r) => {
    if (itemIds && !itemIds.includes(String(renderScan(r).ItemId))) return false;
    for (const [name, values] of byName) if (!values.has(fieldOf(r, name))) return false;
    return true;
  });
  const rendered = matched.map(renderScan);
  for (const scan of rendered) {
    if (scan.TaskStatus !== 4) continue;
    const key = ctx.memory.get(scanTaskKey(call.account, String(scan.AppSid))) as string | undefined;
    const task = key ? (ctx.memory.get(key) as DeleteTask | undefined) : undefined;
    if (task && task.outcome === 4 && progressOf(task, ctx.now()) === 4) task.timeoutSeen = true;
  }
  const sign = direction === 'asc' ? 1 : -1;
  rendered.sort(
    (a, b) =>
      sign * ((a.TaskTime as number) - (b.TaskTime as number)) ||
      String(a.AppSid).localeCompare(String(b.AppSid)),
  );
  return { TotalCount: rendered.length, ScanSet: rendered.slice(offset, offset + limit) };
};

export const msProduct: ProductHandler = registerProduct({
  provider: 'tencentcloud',
  service: 'ms',
  version: '2018-04-08',
  durations: emulatorDurations(MS_SCAN),
  actions: {
    DeleteScanInstances: deleteScanInstances,
    DescribeScanInstances: describeScanInstances,
  },
  resourceDefaults: { [MS_SCAN_TYPE]: { status: 'SCANNED', attributes: { TaskStatus: 1 } } },
});
