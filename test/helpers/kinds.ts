// Per-kind test fixtures shared by the end-to-end tests: how to make a fresh id, seed it into the
// emulator, name it in a request, and which delete action carries it on the wire.
import type { KindName } from '../../src/kinds';
import type { ErrorClass } from '../../src/providers/errors';
import type { Stack } from './stack';

export interface KindFixture {
  kind: KindName;
  region?: string;
  /** The emulator action that deletes (faults are injected on it). */
  deleteAction: string;
  newId(): string;
  /** Seeds a deletable resource (plus, for SAE, its application). */
  seed(
    stack: Pick<Stack, 'emulator'>,
    id: string,
    attributes?: Record<string, unknown>,
    status?: string,
  ): void;
  /** The request entry for these ids. */
  group(ids: string[]): { kind: KindName; region?: string; appId?: string; ids: string[] };
  /** Every code of the kind's seed document, with its HTTP status and design.md class. */
  seedCodes: Array<[code: string, httpStatus: number, errorClass: ErrorClass]>;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(++n).toString(36).padStart(4, '0')}`;

const saeAppOf = new Map<string, string>();

export const FIXTURES: Record<KindName, KindFixture> = {
  'alibabacloud.ecs.instance': {
    kind: 'alibabacloud.ecs.instance',
    region: 'cn-hangzhou',
    deleteAction: 'DeleteInstances',
    newId: () => `i-bp1${unique()}`,
    seed: (stack, id, attributes = {}, status = 'Stopped') =>
      stack.emulator.seed([
        {
          type: 'alibabacloud.ecs.instance',
          region: 'cn-hangzhou',
          id,
          status,
          attributes: { InstanceChargeType: 'PostPaid', ...attributes },
        },
      ]),
    group: (ids) => ({ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids }),
    seedCodes: [
      ['InvalidOperation.NotInWhiteList', 403, 'needs-operator'],
      ['InvalidOperation.DeletionProtection', 403, 'needs-operator'],
      ['IncorrectInstanceStatus', 403, 'busy'],
      ['InternalError', 500, 'transient'],
      ['InstanceLockedForSecurity', 403, 'needs-operator'],
      ['DependencyViolation.SLBConfiguring', 400, 'busy'],
      ['DependencyViolation.RouteEntry', 400, 'needs-operator'],
    ],
  },
  'volcengine.ecs.instance': {
    kind: 'volcengine.ecs.instance',
    region: 'cn-beijing',
    deleteAction: 'DeleteInstances',
    newId: () => `i-yb${unique()}`,
    seed: (stack, id, attributes = {}, status = 'RUNNING') =>
      stack.emulator.seed([
        {
          type: 'volcengine.ecs.instance',
          region: 'cn-beijing',
          id,
          status,
          attributes: { InstanceChargeType: 'PostPaid', ...attributes },
        },
      ]),
    group: (ids) => ({ kind: 'volcengine.ecs.instance', region: 'cn-beijing', ids }),
    seedCodes: [
      ['IdempotentParameterMismatch', 400, 'permanent'],
      ['InvalidArgument', 400, 'permanent'],
      ['InvalidClientToken.Malformed', 400, 'permanent'],
      ['InvalidCount.Malformed', 400, 'permanent'],
      ['InvalidDedicatedHostStatus.Unsupported', 400, 'busy'],
      ['IdempotentProcessing', 412, 'busy'],
      ['InternalError', 500, 'transient'],
    ],
  },
  'alibabacloud.sae.instance': {
    kind: 'alibabacloud.sae.instance',
    region: 'cn-hangzhou',
    deleteAction: 'DeleteInstances',
    newId: () => `sae-${unique()}`,
    // Each instance gets its own application unless attributes.AppId names one: SAE runs one
    // change order per application at a time, so unrelated tests must not share one.
    seed: (stack, id, attributes = {}, status = 'Running') => {
      const appId = typeof attributes.AppId === 'string' ? attributes.AppId : `app-${id}`;
      saeAppOf.set(id, appId);
      if (!stack.emulator.resources('alibabacloud.sae.application').some((a) => a.id === appId)) {
        stack.emulator.seed([
          { type: 'alibabacloud.sae.application', region: 'cn-hangzhou', id: appId, status: 'RUNNING' },
        ]);
      }
      stack.emulator.seed([
        {
          type: 'alibabacloud.sae.instance',
          region: 'cn-hangzhou',
          id,
          status,
          attributes: { ...attributes, AppId: appId },
        },
      ]);
    },
    group: (ids) => ({
      kind: 'alibabacloud.sae.instance',
      region: 'cn-hangzhou',
      appId: saeAppOf.get(ids[0]!) ?? `app-${ids[0]}`,
      ids,
    }),
    seedCodes: [
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
  },
  'tencentcloud.ms.scan': {
    kind: 'tencentcloud.ms.scan',
    deleteAction: 'DeleteScanInstances',
    newId: () => `app-${unique()}`,
    seed: (stack, id, attributes = {}) =>
      stack.emulator.seed([{ type: 'tencentcloud.ms.scan', id, attributes }]),
    group: (ids) => ({ kind: 'tencentcloud.ms.scan', ids }),
    seedCodes: [
      ['InternalError', 200, 'transient'],
      ['InternalError.ServerError', 200, 'transient'],
      ['LimitExceeded', 200, 'throttled'],
    ],
  },
  'tencentcloud.gaap.proxy': {
    kind: 'tencentcloud.gaap.proxy',
    deleteAction: 'DestroyProxies',
    newId: () => `link-${unique()}`,
    seed: (stack, id, attributes = {}, status = 'RUNNING') =>
      stack.emulator.seed([{ type: 'tencentcloud.gaap.proxy', id, status, attributes }]),
    group: (ids) => ({ kind: 'tencentcloud.gaap.proxy', ids }),
    seedCodes: [
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
  },
};
