// The 1,000 resources of the prod-stack teardown: all five kinds, in states that need the prepare
// steps (running instances stopped first, prepaid ones converted), and the ids each delete sent.
import type { CallLogEntry, SeedResource } from '../../src/emulator/types';
import type { KindName } from '../../src/kinds';

export interface Fleet {
  seed: SeedResource[];
  groups: Array<{ kind: KindName; region?: string; appId?: string; ids: string[] }>;
  ids: Set<string>;
  kinds: KindName[];
  total: number;
  /** Fewest delete calls the fleet needs (each kind's batch limit). */
  batchesAtLeast: number;
  /** Ids whose delete call carries a ClientToken (ECS on both clouds, GAAP). */
  tokenCarryingIds: number;
}

const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function mixedFleet(stamp: string): Fleet {
  const seed: SeedResource[] = [];
  const groups: Fleet['groups'] = [];

  const ecs = numbered(`i-bp1ps${stamp}`, 400);
  ecs.forEach((id, i) =>
    seed.push({
      type: 'alibabacloud.ecs.instance',
      region: 'cn-hangzhou',
      id,
      status: i % 2 === 0 ? 'Running' : 'Stopped',
      attributes:
        i % 20 === 1
          ? { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(60) }
          : { InstanceChargeType: 'PostPaid' },
    }),
  );
  groups.push({ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids: ecs });

  const volc = numbered(`i-ybps${stamp}`, 250);
  volc.forEach((id, i) =>
    seed.push({
      type: 'volcengine.ecs.instance',
      region: 'cn-beijing',
      id,
      status: i % 3 === 0 ? 'STOPPED' : 'RUNNING',
      attributes: { InstanceChargeType: 'PostPaid' },
    }),
  );
  groups.push({ kind: 'volcengine.ecs.instance', region: 'cn-beijing', ids: volc });

  const gaap = numbered(`link-ps${stamp}`, 200);
  gaap.forEach((id, i) =>
    seed.push({ type: 'tencentcloud.gaap.proxy', id, status: i % 3 === 0 ? 'CLOSED' : 'RUNNING' }),
  );
  groups.push({ kind: 'tencentcloud.gaap.proxy', ids: gaap });

  const ms = numbered(`app-ps${stamp}`, 100);
  ms.forEach((id) => seed.push({ type: 'tencentcloud.ms.scan', id }));
  groups.push({ kind: 'tencentcloud.ms.scan', ids: ms });

  const sae: string[] = [];
  for (let app = 0; app < 5; app++) {
    const appId = `app-ps${stamp}-sae${app}`;
    const ids = numbered(`sae-ps${stamp}-${app}-`, 10);
    seed.push({ type: 'alibabacloud.sae.application', region: 'cn-hangzhou', id: appId, status: 'RUNNING' });
    for (const id of ids)
      seed.push({
        type: 'alibabacloud.sae.instance',
        region: 'cn-hangzhou',
        id,
        status: 'Running',
        attributes: { AppId: appId },
      });
    groups.push({ kind: 'alibabacloud.sae.instance', region: 'cn-hangzhou', appId, ids });
    sae.push(...ids);
  }

  const all = [...ecs, ...volc, ...gaap, ...ms, ...sae];
  return {
    seed,
    groups,
    ids: new Set(all),
    kinds: [...new Set(groups.map((g) => g.kind))],
    total: all.length,
    batchesAtLeast: 4 + 3 + 2 + 5 + 5,
    tokenCarryingIds: ecs.length + volc.length + gaap.length,
  };
}

/** The resource ids one delete call named, from its wire parameters. */
export function sentIds(call: CallLogEntry): string[] {
  const indexed = (prefix: string) =>
    Object.entries(call.params)
      .filter(([k]) => k.startsWith(prefix))
      .map(([, v]) => String(v));
  switch (`${call.provider}.${call.service}`) {
    case 'alibabacloud.ecs':
      return indexed('InstanceId.');
    case 'volcengine.ecs':
      return indexed('InstanceIds.');
    case 'tencentcloud.gaap':
      return (call.params.ProxyIds as unknown[]).map(String);
    case 'tencentcloud.ms':
      return (call.params.AppSids as unknown[]).map(String);
    case 'alibabacloud.sae':
      return String(call.params.InstanceIds).split(',');
    default:
      throw new Error(`not a delete call of a known kind: ${call.provider}.${call.service}.${call.action}`);
  }
}
