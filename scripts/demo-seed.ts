// What the demo seeds into the emulator and the teardown request it then runs: resources of
// every enabled kind, in states that exercise every branch (prepare steps, needs-operator, gone).
import type { TeardownRequest } from '../src/contract';

interface SeedResource {
  type: string;
  region: string;
  id: string;
  status: string;
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
  const ecs = (id: string, status: string, attributes: Record<string, unknown>, name: string): SeedResource => ({
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
    ecs('i-bp1demo0000prepaid01', 'Running', { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(90) }, 'db-1 (prepaid: converted, stopped)'),
    ecs('i-bp1demo0000prepaid02', 'Stopped', { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(30) }, 'db-2 (prepaid: converted)'),
    ecs('i-bp1demo0000expired01', 'Stopped', { InstanceChargeType: 'PrePaid', ExpiredTime: inDays(-2) }, 'old-1 (expired prepaid)'),
    ecs('i-bp1demo0protected01', 'Stopped', { DeletionProtection: true }, 'prod-db (deletion protection: needs an operator)'),
  ];
  const gone = ['i-bp1demo00000gone0001', 'i-bp1demo00000gone0002'];
  return {
    resources: ecsResources,
    request: {
      resources: [{ kind: 'alibabacloud.ecs.instance', region, ids: [...ecsResources.map((r) => r.id), ...gone] }],
      options: { convertPrepaid: true, pollInterval: '1s', deadline: '10m' },
      requestedBy: 'demo',
      reason: 'cloud-teardown demo on the emulator',
    },
    describe: [
      `${ecsResources.length} Alibaba ECS instances in ${region}: ${ecsResources.map((r) => r.name).join('; ')}`,
      `${gone.length} ECS instance ids that no longer exist (already gone)`,
    ],
  };
}
