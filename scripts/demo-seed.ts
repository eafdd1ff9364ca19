// What the demo seeds into the emulator and the teardown request it then runs: resources of all
// five kinds in one request, in states that exercise every branch (prepare steps, re-issues,
// needs-operator, gone). Seed attribute names are documented in each src/emulator product file.
import type { TeardownRequest } from '../src/contract';

interface SeedResource {
  type: string;
  /** Tencent's global products (MS, GAAP) take none. */
  region?: string;
  id: string;
  status?: string;
  name?: string;
  attributes?: Record<string, unknown>;
}

export interface DemoSeed {
  resources: SeedResource[];
  request: TeardownRequest;
  describe: string[];
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function demoSeed(): DemoSeed {
  const region = 'cn-hangzhou';
  const ecs = (
    id: string,
    status: string,
    attributes: Record<string, unknown>,
    name: string,
  ): SeedResource => ({
    type: 'alibabacloud.ecs.instance',
    region,
    id,
    status,
    name,
    attributes: { InstanceChargeType: 'PostPaid', ...attributes },
  });
  const ecsResources = [
    ecs('i-bp1demo0000running01', 'Running', {}, 'web-1 (running: stopped first)'),
    ecs('i-bp1demo0000running02', 'Running', {}, 'web-2 (running: stopped first)'),
    ecs('i-bp1demo0000running03', 'Running', {}, 'worker-1 (running: stopped first)'),
    ecs('i-bp1demo0000stopped01', 'Stopped', {}, 'batch-1 (stopped)'),
    ecs('i-bp1demo0000stopped02', 'Stopped', {}, 'batch-2 (stopped)'),
    ecs('i-bp1demo0000stopped03', 'Stopped', {}, 'batch-3 (stopped)'),
    ecs(
      'i-bp1demo0000prepaid01',
      'Running',
      { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(90) },
      'db-1 (prepaid: converted, stopped)',
    ),
    ecs(
      'i-bp1demo0000prepaid02',
      'Stopped',
      { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(30) },
      'db-2 (prepaid: converted)',
    ),
    ecs(
      'i-bp1demo0000expired01',
      'Stopped',
      { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(-2) },
      'old-1 (expired prepaid)',
    ),
    ecs(
      'i-bp1demo0protected01',
      'Stopped',
      { DeletionProtection: true },
      'prod-db (deletion protection: needs an operator)',
    ),
  ];
  const gone = ['i-bp1demo00000gone0001', 'i-bp1demo00000gone0002'];

  // Volcengine ECS (cn-beijing): running and stopped pay-as-you-go instances are deleted directly;
  // an unexpired subscription is converted to pay-as-you-go first (convertPrepaid).
  const volcRegion = 'cn-beijing';
  const volc = (
    id: string,
    status: string,
    attributes: Record<string, unknown>,
    name: string,
  ): SeedResource => ({
    type: 'volcengine.ecs.instance',
    region: volcRegion,
    id,
    status,
    name,
    attributes: { InstanceChargeType: 'PostPaid', ...attributes },
  });
  const volcResources = [
    volc('i-ybdemo00running01', 'RUNNING', {}, 'api-1 (running)'),
    volc('i-ybdemo00stopped01', 'STOPPED', {}, 'cron-1 (stopped)'),
    volc(
      'i-ybdemo00prepaid01',
      'RUNNING',
      { InstanceChargeType: 'PrePaid', ExpiredAt: inDays(60) },
      'cache-1 (prepaid: converted first)',
    ),
  ];

  // Alibaba SAE (cn-hangzhou): three instances of one application go in one change order; the
  // canary application's change order stops at 8 (waiting for a manual batch confirmation).
  const saeApp = 'app-demo-web';
  const saeCanary = 'app-demo-canary';
  const saeInstances = ['web-demo-7d9f-aaaa1', 'web-demo-7d9f-aaaa2', 'web-demo-7d9f-aaaa3'];
  const saeCanaryInstance = 'canary-demo-5c4b-bbbb1';
  const saeResources: SeedResource[] = [
    { type: 'alibabacloud.sae.application', region, id: saeApp, name: 'web', status: 'RUNNING' },
    {
      type: 'alibabacloud.sae.application',
      region,
      id: saeCanary,
      name: 'canary',
      status: 'RUNNING',
      attributes: { changeOrderOutcome: 8 },
    },
    ...saeInstances.map(
      (id): SeedResource => ({
        type: 'alibabacloud.sae.instance',
        region,
        id,
        status: 'Running',
        attributes: { AppId: saeApp },
      }),
    ),
    {
      type: 'alibabacloud.sae.instance',
      region,
      id: saeCanaryInstance,
      status: 'Running',
      attributes: { AppId: saeCanary },
    },
  ];

  // Tencent MS: three scans deleted in one task, which times out once (Progress 4) and is re-issued.
  const msScans = ['demo-scan-android-01', 'demo-scan-android-02', 'demo-scan-ios-01'];
  const msResources = msScans.map(
    (id, i): SeedResource => ({
      type: 'tencentcloud.ms.scan',
      id,
      name: ['shop-android 3.1', 'shop-android 3.2', 'shop-ios 3.2'][i],
      attributes: i === 0 ? { failDelete: 'timeout' } : {},
    }),
  );

  // Tencent GAAP: a RUNNING and a CLOSED proxy are destroyed; one lands in OperationFailedInstanceSet
  // once (re-issued under a new ClientToken); one still has bound origin servers and, without
  // force, is left for an operator.
  const gaapResources: SeedResource[] = [
    { type: 'tencentcloud.gaap.proxy', id: 'link-demorun01', name: 'edge-sh (running)', status: 'RUNNING' },
    { type: 'tencentcloud.gaap.proxy', id: 'link-democlosed01', name: 'edge-bj (closed)', status: 'CLOSED' },
    {
      type: 'tencentcloud.gaap.proxy',
      id: 'link-demoretry01',
      name: 'edge-gz (destroy fails once)',
      status: 'RUNNING',
      attributes: { failDestroy: 1 },
    },
    {
      type: 'tencentcloud.gaap.proxy',
      id: 'link-demobound01',
      name: 'edge-hk (origin servers bound)',
      status: 'RUNNING',
      attributes: { boundRealServers: true },
    },
  ];

  return {
    resources: [...ecsResources, ...volcResources, ...saeResources, ...msResources, ...gaapResources],
    request: {
      resources: [
        { kind: 'alibabacloud.ecs.instance', region, ids: [...ecsResources.map((r) => r.id), ...gone] },
        { kind: 'volcengine.ecs.instance', region: volcRegion, ids: volcResources.map((r) => r.id) },
        { kind: 'alibabacloud.sae.instance', region, appId: saeApp, ids: saeInstances },
        { kind: 'alibabacloud.sae.instance', region, appId: saeCanary, ids: [saeCanaryInstance] },
        { kind: 'tencentcloud.ms.scan', ids: msScans },
        { kind: 'tencentcloud.gaap.proxy', ids: gaapResources.map((r) => r.id) },
      ],
      options: { convertPrepaid: true, pollInterval: '1s', deadline: '10m' },
      requestedBy: 'demo',
      reason: 'cloud-teardown demo on the emulator',
    },
    describe: [
      `${ecsResources.length} Alibaba ECS instances in ${region}: ${ecsResources.map((r) => r.name).join('; ')}`,
      `${gone.length} ECS instance ids that never existed (reported not-found)`,
      `${volcResources.length} Volcengine ECS instances in ${volcRegion}: ${volcResources.map((r) => r.name).join('; ')}`,
      `${saeInstances.length + 1} Alibaba SAE instances in ${region}: ${saeInstances.length} of application ${saeApp} (one change order), 1 of ${saeCanary} (its change order waits for a manual batch confirmation: needs an operator)`,
      `${msScans.length} Tencent MS scans: ${msResources.map((r) => r.name).join('; ')} (the delete task times out once and is re-issued)`,
      `${gaapResources.length} Tencent GAAP proxies: ${gaapResources.map((r) => r.name).join('; ')} (no force: the bound one needs an operator)`,
    ],
  };
}
