// The quota bound of a workload: how fast any program can delete it against these quotas and
// transition durations. Per provider action (and account) the calls a teardown needs divided by
// that action's quota; or, if longer, a kind's critical path: its first describe and delete, the
// deletion's transition, then its polls (none can confirm anything before the first transition ends).
import { KINDS, type KindName } from '../../src/kinds';
import { DISCOVERY_PAGE_SIZE } from '../../src/providers/discovery-helpers';
import { teardownRequestOf, type Target, type Workload } from './workloads';

export interface BenchEmulatorSettings {
  quotaPerSecond: number;
  quotaByAction: Record<string, number>;
  durations: Record<string, number>;
}

/** The emulator's transition durations behind one kind's deletion, summed when they follow each other. */
export const DELETE_TRANSITIONS: Record<KindName, Array<{ name: string; times: number }>> = {
  'alibabacloud.ecs.instance': [{ name: 'alibabacloud.ecs.delete', times: 1 }],
  'volcengine.ecs.instance': [{ name: 'volcengine.ecs.delete', times: 1 }],
  // A change order goes 0 -> 1 -> final, one step each.
  'alibabacloud.sae.instance': [{ name: 'alibabacloud.sae.changeOrderStep', times: 2 }],
  'tencentcloud.ms.scan': [{ name: 'tencentcloud.ms.delete', times: 1 }],
  'tencentcloud.gaap.proxy': [{ name: 'tencentcloud.gaap.destroy', times: 1 }],
};

/** 'alibabacloud.ecs.DeleteInstances': the key the emulator's call log and quotas use. */
export function qualifiedAction(kind: KindName, action: string): string {
  const [cloud, service] = kind.split('.');
  return `${cloud}.${service}.${action}`;
}

export interface ActionNeed {
  action: string;
  calls: number;
  quotaPerSecond: number;
  seconds: number;
}

export interface QuotaBound {
  seconds: number;
  actions: ActionNeed[];
  slowest: ActionNeed;
  transitionMs: number;
  transitionOf: string;
  /** The formula with this workload's numbers, printed next to every ratio. */
  formula: string;
}

/**
 * The calls one target group needs at least: list it (when cloud-teardown finds it by selector:
 * 100 a page), describe it, delete it in batches, confirm it once.
 */
export function callsNeeded(target: Target, bySelector = false): Array<{ action: string; calls: number }> {
  const meta = KINDS[target.kind];
  const n = target.ids.length;
  const listing = bySelector
    ? [
        {
          action: qualifiedAction(target.kind, meta.calls.discover),
          calls: Math.ceil(n / DISCOVERY_PAGE_SIZE),
        },
      ]
    : [];
  // A listing kind reads its whole listing (at least these n, a page each) per describe.
  const describes = Math.ceil(n / (meta.describesByListing ? DISCOVERY_PAGE_SIZE : meta.describeLimit));
  const deletes = Math.ceil(n / meta.batchLimit);
  // SAE is confirmed per change order (one per delete call); the others by describing the ids again.
  const polls = meta.calls.poll === meta.calls.describe ? describes : deletes;
  return [
    ...listing,
    { action: qualifiedAction(target.kind, meta.calls.describe), calls: describes },
    { action: qualifiedAction(target.kind, meta.calls.delete), calls: deletes },
    { action: qualifiedAction(target.kind, meta.calls.poll), calls: polls },
  ];
}

export function quotaOf(settings: BenchEmulatorSettings, qualified: string): number {
  const bare = qualified.split('.').pop()!;
  return settings.quotaByAction[qualified] ?? settings.quotaByAction[bare] ?? settings.quotaPerSecond;
}

export function quotaBound(w: Workload, settings: BenchEmulatorSettings): QuotaBound {
  const calls = new Map<string, number>();
  const selected = new Set(teardownRequestOf(w).selectors?.map((s) => s.kind) ?? []);
  for (const t of w.targets)
    for (const need of callsNeeded(t, selected.has(t.kind) && t.appId === undefined))
      calls.set(need.action, (calls.get(need.action) ?? 0) + need.calls);
  const actions = [...calls]
    .map(([action, n]) => {
      const quotaPerSecond = quotaOf(settings, action);
      return { action, calls: n, quotaPerSecond, seconds: n / quotaPerSecond };
    })
    .sort((a, b) => b.seconds - a.seconds || a.action.localeCompare(b.action));
  // The critical path of a kind: its first describe and delete, the deletion's transition, then
  // its polls (which cannot start before the first transition ends) at the poll action's quota.
  let path = { kind: '', seconds: 0, transitionMs: 0, transitionOf: 'none', polls: 0, pollQuota: 0 };
  for (const kind of new Set(w.targets.map((t) => t.kind))) {
    const meta = KINDS[kind];
    const transitionMs = DELETE_TRANSITIONS[kind].reduce(
      (sum, d) => sum + (settings.durations[d.name] ?? 0) * d.times,
      0,
    );
    const pollAction = qualifiedAction(kind, meta.calls.poll);
    const polls = w.targets
      .filter((t) => t.kind === kind)
      .reduce((n, t) => n + callsNeeded(t).find((c, i) => i === 2 && c.action === pollAction)!.calls, 0);
    const pollQuota = quotaOf(settings, pollAction);
    const seconds =
      1 / quotaOf(settings, qualifiedAction(kind, meta.calls.describe)) +
      1 / quotaOf(settings, qualifiedAction(kind, meta.calls.delete)) +
      transitionMs / 1000 +
      polls / pollQuota;
    if (seconds > path.seconds) {
      const transitionOf = DELETE_TRANSITIONS[kind]
        .map((d) => (d.times > 1 ? `${d.times} x ${d.name}` : d.name))
        .join(' + ');
      path = { kind, seconds, transitionMs, transitionOf, polls, pollQuota };
    }
  }
  const slowest = actions[0]!;
  const seconds = Math.max(slowest.seconds, path.seconds);
  const { transitionMs, transitionOf } = path;
  const formula =
    `max(slowest action: calls needed / quota; critical path: one describe + one delete + the transition + the ` +
    `kind's polls / quota) = max(${slowest.action} ${slowest.calls} / ${slowest.quotaPerSecond}/s = ` +
    `${slowest.seconds.toFixed(2)} s; ${path.kind}: ${(path.seconds - transitionMs / 1000 - path.polls / path.pollQuota).toFixed(2)} s + ` +
    `${transitionOf} ${(transitionMs / 1000).toFixed(2)} s + ${path.polls} / ${path.pollQuota}/s) = ${seconds.toFixed(2)} s`;
  return { seconds, actions, slowest, transitionMs, transitionOf, formula };
}
