// The parent's report: one entry per resource of the teardown (named or discovered), kept current
// by the children's progress signals and results.
import { type ReportTotals, type ResourceGroup, type ResourceReport } from '../contract';
import { countOutcome, emptyTotals } from '../report';
import type { KindName } from '../kinds';

/** Resources of one kind in one place (region / application). */
export interface Target {
  kind: KindName;
  region?: string;
  appId?: string;
  /** Set only when the request names an account ('resources[1].account' says where). */
  account?: string;
  accountField?: string;
  ids: string[];
}

export class TeardownLedger {
  private readonly reports = new Map<string, ResourceReport>();
  /** The application of SAE ids (reports carry no appId; the request does). */
  private readonly appOf = new Map<string, string>();
  /** The account of each resource whose group names one, and where the request named it. */
  private readonly accountOf = new Map<string, { account: string; field: string }>();
  /** Resources discovery listed: absent later, they are already gone, not "never found". */
  private readonly listed = new Set<string>();
  /** Kept with every change: a progress signal must not recount 100,000 resources. */
  private readonly counts = emptyTotals();

  get size(): number {
    return this.reports.size;
  }

  all(): ResourceReport[] {
    return [...this.reports.values()];
  }

  totals(): ReportTotals {
    return { ...this.counts };
  }

  private put(k: string, r: ResourceReport): void {
    const before = this.reports.get(k);
    if (before) countOutcome(this.counts, before.outcome, -1);
    countOutcome(this.counts, r.outcome, 1);
    this.reports.set(k, r);
  }

  /** `listed`: the targets come from discovery (the provider listed them), one per selector. */
  addTargets(targets: readonly Target[], listed = false): void {
    targets.forEach((t, index) => {
      const region = t.region ?? '';
      const field = t.accountField ?? `${listed ? 'selectors' : 'resources'}[${index}].account`;
      for (const id of t.ids) {
        const k = key(t.kind, region, id);
        if (!this.reports.has(k))
          this.put(k, {
            kind: t.kind,
            region,
            id,
            outcome: 'pending',
            ...(t.account ? { account: t.account } : {}),
          });
        if (t.appId) this.appOf.set(k, t.appId);
        if (t.account) this.accountOf.set(k, { account: t.account, field });
        if (listed) this.listed.add(k);
      }
    });
  }

  /** Entries of resources this teardown has; anything else is ignored. */
  merge(changed: readonly ResourceReport[]): void {
    for (const r of changed) {
      const k = key(r.kind, r.region, r.id);
      if (!this.reports.has(k)) continue;
      const account = this.accountOf.get(k)?.account;
      const merged = account ? { ...r, account } : r;
      this.put(
        k,
        merged.outcome === 'not-found' && this.listed.has(k)
          ? { ...merged, outcome: 'already-gone' }
          : merged,
      );
    }
  }

  /**
   * Nothing found is an error: each requested group none of whose ids exists fails with NothingFound
   * (unless allowed). Returns how many groups that was.
   */
  failNothingFound(groups: readonly ResourceGroup[]): number {
    let failed = 0;
    for (const group of groups) {
      const region = group.region ?? '';
      const entries = group.ids.map((id) => this.reports.get(key(group.kind, region, id)));
      if (!entries.every((r) => r?.outcome === 'not-found')) continue;
      failed++;
      const message = nothingFoundMessage(group);
      for (const r of entries)
        this.put(key(r!.kind, r!.region, r!.id), {
          ...r!,
          outcome: 'failed',
          errorCode: 'NothingFound',
          message,
        });
    }
    return failed;
  }

  /** The resources by kind / region / application, in the order they were added. */
  targets(): Target[] {
    const byKey = new Map<string, Target>();
    for (const r of this.reports.values()) {
      const appId = this.appOf.get(key(r.kind, r.region, r.id));
      const owner = this.accountOf.get(key(r.kind, r.region, r.id));
      const k = `${r.kind}|${r.region}|${appId ?? ''}|${owner?.account ?? ''}`;
      const target: Target = byKey.get(k) ?? {
        kind: r.kind,
        region: r.region,
        appId,
        ...(owner ? { account: owner.account, accountField: owner.field } : {}),
        ids: [],
      };
      target.ids.push(r.id);
      byKey.set(k, target);
    }
    return [...byKey.values()];
  }

  /** A group whose workflow failed outright: its unfinished resources fail, naming why. */
  failGroup(group: Target, why: string): void {
    for (const id of group.ids) {
      const k = key(group.kind, group.region ?? '', id);
      const r = this.reports.get(k);
      if (r?.outcome !== 'pending') continue;
      this.put(k, {
        ...r,
        outcome: 'failed',
        errorCode: 'GroupFailed',
        message: `its group workflow failed: ${why}`,
      });
    }
  }

  /** Sets `patch` on every resource whose outcome is `outcome` (and that has no message, if asked). */
  markAll(
    outcome: ResourceReport['outcome'],
    patch: Partial<ResourceReport>,
    onlyWithoutMessage = false,
  ): void {
    for (const [k, r] of this.reports) {
      if (r.outcome !== outcome || (onlyWithoutMessage && r.message)) continue;
      this.put(k, { ...r, ...patch });
    }
  }

  /** The approved run starts from a fresh preflight: the world may have moved while we waited. */
  resetAll(): void {
    for (const [k, r] of this.reports)
      this.put(k, {
        kind: r.kind,
        region: r.region,
        id: r.id,
        outcome: 'pending',
        ...(r.account ? { account: r.account } : {}),
      });
  }
}

/** Names where we looked and what to check, so a typo'd id, region or account is found quickly. */
export function nothingFoundMessage(group: ResourceGroup): string {
  const account = group.account;
  const where = [
    group.region ? `region ${group.region}` : undefined,
    group.appId ? `application ${group.appId}` : undefined,
    account ? `account ${account}` : undefined,
  ].filter(Boolean);
  return (
    `nothing found: none of the ${group.ids.length} ${group.kind} ids exists${where.length ? ` in ${where.join(', ')}` : ''}. ` +
    `Check the ids${group.region ? ', the region' : ''}${group.appId ? ', the application id' : ''} and the account the worker's credentials belong to; ` +
    'set options.allowMissing to accept ids that do not exist'
  );
}

function key(kind: string, region: string, id: string): string {
  return `${kind}|${region}|${id}`;
}
