// Task queue names and rate limits, one per provider action. Provider quotas belong to an action
// and an account (20 requests/second per action in design.md), so every action's activities run on
// their own task queue and the Temporal server holds its limit (maxTaskQueueActivitiesPerSecond)
// across all workers. Pure: workflows import the names, the worker the names and the limits.
import { z } from 'zod';
import { KIND_NAMES, KINDS, type CloudName, type KindName } from './kinds';

/** What a workflow asks of a kind; each maps onto one provider action. */
export type KindStep = 'describe' | 'delete' | 'poll' | 'discover' | { prepare: string };

/** The quota the providers document when a kind names none: 20 requests per second per action and account. */
export const DOCUMENTED_QUOTA_PER_SECOND = 20;

/** Temporal's default partitions per task queue (matching.numTaskqueueReadPartitions). */
export const DEFAULT_QUEUE_PARTITIONS = 4;

/**
 * The calls of a quota kept free for the time between the server dispatching an activity and its
 * request reaching the provider: that delay varies (a busy worker), so calls dispatched a second
 * apart can arrive closer together. test/workers/rate-limits.test.ts measured one call over the
 * server's own bound at quotas of 5 and 8 with three workers; two (or a tenth) are kept free.
 */
export function dispatchJitterMargin(quotaPerSecond: number): number {
  return Math.max(2, Math.ceil(quotaPerSecond / 10));
}

/**
 * maxTaskQueueActivitiesPerSecond for an action whose provider quota is `quotaPerSecond` calls in
 * any sliding second. The server splits a queue's rate over its partitions and lets each partition
 * start a second's worth of tasks at once (at least one) after a lull, so a queue limited to r can
 * start partitions * max(1, ceil(r / partitions)) + r tasks within one second. This is the largest
 * r that keeps that plus the dispatch jitter margin within the quota, across any number of workers:
 * 9 of 20 with one partition per queue (what docs/scaling.md advises for action queues), 8 of 20
 * with Temporal's default four.
 */
export function queueRateOf(quotaPerSecond: number, partitions = DEFAULT_QUEUE_PARTITIONS): number {
  const room = quotaPerSecond - dispatchJitterMargin(quotaPerSecond);
  const perPartition = Math.floor(room / (2 * partitions));
  if (perPartition >= 1) return perPartition * partitions;
  // Below one task per second and partition each still bursts one: what is left after those.
  return Math.max(room - partitions, room / (2 * partitions), quotaPerSecond / 20);
}

export interface ProviderAction {
  cloud: CloudName;
  /** The product's service name ('ecs', 'sae', 'gaap', 'ms'). */
  service: string;
  /** The API action ('DeleteInstances'). */
  action: string;
  /** 'alibabacloud.ecs.DeleteInstances': the emulator's call log uses the same key. */
  key: string;
  kinds: KindName[];
}

/** The provider action behind a step of a kind (a dry run counts against the delete action). */
export function providerAction(kind: KindName, step: KindStep): ProviderAction {
  const meta = KINDS[kind];
  const [, service] = kind.split('.') as [string, string];
  let action: string;
  if (typeof step === 'object') {
    const named = meta.calls.prepare?.[step.prepare];
    if (!named) throw new Error(`${kind} has no prepare step "${step.prepare}"`);
    action = named;
  } else action = meta.calls[step];
  const key = `${meta.cloud}.${service}.${action}`;
  return { cloud: meta.cloud, service, action, key, kinds: [kind] };
}

/**
 * The task queue of a provider action under the worker's base queue:
 * 'cloud-teardown.alibabacloud.ecs.DeleteInstances', and for a named account (its own quota)
 * 'cloud-teardown.alibabacloud.ecs.DeleteInstances@prod'.
 */
export function actionTaskQueue(baseQueue: string, kind: KindName, step: KindStep, account?: string): string {
  return queueOfAction(baseQueue, providerAction(kind, step), account);
}

export function queueOfAction(
  baseQueue: string,
  action: Pick<ProviderAction, 'key'>,
  account?: string,
): string {
  return `${baseQueue}.${action.key}${account && account !== 'default' ? `@${account}` : ''}`;
}

/** Every provider action of the given kinds, each once (describe and poll often share one). */
export function providerActions(kinds: readonly KindName[] = KIND_NAMES): ProviderAction[] {
  const byKey = new Map<string, ProviderAction>();
  for (const kind of kinds) {
    const steps: KindStep[] = ['describe', 'delete', 'poll', 'discover'];
    for (const prepare of Object.keys(KINDS[kind].calls.prepare ?? {})) steps.push({ prepare });
    for (const step of steps) {
      const a = providerAction(kind, step);
      const known = byKey.get(a.key);
      if (known) {
        if (!known.kinds.includes(kind)) known.kinds.push(kind);
      } else byKey.set(a.key, a);
    }
  }
  return [...byKey.values()];
}

/** TEARDOWN_RATE_ALIBABACLOUD_ECS_DELETEINSTANCES: the service is part of the name because actions repeat across products. */
export function rateEnvName(a: Pick<ProviderAction, 'cloud' | 'service' | 'action'>): string {
  return `TEARDOWN_RATE_${a.cloud}_${a.service}_${a.action}`.toUpperCase();
}

const rateSchema = z.coerce.number().positive().max(10_000);

/** The cloud-wide quota variable: applies to every action of the cloud that has no TEARDOWN_RATE_* of its own. */
export function cloudQuotaEnvName(cloud: CloudName): string {
  return `TEARDOWN_${cloud.toUpperCase()}_ACTIVITIES_PER_SECOND`;
}

/**
 * The quota of each provider action (by key), calls per second: its TEARDOWN_RATE_* variable, else
 * its cloud's TEARDOWN_<CLOUD>_ACTIVITIES_PER_SECOND, else the documented quota.
 */
export function actionQuotas(
  env: Record<string, string | undefined>,
  actions: ProviderAction[] = providerActions(),
): Record<string, number> {
  const read = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const parsed = rateSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`${name}: must be a positive number of calls per second, got "${raw}"`);
    return parsed.data;
  };
  const quotas: Record<string, number> = {};
  for (const a of actions) {
    quotas[a.key] = read(rateEnvName(a)) ?? read(cloudQuotaEnvName(a.cloud)) ?? DOCUMENTED_QUOTA_PER_SECOND;
  }
  return quotas;
}
