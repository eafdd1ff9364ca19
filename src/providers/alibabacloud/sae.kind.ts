// alibabacloud.sae.instance: Serverless App Engine application instances (sae 2019-05-06, ROA).
// Workflow-safe facts; the calls are in ./sae.ts, the emulator's product in
// src/emulator/alibabacloud/sae.ts.
import { defineKind } from '../kind';
import { ALIBABA_REGIONS } from './regions';

export const SAE_INSTANCE = defineKind({
  kind: 'alibabacloud.sae.instance',
  cloud: 'alibabacloud',
  service: 'sae',
  batchLimit: 100,
  describeLimit: 100,
  prepareLimit: 100,
  requiresRegion: true,
  regions: ALIBABA_REGIONS,
  requiresAppId: true,
  idPattern: /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/,
  idDescription: 'an SAE instance id (letters, digits and "-")',
  enabled: true,
  calls: {
    describe: 'DescribeApplicationInstances',
    delete: 'DeleteInstances',
    poll: 'DescribeChangeOrder',
    discover: 'DescribeApplicationInstances',
  },
  // One change order per application at a time guards a re-sent delete instead.
  deleteTakesClientToken: false,
  idParameters: ['InstanceIds'],
  emulator: { durations: { changeOrderStep: 1000 } },
  example: {
    region: 'cn-hangzhou',
    idPrefix: 'sae-',
    status: 'Running',
    parent: { type: 'alibabacloud.sae.application', status: 'RUNNING', attribute: 'AppId' },
  },
  documentedErrors: [
    ['InvalidApplication.NotFound', 400, 'gone'],
    ['InvalidParameter.NotEmpty', 400, 'permanent'],
    ['InvalidParameter.Obviously', 400, 'permanent'],
    ['InvalidParameter.WithMessage', 400, 'permanent'],
    ['NoComputeResourceQuota.Exceed', 400, 'needs-operator'],
    ['NoComputeResourceQuota.App.Exceed', 400, 'needs-operator'],
    ['NoComputeResourceQuota.User.Exceed', 400, 'needs-operator'],
    ['System.Upgrading', 400, 'busy'],
    ['Application.ChangerOrderRunning', 400, 'busy'],
    ['Application.InvalidStatus', 400, 'busy'],
    ['Application.NotDeployYet', 400, 'permanent'],
  ],
});
