// tencentcloud.gaap.proxy: Global Application Acceleration proxies (gaap 2018-05-29).
// Workflow-safe facts; the calls are in ./gaap.ts, the emulator's product in
// src/emulator/tencentcloud/gaap.ts.
import { defineKind } from '../kind';

export const GAAP_PROXY = defineKind({
  kind: 'tencentcloud.gaap.proxy',
  cloud: 'tencentcloud',
  service: 'gaap',
  batchLimit: 100,
  describeLimit: 100,
  prepareLimit: 100,
  requiresRegion: false,
  requiresAppId: false,
  idPattern: /^link-[a-z0-9]{4,32}$/,
  idDescription: 'a proxy id like "link-11112222"',
  enabled: true,
  calls: {
    describe: 'DescribeProxies',
    delete: 'DestroyProxies',
    poll: 'DescribeProxies',
    discover: 'DescribeProxies',
  },
  deleteTakesClientToken: true,
  idParameters: ['ProxyIds'],
  emulator: { durations: { destroy: 2000 } },
  example: { idPrefix: 'link-', status: 'RUNNING' },
  documentedErrors: [
    ['FailedOperation', 200, 'transient'],
    ['FailedOperation.AccountBalanceInsufficient', 200, 'needs-operator'],
    ['FailedOperation.ActionIsDoing', 200, 'busy'],
    ['FailedOperation.BelongDifferentGroup', 200, 'permanent'],
    ['FailedOperation.DuplicatedRequest', 200, 'permanent'],
    ['FailedOperation.RealServerAlreadyBound', 200, 'needs-operator'],
    ['InternalError', 200, 'transient'],
    ['InvalidParameter', 200, 'permanent'],
    ['InvalidParameterValue', 200, 'permanent'],
    ['MissingParameter', 200, 'permanent'],
    ['ResourceNotFound', 200, 'gone'],
    ['ResourceUnavailable', 200, 'busy'],
    ['UnauthorizedOperation', 200, 'permanent'],
    ['UnknownParameter', 200, 'permanent'],
    ['UnsupportedOperation', 200, 'permanent'],
  ],
});
