// alibabacloud.ecs.instance: ECS instances (ecs 2014-05-26). Workflow-safe facts; the calls are
// in ./ecs.ts, the emulator's product in src/emulator/alibabacloud/ecs.ts.
import { defineKind } from '../kind';
import { ALIBABA_REGIONS } from './regions';

export const ECS_INSTANCE = defineKind({
  kind: 'alibabacloud.ecs.instance',
  cloud: 'alibabacloud',
  service: 'ecs',
  batchLimit: 100,
  describeLimit: 100,
  prepareLimit: 20,
  requiresRegion: true,
  regions: ALIBABA_REGIONS,
  requiresAppId: false,
  idPattern: /^i-[a-z0-9]{6,32}$/,
  idDescription: 'an instance id like "i-bp1a2b3c4d5e6f7g8h9i"',
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
  idParameters: ['InstanceId', 'InstanceIds'],
  emulator: { durations: { stop: 3000, delete: 2000, convert: 2000 } },
  example: {
    region: 'cn-hangzhou',
    idPrefix: 'i-bp1',
    status: 'Stopped',
    attributes: { InstanceChargeType: 'PostPaid' },
  },
  documentedErrors: [
    ['InvalidOperation.NotInWhiteList', 403, 'needs-operator'],
    ['InvalidOperation.DeletionProtection', 403, 'needs-operator'],
    ['IncorrectInstanceStatus', 403, 'busy'],
    ['InternalError', 500, 'transient'],
    ['InstanceLockedForSecurity', 403, 'needs-operator'],
    ['DependencyViolation.SLBConfiguring', 400, 'busy'],
    ['DependencyViolation.RouteEntry', 400, 'needs-operator'],
  ],
});
