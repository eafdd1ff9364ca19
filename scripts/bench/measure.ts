// What the benchmark reads after each run: from the emulator (calls per action, throttled answers,
// the busiest one-second window per action, resources left) and, for cloud-teardown, from the
// workflow histories (workflows, largest history, Temporal actions).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { EmulatorAdmin } from './processes';
import type { Workload } from './workloads';

interface CallEntry {
  at: number;
  provider: string;
  service: string;
  action: string;
  account?: string;
  errorCode?: string;
  httpStatus: number;
}

export interface EmulatorMeasure {
  calls: number;
  callsByAction: Record<string, number>;
  /** Calls of an action divided by the resources of the kinds it serves ('alibabacloud.ecs.*'). */
  callsPerResource: Record<string, number>;
  throttled: number;
  /** Most calls any action (per account) received in one sliding one-second window. */
  busiestWindow: Record<string, number>;
  resourcesLeft: number;
}

/** Most entries in any window [t, t + 1000) per key; entries must be sorted by time. */
export function busiestWindows(
  calls: Array<{ at: number; key: string }>,
  windowMs = 1000,
): Record<string, number> {
  const byKey = new Map<string, number[]>();
  for (const c of calls) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c.at]);
  const out: Record<string, number> = {};
  for (const [key, times] of byKey) {
    times.sort((a, b) => a - b);
    let best = 0;
    for (let lo = 0, hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    out[key] = best;
  }
  return out;
}

export async function measureEmulator(admin: EmulatorAdmin, w: Workload): Promise<EmulatorMeasure> {
  const { calls } = await admin.request<{ calls: CallEntry[] }>('GET', 'calls');
  const stats = await admin.request<{ quotaBreaches: { total: number } }>('GET', 'stats');
  const { resources } = await admin.request<{ resources: Array<{ type: string }> }>('GET', 'resources');
  const kinds = new Set(w.targets.map((t) => t.kind as string));
  const callsByAction: Record<string, number> = {};
  for (const c of calls) {
    const key = `${c.provider}.${c.service}.${c.action}`;
    callsByAction[key] = (callsByAction[key] ?? 0) + 1;
  }
  const perService = new Map<string, number>();
  for (const t of w.targets) {
    const service = t.kind.split('.').slice(0, 2).join('.');
    perService.set(service, (perService.get(service) ?? 0) + t.ids.length);
  }
  const callsPerResource: Record<string, number> = {};
  for (const [action, n] of Object.entries(callsByAction)) {
    const resources = perService.get(action.split('.').slice(0, 2).join('.'));
    if (resources) callsPerResource[action] = n / resources;
  }
  return {
    calls: calls.length,
    callsByAction,
    callsPerResource,
    throttled: stats.quotaBreaches.total,
    busiestWindow: busiestWindows(
      calls.map((c) => ({ at: c.at, key: `${c.account ?? '?'}/${c.provider}.${c.service}.${c.action}` })),
    ),
    resourcesLeft: resources.filter((r) => kinds.has(r.type)).length,
  };
}

export interface HistoryMeasure {
  workflows: number;
  largestEvents: number;
  largestEventsOf: string;
  largestBytes: number;
  largestBytesOf: string;
  /** Billable-style Temporal actions (starts, activity attempts, timers, signals, upserts, updates). */
  actions: number;
}

const E = temporal.api.enums.v1.EventType;

/** Temporal actions an event stands for (Temporal Cloud's action list, approximated from the history). */
export function actionsOf(event: temporal.api.history.v1.IHistoryEvent): number {
  switch (event.eventType) {
    case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
    case E.EVENT_TYPE_TIMER_STARTED:
    case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
    case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
    case E.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
    case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      return 1;
    case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
      // Every attempt is an action; the history keeps the last attempt's start only.
      return event.activityTaskStartedEventAttributes?.attempt ?? 1;
    default:
      return 0;
  }
}

/** Walks the teardown and its children (from their histories), measuring every history. */
export async function measureHistories(client: Client, rootWorkflowId: string): Promise<HistoryMeasure> {
  const m: HistoryMeasure = {
    workflows: 0,
    largestEvents: 0,
    largestEventsOf: '',
    largestBytes: 0,
    largestBytesOf: '',
    actions: 0,
  };
  const queue = [rootWorkflowId];
  const fetchOne = async (workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    m.workflows++;
    if (events.length > m.largestEvents) [m.largestEvents, m.largestEventsOf] = [events.length, workflowId];
    if (bytes > m.largestBytes) [m.largestBytes, m.largestBytesOf] = [bytes, workflowId];
    for (const e of events) {
      m.actions += actionsOf(e);
      const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
      if (child) queue.push(child);
    }
  };
  let inFlight = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (;;) {
      const next = queue.shift();
      if (next === undefined) {
        // Another worker may still be adding children.
        if (inFlight === 0) return;
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      inFlight++;
      try {
        await fetchOne(next);
      } finally {
        inFlight--;
      }
    }
  });
  await Promise.all(workers);
  return m;
}
