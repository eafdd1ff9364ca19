// alibabacloud.ecs.instance: Alibaba Cloud ECS 2014-05-26, RPC style (design.md section 4).
// Preflight with DescribeInstances (+ DeleteInstances DryRun=true), prepare by converting
// unexpired prepaid instances (ModifyInstanceChargeType) and stopping running ones
// (StopInstances), delete all-or-nothing with DeleteInstances, and poll DescribeInstances
// until the ids are no longer listed.
import { registerProvider } from '../registered';
import { ECS_INSTANCE } from './ecs.kind';
import { ALIBABA_ECS_ENDPOINTS } from './regions';
import {
  DISCOVERY_PAGE_SIZE,
  isoTime,
  nextPageToken,
  tagFiltersToPush,
  tagRecord,
} from '../discovery-helpers';
import type { ErrorClass } from '../errors';
import { ProviderError } from '../errors';
import type {
  Assessment,
  CallContext,
  CallOutcome,
  DeleteAnswer,
  DeletionOptions,
  DiscoveredResource,
  DiscoveryPage,
  KindProvider,
  PollOutcome,
} from '../types';
import { assertBatch, callRpc, makeAlibabaClassifier, type AlibabaProduct, type Query } from './client';

/** ECS's own codes; the shared Alibaba ones (throttling, auth, clock, parameters) come from client.ts. */
export const ECS_ERRORS: Record<string, ErrorClass> = {
  'IncorrectInstanceStatus*': 'busy',
  'DependencyViolation.SLBConfiguring': 'busy',
  LastTokenProcessing: 'busy',
  'InvalidInstanceId.NotFound': 'gone',
  'InvalidInstanceIds.NotFound': 'gone',
  'Forbidden.InstanceNotFound': 'gone',
  'InvalidOperation.DeletionProtection': 'needs-operator',
  InstanceLockedForSecurity: 'needs-operator',
  'DependencyViolation.RouteEntry': 'needs-operator',
  // A parameter still in gray release for this account: someone has to get the account allowed.
  'InvalidOperation.NotInWhiteList': 'needs-operator',
  // ModifyInstanceChargeType on an instance that is not Running/Stopped (or mid-conversion).
  'InvalidStatus.ValueNotSupported': 'busy',
  // Deleting a subscription instance that has not expired: convert it first (convertPrepaid).
  ChargeTypeViolation: 'permanent',
  // DeleteInstances DryRun=true answers one of these when the request would pass (see
  // DRY_RUN_PASSED); only dryRunDelete expects them.
  DryRunOperation: 'permanent',
  'DRYRUN.SUCCESS': 'permanent',
  // A person must act on the instance or the account before it can be converted or released:
  // a temporary bandwidth upgrade still running, a scheduled release time already set (cancel it
  // with ModifyInstanceAutoReleaseTime), an account in arrears (top it up).
  'InvalidInstance.TempBandwidthUpgrade': 'needs-operator',
  ReleaseTimeHaveBeenSet: 'needs-operator',
  'Account.Arrearage': 'needs-operator',
  // ModifyInstanceChargeType: this conversion is not supported for the instance or the account.
  'InvalidInstanceChargeType.ValueNotSupported': 'needs-operator',
};

/**
 * What DeleteInstances with DryRun=true answers when the request would pass: the seed document
 * and older ECS docs say DryRunOperation, the current official SDK docs DRYRUN.SUCCESS.
 */
const DRY_RUN_PASSED = new Set(['DryRunOperation', 'DRYRUN.SUCCESS']);

/** What a person does about a conversion refused with a needs-operator code. */
const CONVERT_ACTIONS: Record<string, string> = {
  'InvalidInstanceChargeType.ValueNotSupported':
    'ECS does not support converting this instance (or this account) to pay-as-you-go: release it in the console or ask Alibaba Cloud support, then run the teardown again',
  'InvalidInstance.TempBandwidthUpgrade':
    'a temporary bandwidth upgrade is still in effect: wait for it to end (or cancel it), then run the teardown again',
  ReleaseTimeHaveBeenSet:
    'an automatic release time is set: cancel it (ModifyInstanceAutoReleaseTime without AutoReleaseTime), then run the teardown again',
  'Account.Arrearage': 'the account is in arrears: top it up, then run the teardown again',
};

export const classifyEcs = makeAlibabaClassifier(ECS_ERRORS);

const ECS: AlibabaProduct = {
  product: 'ecs',
  version: '2014-05-26',
  classify: classifyEcs,
  endpoints: ALIBABA_ECS_ENDPOINTS,
};
const META = ECS_INSTANCE;

/** The fields of DescribeInstances' Instances.Instance[] this module reads. */
interface EcsInstance {
  InstanceId: string;
  Status: string;
  InstanceChargeType?: string;
  ExpiredTime?: string;
  DeletionProtection?: boolean;
  OperationLocks?: { LockReason?: Array<{ LockReason?: string; LockMsg?: string }> };
}

interface DescribeInstancesBody {
  Instances?: { Instance?: EcsInstance[] };
  TotalCount?: number;
}

/** DescribeInstances as discovery reads it: the listing fields plus paging. */
interface ListedInstance extends EcsInstance {
  InstanceName?: string;
  CreationTime?: string;
  Tags?: { Tag?: Array<{ TagKey?: string; TagValue?: string }> };
}

interface ListInstancesBody {
  Instances?: { Instance?: ListedInstance[] };
  NextToken?: string;
}

/** DescribeInstances takes at most 20 Tag.N filters (ANDed; Tag.N.Value may be left out). */
const MAX_TAG_FILTERS = 20;

interface StopInstancesBody {
  InstanceResponses?: {
    InstanceResponse?: Array<{ InstanceId: string; Code?: string; Message?: string; CurrentStatus?: string }>;
  };
}

const TRANSITIONAL = new Set(['Pending', 'Starting', 'Stopping']);

function region(ctx: CallContext): string {
  if (!ctx.region) {
    throw new ProviderError(
      'alibabacloud',
      'MissingRegion',
      'alibabacloud.ecs.instance needs a region',
      'permanent',
    );
  }
  return ctx.region;
}

function indexed(name: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  values.forEach((value, i) => (out[`${name}.${i + 1}`] = value));
  return out;
}

async function describeInstances(ctx: CallContext, ids: string[]): Promise<Map<string, EcsInstance>> {
  assertBatch(ids, META.describeLimit, 'DescribeInstances');
  const { body } = await callRpc<DescribeInstancesBody>(ctx, ECS, 'DescribeInstances', {
    RegionId: region(ctx),
    InstanceIds: JSON.stringify(ids),
    PageSize: 100,
  });
  const found = new Map<string, EcsInstance>();
  for (const instance of body.Instances?.Instance ?? []) found.set(instance.InstanceId, instance);
  return found;
}

function isSecurityLocked(instance: EcsInstance): boolean {
  return (instance.OperationLocks?.LockReason ?? []).some((lock) => lock.LockReason === 'security');
}

/** A subscription whose ExpiredTime is still ahead. An unreadable ExpiredTime counts as unexpired: never release by guess. */
function isUnexpiredPrepaid(instance: EcsInstance, now: number): boolean {
  if (instance.InstanceChargeType !== 'PrePaid') return false;
  const expires = instance.ExpiredTime ? Date.parse(instance.ExpiredTime) : NaN;
  return Number.isNaN(expires) || expires > now;
}

function assess(
  id: string,
  instance: EcsInstance | undefined,
  options: DeletionOptions,
  now: number,
): Assessment {
  if (!instance) return { id, state: 'gone' };
  const status = instance.Status;
  if (isSecurityLocked(instance)) {
    return {
      id,
      state: 'blocked',
      status,
      errorCode: 'InstanceLockedForSecurity',
      message: `${id} is locked for security reasons (OperationLocks: security); a person must resolve the security lock with Alibaba Cloud before it can be released`,
      errorClass: 'needs-operator',
      skipped: false,
    };
  }
  if (instance.DeletionProtection === true) {
    return {
      id,
      state: 'blocked',
      status,
      errorCode: 'InvalidOperation.DeletionProtection',
      message: `${id} has deletion protection on; a person must turn it off (ModifyInstanceAttribute DeletionProtection=false) before it can be released`,
      errorClass: 'needs-operator',
      skipped: false,
    };
  }
  if (TRANSITIONAL.has(status)) return { id, state: 'transitional', status };
  if (isUnexpiredPrepaid(instance, now)) {
    if (options.convertPrepaid) return { id, state: 'needs-prepare', step: 'convert', status };
    return {
      id,
      state: 'blocked',
      status,
      errorCode: 'ChargeTypeViolation',
      message: `${id} is a subscription (PrePaid) instance that expires ${instance.ExpiredTime ?? 'later'}; pass convertPrepaid to convert it to pay-as-you-go and release it`,
      errorClass: 'needs-operator',
      skipped: true,
    };
  }
  if (status === 'Running') {
    return options.force
      ? { id, state: 'ready', status }
      : { id, state: 'needs-prepare', step: 'stop', status };
  }
  if (status === 'Stopped') return { id, state: 'ready', status };
  // A status ECS has added since: look again later rather than guess (the kind's deadline bounds it).
  return { id, state: 'transitional', status };
}

/** DeleteInstances parameters shared by the real call and its dry run. */
function deleteQuery(ctx: CallContext, ids: string[], options: DeletionOptions) {
  return {
    RegionId: region(ctx),
    ...indexed('InstanceId', ids),
    Force: options.force,
    // Only lets *expired* subscriptions be released (describe has already kept unexpired ones
    // out of the batch); harmless for pay-as-you-go, so it is always on instead of depending on
    // an assessment the delete call does not see.
    TerminateSubscription: true,
  };
}

function stopOutcome(
  id: string,
  answer: { Code?: string; Message?: string; CurrentStatus?: string } | undefined,
): CallOutcome {
  if (!answer)
    return { id, result: 'retry', errorCode: 'NoAnswer', message: `StopInstances said nothing about ${id}` };
  if (answer.Code === '200' || answer.CurrentStatus === 'Stopping' || answer.CurrentStatus === 'Stopped') {
    return { id, result: 'accepted' };
  }
  const code = answer.Code || 'UnknownError';
  const message = answer.Message || code;
  const errorClass = classifyEcs(code);
  switch (errorClass) {
    case 'gone':
      return { id, result: 'gone' };
    case 'busy':
    case 'throttled':
    case 'transient':
    case 'clock':
      return { id, result: 'retry', errorCode: code, message };
    default:
      return { id, result: 'failed', errorCode: code, message, errorClass };
  }
}

/**
 * Whole-call refusals of a conversion that describe settles better than an error: the next
 * describe shows which ids are still PrePaid (and converts them again with a new token).
 */
function convertRefusal(err: unknown, ids: string[]): CallOutcome[] | undefined {
  if (!(err instanceof ProviderError)) return undefined;
  // Describe only converts instances it saw PrePaid, so this is a real refusal, never "already
  // PostPaid": converting again until the deadline would only hide it.
  const action = CONVERT_ACTIONS[err.code];
  if (action) {
    const message = `${err.message} (${action})`;
    return ids.map((id) => ({
      id,
      result: 'failed',
      errorCode: err.code,
      message,
      errorClass: 'needs-operator',
    }));
  }
  // Not Running/Stopped yet, or a conversion still in progress: look again later.
  if (err.code === 'InvalidStatus.ValueNotSupported' || err.code.startsWith('IncorrectInstanceStatus')) {
    return ids.map((id) => ({ id, result: 'retry', errorCode: err.code, message: err.message }));
  }
  return undefined;
}

/**
 * DescribeInstances' InstanceName matches with '*' wildcards, so a prefix becomes `prefix*`.
 * Instance names cannot contain '*'; a prefix that does is not pushed down (the caller filters).
 */
function namePattern(prefix: string | undefined): string | undefined {
  if (!prefix || prefix.includes('*')) return undefined;
  return `${prefix}*`;
}

function discovered(instance: ListedInstance): DiscoveredResource {
  return {
    id: instance.InstanceId,
    name: instance.InstanceName ?? '',
    tags: tagRecord(
      instance.Tags?.Tag,
      (t) => t.TagKey,
      (t) => t.TagValue,
    ),
    createdAt: isoTime(instance.CreationTime),
    status: instance.Status,
  };
}

export const alibabaEcsInstance: KindProvider = registerProvider({
  meta: META,
  classify: classifyEcs,

  async describe(ctx, ids, options): Promise<Assessment[]> {
    if (ids.length === 0) return [];
    const found = await describeInstances(ctx, ids);
    const now = Date.now();
    return ids.map((id) => assess(id, found.get(id), options, now));
  },

  async dryRunDelete(ctx, ids, options): Promise<void> {
    if (ids.length === 0) return;
    assertBatch(ids, META.batchLimit, 'DeleteInstances');
    try {
      await callRpc(ctx, ECS, 'DeleteInstances', { ...deleteQuery(ctx, ids, options), DryRun: true });
    } catch (err) {
      if (err instanceof ProviderError && DRY_RUN_PASSED.has(err.code)) return;
      throw err;
    }
    // A 2xx means the endpoint ignored DryRun and may have released the instances: say so loudly.
    throw new ProviderError(
      'alibabacloud',
      'DryRunNotHonoured',
      `DeleteInstances with DryRun=true answered success instead of DryRunOperation for ${ids.join(', ')}; the endpoint may have released them`,
      'permanent',
    );
  },

  async prepare(ctx, step, ids, clientToken): Promise<CallOutcome[]> {
    if (ids.length === 0) return [];
    if (step === 'convert') {
      assertBatch(ids, META.prepareLimit, 'ModifyInstanceChargeType');
      try {
        await callRpc(ctx, ECS, 'ModifyInstanceChargeType', {
          RegionId: region(ctx),
          InstanceIds: JSON.stringify(ids),
          InstanceChargeType: 'PostPaid',
          // The refund order completes by itself; false would leave an unpaid order for a person.
          AutoPay: true,
          ClientToken: clientToken,
        });
      } catch (err) {
        const outcomes = convertRefusal(err, ids);
        if (outcomes) return outcomes;
        throw err;
      }
      return ids.map((id) => ({ id, result: 'accepted' }));
    }
    if (step === 'stop') {
      assertBatch(ids, META.batchLimit, 'StopInstances');
      const { body } = await callRpc<StopInstancesBody>(ctx, ECS, 'StopInstances', {
        RegionId: region(ctx),
        ...indexed('InstanceId', ids),
        ForceStop: false,
        // Per-instance answers instead of all-or-nothing: one locked instance does not hold the rest.
        BatchOptimization: 'SuccessFirst',
        // No ClientToken: StopInstances has none in the ECS API. A re-sent stop is safe because
        // describe runs first and only running instances are stopped.
      });
      const answers = new Map((body.InstanceResponses?.InstanceResponse ?? []).map((r) => [r.InstanceId, r]));
      return ids.map((id) => stopOutcome(id, answers.get(id)));
    }
    throw new ProviderError(
      'alibabacloud',
      'UnknownPrepareStep',
      `alibabacloud.ecs.instance has no prepare step "${step}"`,
      'permanent',
    );
  },

  async delete(ctx, ids, clientToken, options): Promise<DeleteAnswer> {
    if (ids.length === 0) return { outcomes: [] };
    assertBatch(ids, META.batchLimit, 'DeleteInstances');
    // All or nothing: any refusal fails the whole call and is thrown (the workflow splits
    // batches on permanent errors and re-describes on gone ones).
    const { requestId } = await callRpc(ctx, ECS, 'DeleteInstances', {
      ...deleteQuery(ctx, ids, options),
      ClientToken: clientToken,
    });
    return { outcomes: ids.map((id) => ({ id, result: 'accepted' })), requestId };
  },

  // One DescribeInstances page (NextToken/MaxResults; PageNumber/PageSize are deprecated), with
  // the tag filters and the name prefix pushed down.
  async discover(ctx, query, pageToken): Promise<DiscoveryPage> {
    const params: Query = { RegionId: region(ctx), MaxResults: DISCOVERY_PAGE_SIZE };
    tagFiltersToPush(query, MAX_TAG_FILTERS).forEach((tag, i) => {
      params[`Tag.${i + 1}.Key`] = tag.key;
      if (tag.value !== undefined) params[`Tag.${i + 1}.Value`] = tag.value;
    });
    params.InstanceName = namePattern(query.namePrefix);
    params.NextToken = pageToken;
    const { body } = await callRpc<ListInstancesBody>(ctx, ECS, 'DescribeInstances', params);
    const next = nextPageToken('alibabacloud', 'DescribeInstances', body.NextToken, pageToken);
    return { resources: (body.Instances?.Instance ?? []).map(discovered), nextPageToken: next };
  },

  async poll(ctx, ids): Promise<PollOutcome[]> {
    if (ids.length === 0) return [];
    const found = await describeInstances(ctx, ids);
    return ids.map((id): PollOutcome => {
      const instance = found.get(id);
      return instance ? { id, result: 'pending', status: instance.Status } : { id, result: 'gone' };
    });
  },
});
