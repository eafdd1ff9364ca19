// volcengine.ecs.instance (ECS 2020-04-01) on @volcengine/openapi (design.md sections 4, 5, 7).
//
// Facts this module acts on:
// - DeleteInstances answers HTTP 200 with one OperationDetails entry per instance; an entry's
//   Error says that instance was not deleted (InvalidInstance.NotFound there means already gone).
// - Only pay-as-you-go or expired subscription instances can be deleted. An unexpired PrePaid
//   instance is converted with ModifyInstanceChargeType (InstanceChargeType=PostPaid, AutoPay=true,
//   at most 20 ids) when the teardown allows it, and skipped otherwise.
// - Running instances are deleted directly (the API has no Force flag or stop precondition), so
//   `force` changes nothing here and describe never asks for 'stop'; the 'stop' step stays
//   available for callers that want instances stopped first.
// - Volcengine shows no "conversion in progress" marker: a PrePaid instance keeps assessing as
//   needs-prepare 'convert' until its order completes; re-sending the conversion is harmless.
// - DELETING is assessed as transitional: someone already deletes it, so we wait until it is gone
//   instead of sending a delete the API refuses with InvalidInstanceStatus.
// - The SDK never throws on HTTP errors and hides the HTTP status: ResponseMetadata.Error.Code is
//   all there is to classify by.
import { Service } from '@volcengine/openapi';
import { z } from 'zod';
import { registerProvider } from '../registered';
import { VOLCENGINE_ECS_INSTANCE } from './ecs.kind';
import {
  DISCOVERY_PAGE_SIZE,
  isoTime,
  nextPageToken,
  tagFiltersToPush,
  tagRecord,
} from '../discovery-helpers';
import { makeClassifier, networkError, ProviderError, type ErrorClass } from '../errors';
import type {
  Assessment,
  CallContext,
  CallOutcome,
  DeleteAnswer,
  DeletionOptions,
  DiscoveredResource,
  DiscoveryPage,
  DiscoveryQuery,
  KindProvider,
  PollOutcome,
} from '../types';

export const VOLCENGINE_ECS_VERSION = '2020-04-01';
export const VOLCENGINE_PUBLIC_HOST = 'open.volcengineapi.com';
/** ModifyInstanceChargeType takes at most 20 InstanceIds. */
export const VOLCENGINE_CONVERT_LIMIT = 20;

export const VOLCENGINE_ECS_ERRORS: Record<string, ErrorClass> = {
  AccountFlowLimitExceeded: 'throttled',
  FlowLimitExceeded: 'throttled',
  'InternalError*': 'transient',
  InternalServiceError: 'transient',
  InternalServiceTimeout: 'transient',
  ServiceUnavailableTemp: 'transient',
  FailToConnect: 'transient',
  IdempotentProcessing: 'busy',
  InvalidInstanceStatus: 'busy',
  // The dedicated host the instance sits on is in a state that refuses the operation for now.
  'InvalidDedicatedHostStatus.Unsupported': 'busy',
  'InvalidInstance.NotFound': 'gone',
  // A subscription that is neither expired nor converted: a person must convert or unsubscribe it.
  'InvalidInstanceChargeType.Unsupported': 'needs-operator',
  InvalidArgument: 'permanent',
  'InvalidParameter*': 'permanent',
  MissingParameter: 'permanent',
  MissingRequestInfo: 'permanent',
  'InvalidClientToken.Malformed': 'permanent',
  'InvalidCount.Malformed': 'permanent',
  IdempotentParameterMismatch: 'permanent',
  InvalidActionOrVersion: 'permanent',
  ServiceNotFound: 'permanent',
  SignatureDoesNotMatch: 'auth',
  InvalidAccessKey: 'auth',
  MissingAuthenticationToken: 'auth',
  MissingSignature: 'auth',
  InvalidAuthorization: 'auth',
  InvalidCredential: 'auth',
  InvalidSecretToken: 'auth',
  AccessDenied: 'auth',
  LackPolicy: 'auth',
  InvalidTimestamp: 'clock',
};

export const classifyVolcengineEcs = makeClassifier(VOLCENGINE_ECS_ERRORS);

type ServiceOptions = ConstructorParameters<typeof Service>[0];

const TRANSITIONAL = new Set([
  'CREATING',
  'STOPPING',
  'STARTING',
  'REBOOTING',
  'REBUILDING',
  'RESIZING',
  'DELETING',
]);
/** Statuses from which DeleteInstances deletes a pay-as-you-go instance. */
const DELETABLE = new Set(['RUNNING', 'STOPPED', 'ERROR']);

// ---- response shapes ----------------------------------------------------------------------------

const errorSchema = z.object({
  Code: z.string().optional(),
  CodeN: z.number().optional(),
  Message: z.string().optional(),
});

const envelopeSchema = z.object({
  ResponseMetadata: z.object({
    RequestId: z.string().optional(),
    Error: errorSchema.nullish(),
  }),
  Result: z.unknown().optional(),
});

const operationDetailsSchema = z.object({
  OperationDetails: z
    .array(
      z.object({
        InstanceId: z.string(),
        Error: z.object({ Code: z.string().optional(), Message: z.string().optional() }).nullish(),
      }),
    )
    .nullish(),
});

const instanceSchema = z.object({
  InstanceId: z.string(),
  Status: z.string(),
  InstanceChargeType: z.string().optional(),
  ExpiredAt: z.string().nullish(),
  DeletionProtection: z.boolean().nullish(),
});
type Instance = z.infer<typeof instanceSchema>;

const describeSchema = z.object({
  Instances: z.array(instanceSchema).nullish(),
  NextToken: z.string().nullish(),
  TotalCount: z.number().optional(),
});

const chargeTypeSchema = z.object({ OrderId: z.string().nullish() });

/** DescribeInstances as discovery reads it: the listing fields plus paging. */
const listSchema = z.object({
  Instances: z
    .array(
      z.object({
        InstanceId: z.string(),
        Status: z.string(),
        InstanceName: z.string().nullish(),
        CreatedAt: z.string().nullish(),
        Tags: z.array(z.object({ Key: z.string(), Value: z.string().nullish() })).nullish(),
      }),
    )
    .nullish(),
  NextToken: z.string().nullish(),
});

/** DescribeInstances takes at most 10 TagFilters (ANDed; a filter without Values matches the key). */
const MAX_TAG_FILTERS = 10;

// ---- calls --------------------------------------------------------------------------------------

/** Where and as whom the SDK signs: the emulator for a bare host:port, else the URL or the real host. */
export function volcengineServiceOptions(ctx: CallContext): ServiceOptions {
  if (!ctx.region) {
    throw new ProviderError(
      'volcengine',
      'MissingRegion',
      'volcengine.ecs.instance needs a region',
      'permanent',
    );
  }
  let host = VOLCENGINE_PUBLIC_HOST;
  let protocol = 'https:';
  if (ctx.endpoint) {
    // A bare host:port is the emulator (plain HTTP); a URL says its own scheme.
    const url = /^https?:\/\//.test(ctx.endpoint) ? new URL(ctx.endpoint) : new URL(`http://${ctx.endpoint}`);
    host = url.host;
    protocol = url.protocol;
  }
  return {
    serviceName: 'ecs',
    region: ctx.region,
    host,
    protocol,
    defaultVersion: VOLCENGINE_ECS_VERSION,
    accessKeyId: ctx.credentials.accessKeyId,
    secretKey: ctx.credentials.accessKeySecret,
    sessionToken: ctx.credentials.securityToken,
  };
}

interface Answer<T> {
  result: T;
  requestId?: string;
}

/** One GET call; ProviderError on a network failure, an error envelope or an unexpected shape. */
async function callApi<T>(
  ctx: CallContext,
  action: string,
  params: Record<string, string | number | boolean>,
  resultSchema: z.ZodType<T>,
): Promise<Answer<T>> {
  const api = new Service(volcengineServiceOptions(ctx)).createAPI<
    Record<string, string | number | boolean>,
    unknown
  >(action, {
    method: 'GET',
    Version: VOLCENGINE_ECS_VERSION,
  });
  let body: unknown;
  try {
    // `timeout` reaches axios through the SDK's request options; the SDK itself never retries.
    body = await api(params, { Action: action, timeout: ctx.timeoutMs });
  } catch (err) {
    // The SDK resolves every HTTP answer (validateStatus: null): a rejection is the network, a
    // timeout, or its own refusal to sign without keys.
    const message = (err as { message?: string })?.message ?? String(err);
    if (/accessKeyId and secretKey is necessary/.test(message)) {
      throw new ProviderError('volcengine', 'MissingCredentials', message, 'auth');
    }
    throw networkError('volcengine', err);
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new ProviderError(
      'volcengine',
      'MalformedResponse',
      `${action} answered something that is not a Volcengine envelope: ${describeBody(body)}`,
      'transient',
    );
  }
  const { RequestId: requestId, Error: error } = envelope.data.ResponseMetadata;
  if (error && error.Code) {
    throw new ProviderError(
      'volcengine',
      error.Code,
      error.Message ?? error.Code,
      classifyVolcengineEcs(error.Code),
      undefined,
      requestId,
    );
  }
  const result = resultSchema.safeParse(envelope.data.Result ?? {});
  if (!result.success) {
    throw new ProviderError(
      'volcengine',
      'MalformedResponse',
      `${action} answered an unexpected Result: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'transient',
      undefined,
      requestId,
    );
  }
  return { result: result.data, requestId };
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (text ?? String(body)).slice(0, 200);
}

function withIds(ids: string[], extra: Record<string, string | number | boolean> = {}) {
  const params: Record<string, string | number | boolean> = { ...extra };
  ids.forEach((id, i) => {
    params[`InstanceIds.${i + 1}`] = id;
  });
  return params;
}

/** One DescribeInstances page holding every id asked for (≤100 ids, MaxResults=100). */
async function describeByIds(ctx: CallContext, ids: string[]): Promise<Map<string, Instance>> {
  const { result, requestId } = await callApi(
    ctx,
    'DescribeInstances',
    withIds(ids, { MaxResults: 100 }),
    describeSchema,
  );
  const found = new Map((result.Instances ?? []).map((i) => [i.InstanceId, i] as const));
  // Absent means gone only if the answer was complete; a further page would make that a guess.
  if (result.NextToken && ids.some((id) => !found.has(id))) {
    throw new ProviderError(
      'volcengine',
      'IncompleteDescribe',
      `DescribeInstances paged an answer for ${ids.length} ids; absent ids cannot be called gone`,
      'transient',
      undefined,
      requestId,
    );
  }
  return found;
}

/**
 * Our code for a protected instance (DescribeInstances' DeletionProtection=true). Volcengine's own
 * refusal code for deleting one is not in the seed document; describe keeps such instances out of
 * every delete, so that code is never relied on.
 */
const DELETION_PROTECTED = 'DeletionProtection';

function isUnexpiredPrepaid(instance: Instance, now: number): boolean {
  if (instance.InstanceChargeType !== 'PrePaid') return false;
  const expiry = instance.ExpiredAt ? Date.parse(instance.ExpiredAt) : Number.NaN;
  // No readable expiry: assume the subscription still runs (deleting would be refused anyway).
  return Number.isNaN(expiry) || expiry > now;
}

function assess(
  id: string,
  instance: Instance | undefined,
  options: DeletionOptions,
  now: number,
): Assessment {
  if (!instance) return { id, state: 'gone' };
  const status = instance.Status;
  if (instance.DeletionProtection === true) {
    return {
      id,
      state: 'blocked',
      status,
      errorCode: DELETION_PROTECTED,
      message: `${id} has deletion protection on; a person must turn it off (ModifyInstanceAttribute DeletionProtection=false) before it can be deleted`,
      errorClass: 'needs-operator',
      skipped: false,
    };
  }
  if (TRANSITIONAL.has(status) || !DELETABLE.has(status)) return { id, state: 'transitional', status };
  if (isUnexpiredPrepaid(instance, now)) {
    if (options.convertPrepaid) return { id, state: 'needs-prepare', step: 'convert', status };
    return {
      id,
      state: 'blocked',
      status,
      errorCode: 'InvalidInstanceChargeType.Unsupported',
      message: `subscription (PrePaid) instance expires ${instance.ExpiredAt || 'at an unknown time'}; pass convertPrepaid to convert it to pay-as-you-go (PostPaid) and delete it`,
      errorClass: 'needs-operator',
      skipped: true,
    };
  }
  return { id, state: 'ready', status };
}

/** Per-instance answers of DeleteInstances / StopInstances. */
function outcomesOf(
  ids: string[],
  details: z.infer<typeof operationDetailsSchema>['OperationDetails'],
  action: string,
): CallOutcome[] {
  const byId = new Map((details ?? []).map((d) => [d.InstanceId, d] as const));
  return ids.map((id): CallOutcome => {
    const detail = byId.get(id);
    // Not mentioned: we cannot know what happened to it, so ask again rather than assume.
    if (!detail) {
      return {
        id,
        result: 'retry',
        errorCode: 'MissingOperationDetail',
        message: `${action} said nothing about ${id}`,
      };
    }
    const code = detail.Error?.Code;
    if (!code) return { id, result: 'accepted' };
    const message = detail.Error?.Message ?? code;
    const errorClass = classifyVolcengineEcs(code);
    if (errorClass === 'gone') return { id, result: 'gone' };
    if (errorClass === 'busy' || errorClass === 'transient' || errorClass === 'throttled') {
      return { id, result: 'retry', errorCode: code, message };
    }
    return { id, result: 'failed', errorCode: code, message, errorClass };
  });
}

async function convert(ctx: CallContext, ids: string[], clientToken: string): Promise<CallOutcome[]> {
  if (ids.length > VOLCENGINE_CONVERT_LIMIT) {
    // Refused before sending (the API would answer InvalidCount.Malformed); permanent so no retry loops on it.
    throw new ProviderError(
      'volcengine',
      'TooManyIds',
      `ModifyInstanceChargeType takes at most ${VOLCENGINE_CONVERT_LIMIT} ids, got ${ids.length}`,
      'permanent',
    );
  }
  try {
    await callApi(
      ctx,
      'ModifyInstanceChargeType',
      // AutoPay=false would only create an unpaid order and convert nothing.
      withIds(ids, { InstanceChargeType: 'PostPaid', AutoPay: true, ClientToken: clientToken }),
      chargeTypeSchema,
    );
  } catch (err) {
    // The call is all-or-nothing; answers that say "look again" go back per id so the workflow
    // re-describes instead of failing every id of the batch.
    if (!(err instanceof ProviderError)) throw err;
    if (err.errorClass === 'gone') {
      if (ids.length === 1) return [{ id: ids[0]!, result: 'gone' }];
      return ids.map((id) => ({ id, result: 'retry', errorCode: err.code, message: err.message }));
    }
    // IdempotentProcessing wants the same token again soon: that is the activity's retry.
    if (err.errorClass === 'busy' && err.code !== 'IdempotentProcessing') {
      return ids.map((id) => ({ id, result: 'retry', errorCode: err.code, message: err.message }));
    }
    throw err;
  }
  return ids.map((id) => ({ id, result: 'accepted' }));
}

async function stop(ctx: CallContext, ids: string[], clientToken: string): Promise<CallOutcome[]> {
  // ForceStop: the instance is about to be deleted, a graceful shutdown only adds time.
  // KeepCharging: the only stopped mode every charge type accepts.
  const { result } = await callApi(
    ctx,
    'StopInstances',
    withIds(ids, { ForceStop: true, StoppedMode: 'KeepCharging', ClientToken: clientToken }),
    operationDetailsSchema,
  );
  return outcomesOf(ids, result.OperationDetails, 'StopInstances');
}

/**
 * DescribeInstances parameters for a discovery page: tag filters, and the name prefix as
 * InstanceName, which Volcengine matches fuzzily (contains): a superset of the prefix matches.
 */
function discoverParams(query: DiscoveryQuery, pageToken: string | undefined) {
  const params: Record<string, string | number | boolean> = { MaxResults: DISCOVERY_PAGE_SIZE };
  tagFiltersToPush(query, MAX_TAG_FILTERS).forEach((tag, i) => {
    params[`TagFilters.${i + 1}.Key`] = tag.key;
    if (tag.value !== undefined) params[`TagFilters.${i + 1}.Values.1`] = tag.value;
  });
  if (query.namePrefix) params.InstanceName = query.namePrefix;
  if (pageToken) params.NextToken = pageToken;
  return params;
}

export const volcengineEcsInstance: KindProvider = registerProvider({
  meta: VOLCENGINE_ECS_INSTANCE,
  classify: classifyVolcengineEcs,

  async describe(ctx, ids, options): Promise<Assessment[]> {
    const found = await describeByIds(ctx, ids);
    const now = Date.now();
    return ids.map((id) => assess(id, found.get(id), options, now));
  },

  async prepare(ctx, step, ids, clientToken): Promise<CallOutcome[]> {
    if (step === 'convert') return convert(ctx, ids, clientToken);
    if (step === 'stop') return stop(ctx, ids, clientToken);
    throw new Error(`volcengine.ecs.instance has no prepare step "${step}"`);
  },

  async delete(ctx, ids, clientToken): Promise<DeleteAnswer> {
    const { result, requestId } = await callApi(
      ctx,
      'DeleteInstances',
      withIds(ids, { ClientToken: clientToken }),
      operationDetailsSchema,
    );
    return { outcomes: outcomesOf(ids, result.OperationDetails, 'DeleteInstances'), requestId };
  },

  async discover(ctx, query, pageToken): Promise<DiscoveryPage> {
    const { result, requestId } = await callApi(
      ctx,
      'DescribeInstances',
      discoverParams(query, pageToken),
      listSchema,
    );
    const next = nextPageToken('volcengine', 'DescribeInstances', result.NextToken, pageToken, requestId);
    const resources = (result.Instances ?? []).map(
      (i): DiscoveredResource => ({
        id: i.InstanceId,
        name: i.InstanceName ?? '',
        tags: tagRecord(
          i.Tags,
          (t) => t.Key,
          (t) => t.Value,
        ),
        createdAt: isoTime(i.CreatedAt ?? undefined),
        status: i.Status,
      }),
    );
    return { resources, nextPageToken: next };
  },

  async poll(ctx, ids): Promise<PollOutcome[]> {
    const found = await describeByIds(ctx, ids);
    return ids.map((id): PollOutcome => {
      const instance = found.get(id);
      return instance ? { id, result: 'pending', status: instance.Status } : { id, result: 'gone' };
    });
  },
});
