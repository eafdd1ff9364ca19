// The benchmark's workloads: what is seeded into the emulator and the targets every contender
// deletes. Every resource is seeded in a state its kind deletes directly (no stop or convert), so
// the three contenders do the same provider work: describe, delete, confirm.
import { MAX_IDS_PER_REQUEST, type TeardownRequestInput } from '../../src/contract';
import type { KindName } from '../../src/kinds';

export interface Target {
  kind: KindName;
  region?: string;
  appId?: string;
  ids: string[];
}

export interface SeedResource {
  type: string;
  id: string;
  region?: string;
  status?: string;
  attributes?: Record<string, unknown>;
}

export interface Workload {
  /** 'mixed-1000', 'alibaba-ecs-2000' */
  name: string;
  label: string;
  size: number;
  targets: Target[];
  seed: SeedResource[];
}

/** Every seeded resource is named so (SAE instances are named by their id): what a selector finds. */
export const BENCH_NAME_PREFIX = 'bench-';

export const WORKLOAD_SHAPES = ['mixed', 'alibaba-ecs'] as const;
export type WorkloadShape = (typeof WORKLOAD_SHAPES)[number];

/** SAE runs one change order per application at a time: instances are spread over applications of this size. */
export const SAE_INSTANCES_PER_APP = 100;

const pad = (n: number) => n.toString().padStart(6, '0');

function idsFor(kind: KindName, count: number): string[] {
  const make: Record<KindName, (n: number) => string> = {
    'alibabacloud.ecs.instance': (n) => `i-bp1bench${pad(n)}`,
    'volcengine.ecs.instance': (n) => `i-ybbench${pad(n)}`,
    'alibabacloud.sae.instance': (n) => `sae-bench-${pad(n)}`,
    'tencentcloud.ms.scan': (n) => `bench-scan-${pad(n)}`,
    'tencentcloud.gaap.proxy': (n) => `link-bench${pad(n)}`,
  };
  return Array.from({ length: count }, (_, n) => make[kind](n));
}

function kindWorkload(kind: KindName, count: number): { targets: Target[]; seed: SeedResource[] } {
  const ids = idsFor(kind, count);
  switch (kind) {
    case 'alibabacloud.ecs.instance':
      return {
        targets: [{ kind, region: 'cn-hangzhou', ids }],
        seed: ids.map((id) => ({
          type: kind,
          id,
          region: 'cn-hangzhou',
          status: 'Stopped',
          attributes: { InstanceChargeType: 'PostPaid' },
        })),
      };
    case 'volcengine.ecs.instance':
      return {
        targets: [{ kind, region: 'cn-beijing', ids }],
        seed: ids.map((id) => ({
          type: kind,
          id,
          region: 'cn-beijing',
          status: 'RUNNING',
          attributes: { InstanceChargeType: 'PostPaid' },
        })),
      };
    case 'alibabacloud.sae.instance': {
      const targets: Target[] = [];
      const seed: SeedResource[] = [];
      for (let start = 0; start < ids.length; start += SAE_INSTANCES_PER_APP) {
        const appId = `app-bench-${pad(start / SAE_INSTANCES_PER_APP)}`;
        const appIds = ids.slice(start, start + SAE_INSTANCES_PER_APP);
        targets.push({ kind, region: 'cn-hangzhou', appId, ids: appIds });
        seed.push({
          type: 'alibabacloud.sae.application',
          id: appId,
          region: 'cn-hangzhou',
          status: 'RUNNING',
        });
        for (const id of appIds)
          seed.push({
            type: kind,
            id,
            region: 'cn-hangzhou',
            status: 'Running',
            attributes: { AppId: appId },
          });
      }
      return { targets, seed };
    }
    case 'tencentcloud.ms.scan':
      return { targets: [{ kind, ids }], seed: ids.map((id) => ({ type: kind, id })) };
    case 'tencentcloud.gaap.proxy':
      return { targets: [{ kind, ids }], seed: ids.map((id) => ({ type: kind, id, status: 'RUNNING' })) };
    default:
      throw new Error(`no benchmark workload for ${kind}`);
  }
}

const MIXED_KINDS: KindName[] = [
  'alibabacloud.ecs.instance',
  'alibabacloud.sae.instance',
  'volcengine.ecs.instance',
  'tencentcloud.ms.scan',
  'tencentcloud.gaap.proxy',
];

export function workload(shape: WorkloadShape, size: number): Workload {
  if (!Number.isInteger(size) || size < MIXED_KINDS.length) {
    throw new Error(`size must be an integer of at least ${MIXED_KINDS.length}, got ${size}`);
  }
  const parts =
    shape === 'alibaba-ecs'
      ? [kindWorkload('alibabacloud.ecs.instance', size)]
      : MIXED_KINDS.map((kind, i) =>
          // Equal shares; the remainder goes to the first kinds.
          kindWorkload(kind, Math.floor(size / MIXED_KINDS.length) + (i < size % MIXED_KINDS.length ? 1 : 0)),
        );
  const label =
    shape === 'alibaba-ecs'
      ? `${size.toLocaleString('en-US')} Alibaba ECS`
      : `${size.toLocaleString('en-US')} mixed (${Math.floor(size / MIXED_KINDS.length).toLocaleString('en-US')} per kind)`;
  return {
    name: `${shape}-${size}`,
    label,
    size,
    targets: parts.flatMap((p) => p.targets),
    seed: parts.flatMap((p) => p.seed).map((r) => ({ ...r, name: `${BENCH_NAME_PREFIX}${r.id}` })),
  };
}

/**
 * What cloud-teardown is asked: the ids, or above MAX_IDS_PER_REQUEST (100,000 ids would exceed
 * Temporal's 2 MB payload limit) a name-prefix selector per kind and region, SAE (whose selectors
 * need an application each) still by id.
 */
export function teardownRequestOf(
  w: Workload,
): Pick<TeardownRequestInput, 'resources' | 'selectors' | 'options'> {
  if (w.size <= MAX_IDS_PER_REQUEST) return { resources: w.targets };
  const byId = w.targets.filter((t) => t.appId !== undefined);
  const selected = w.targets.filter((t) => t.appId === undefined);
  return {
    resources: byId,
    selectors: selected.map((t) => ({ kind: t.kind, region: t.region, namePrefix: BENCH_NAME_PREFIX })),
    options: { maxResources: w.size },
  };
}

/** The first `count` resources of a workload (for the per-resource loop's extrapolated runs), kinds kept in proportion. */
export function sampleOf(w: Workload, count: number): Workload {
  if (count >= w.size) return w;
  const fraction = count / w.size;
  const targets: Target[] = [];
  const byKind = new Map<KindName, Target[]>();
  for (const t of w.targets) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
  for (const group of byKind.values()) {
    let want = Math.max(1, Math.round(group.reduce((n, t) => n + t.ids.length, 0) * fraction));
    for (const t of group) {
      if (want <= 0) break;
      const ids = t.ids.slice(0, want);
      want -= ids.length;
      targets.push({ ...t, ids });
    }
  }
  const keep = new Set(targets.flatMap((t) => t.ids.map((id) => `${t.kind}|${id}`)));
  const apps = new Set(targets.map((t) => t.appId).filter(Boolean));
  const seed = w.seed.filter(
    (s) => keep.has(`${s.type}|${s.id}`) || (s.type.endsWith('.application') && apps.has(s.id)),
  );
  const size = targets.reduce((n, t) => n + t.ids.length, 0);
  return { ...w, name: `${w.name}-sample-${size}`, size, targets, seed };
}

/** Parses '--sizes': 'mixed-1000,alibaba-ecs-2000' or bare numbers (mixed), '2000-ecs' style aliases. */
export function parseWorkloads(text: string): Array<{ shape: WorkloadShape; size: number }> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^(?:(mixed|alibaba-ecs|ecs)[-:])?(\d[\d_]*)$/.exec(item);
      if (!m) throw new Error(`--sizes: "${item}" is not a size like 1000, mixed-10000 or ecs-2000`);
      const shape: WorkloadShape = m[1] === 'ecs' || m[1] === 'alibaba-ecs' ? 'alibaba-ecs' : 'mixed';
      return { shape, size: Number(m[2]!.replace(/_/g, '')) };
    });
}
