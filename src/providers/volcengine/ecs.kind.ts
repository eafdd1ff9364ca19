// volcengine.ecs.instance: Volcengine ECS instances (ecs 2020-04-01). Workflow-safe facts; the
// calls are in ./ecs.ts, the emulator's product in src/emulator/volcengine/ecs.ts.
import { defineKind } from '../kind';
import { VOLCENGINE_REGIONS } from './regions';

export const VOLCENGINE_ECS_INSTANCE = defineKind({
  kind: 'volcengine.ecs.instance',
  cloud: 'volcengine',
  service: 'ecs',
  batchLimit: 100,
  describeLimit: 100,
  prepareLimit: 20,
  requiresRegion: true,
  regions: VOLCENGINE_REGIONS,
  requiresAppId: false,
  idPattern: /^i-[a-z0-9]{6,32}$/,
  idDescription: 'an instance id like "i-ybo349sxoncm9t"',
  enabled: true,
  calls: {
    describe: 'DescribeInstances',
    delete: 'DeleteInstances',
    poll: 'DescribeInstances',
    discover: 'DescribeInstances',
    // In the order the steps run (convert a prepaid instance first, then stop it).
    prepare: { convert: 'ModifyInstanceChargeType', stop: 'StopInstances' },
  },
  deleteTakesClientToken: true,
  idParameters: ['InstanceIds'],
  emulator: { durations: { delete: 2000, stop: 1500, convert: 1500 } },
  example: {
    region: 'cn-beijing',
    idPrefix: 'i-yb',
    status: 'RUNNING',
    attributes: { InstanceChargeType: 'PostPaid' },
  },
  documentedErrors: [
    ['IdempotentParameterMismatch', 400, 'permanent'],
    ['InvalidArgument', 400, 'permanent'],
    ['InvalidClientToken.Malformed', 400, 'permanent'],
    ['InvalidCount.Malformed', 400, 'permanent'],
    ['InvalidDedicatedHostStatus.Unsupported', 400, 'busy'],
    ['IdempotentProcessing', 412, 'busy'],
    ['InternalError', 500, 'transient'],
  ],
});
