// The parent's report: one entry per resource of the teardown (named or discovered), kept current
// by the children's progress signals and results.
import { computeTotals, type ReportTotals, type ResourceReport } from '../contract';
import type { KindName } from '../kinds';

/** Resources of one kind in one place (region / application). */
export interface Target {
  kind: KindName;
  region?: string;
  appId?: string;
  ids: string[];
}

export class TeardownLedger {
  private readonly reports = new Map<string, ResourceReport>();
  /** The application of SAE ids (reports carry no appId; the request does). */
  private readonly appOf = new Map<string, string>();

  get size(): number {
    return this.reports.size;
  }

  all(): ResourceReport[] {
    return [...this.reports.values()];
  }

  totals(): ReportTotals {
    return computeTotals(this.all());
  }

  addTargets(targets: readonly Target[]): void {
    for (const t of targets) {
      const region = t.region ?? '';
      for (const id of t.ids) {
        const k = key(t.kind, region, id);
        if (!this.reports.has(k)) this.reports.set(k, { kind: t.kind, region, id, outcome: 'pending' });
        if (t.appId) this.appOf.set(k, t.appId);
      }
    }
  }

  /** Entries of resources this teardown has; anything else is ignored. */
  merge(changed: readonly ResourceReport[]): void {
    for (const r of changed) {
      const k = key(r.kind, r.region, r.id);
      if (this.reports.has(k)) this.reports.set(k, r);
    }
  }

  /** The resources by kind / region / application, in the order they were added. */
  targets(): Target[] {
    const byKey = new Map<string, Target>();
    for (const r of this.reports.values()) {
      const appId = this.appOf.get(key(r.kind, r.region, r.id));
      const k = `${r.kind}|${r.region}|${appId ?? ''}`;
      const target = byKey.get(k) ?? { kind: r.kind, region: r.region, appId, ids: [] };
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
      this.reports.set(k, {
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
      this.reports.set(k, { ...r, ...patch });
    }
  }

  /** The approved run starts from a fresh preflight: the world may have moved while we waited. */
  resetAll(): void {
    for (const [k, r] of this.reports)
      this.reports.set(k, { kind: r.kind, region: r.region, id: r.id, outcome: 'pending' });
  }
}

function key(kind: string, region: string, id: string): string {
  return `${kind}|${region}|${id}`;
}
