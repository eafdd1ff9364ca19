// tencentcloud.gaap.proxy: Global Application Acceleration proxies (gaap 2018-05-29), design.md
// section 4. Delete with DestroyProxies (ProxyIds, Force, ClientToken), which answers per id in
// InvalidStatusInstanceSet / OperationFailedInstanceSet; confirm with DescribeProxies until the id
// is absent or the call answers ResourceNotFound.
import { z } from 'zod';
import { registerProvider } from '../registered';
import { GAAP_PROXY } from './gaap.kind';
import {
  DISCOVERY_PAGE_SIZE,
  isoTime,
  nextOffsetToken,
  parseOffsetToken,
  tagRecord,
} from '../discovery-helpers';
import type { ErrorClass } from '../errors';
import { ProviderError } from '../errors';
import type {
  Assessment,
  CallContext,
  CallOutcome,
  DeleteAnswer,
  DiscoveryPage,
  DiscoveryQuery,
  KindProvider,
  PollOutcome,
} from '../types';
import { callTencent, makeTencentClassifier, type TencentProduct } from './client';

/** GAAP's own table (seed document) over the common Tencent codes. */
export const GAAP_ERRORS: Record<string, ErrorClass> = {
  // A bare "operation failed" carries no reason; treat it as a backend hiccup, retried a bounded
  // number of times (a destroy with the same ClientToken is safe to re-send).
  FailedOperation: 'transient',
  // Destroying needs no balance, but when GAAP says so only a person topping up the account helps.
  'FailedOperation.AccountBalanceInsufficient': 'needs-operator',
  'FailedOperation.ActionIsDoing': 'busy',
  // Proxies of different proxy groups cannot share a batch: the workflow splits refused batches.
  'FailedOperation.BelongDifferentGroup': 'permanent',
  'FailedOperation.DuplicatedRequest': 'permanent',
  // With Force=0 this is the operator's call (unbind origin servers or allow force); see delete().
  'FailedOperation.RealServerAlreadyBound': 'needs-operator',
  InternalError: 'transient',
  InvalidParameter: 'permanent',
  InvalidParameterValue: 'permanent',
  MissingParameter: 'permanent',
  ResourceNotFound: 'gone',
  ResourceUnavailable: 'busy',
  UnauthorizedOperation: 'permanent',
  UnknownParameter: 'permanent',
  UnsupportedOperation: 'permanent',
};

const GAAP: TencentProduct = {
  service: 'gaap',
  version: '2018-05-29',
  classify: makeTencentClassifier(GAAP_ERRORS),
};

/** Statuses DestroyProxies accepts; every other one is transitional (CREATING, OPENING, DESTROYING...). */
const DESTROYABLE = new Set(['RUNNING', 'CLOSED', 'ISOLATED']);

/**
 * FailedOperation.DuplicatedRequest answers a ClientToken GAAP has seen. Terraform's tencentcloud
 * provider mints a new token for every retry of DestroyProxies (services/gaap/
 * service_tencentcloud_gaap.go DeleteProxy, `helper.BuildToken()` inside the retry closure), so
 * a token is never sent twice there; ours is sent twice only when our own earlier call with it
 * went through unanswered (a crash, a timeout). Then the destroy was received: poll (DescribeProxies
 * by exact id) confirms it, and a proxy still in a destroyable status is sent again (new token).
 */
function isOurResend(err: ProviderError, ctx: CallContext): boolean {
  return err.code === 'FailedOperation.DuplicatedRequest' && (ctx.attempt ?? 1) > 1;
}

const destroySchema = z.object({
  InvalidStatusInstanceSet: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  OperationFailedInstanceSet: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});

/** The ProxyInfo fields describe reads: a proxy is named by ProxyId or, on older ones, InstanceId. */
const proxyFields = z.object({
  ProxyId: z.string().nullish(),
  InstanceId: z.string().nullish(),
  Status: z.string().min(1),
});

/** A DescribeProxies answer whose ProxySet entries are read as `proxy` (proxyFields or an extension). */
function proxiesSchema<P extends typeof proxyFields>(proxy: P) {
  return z.object({
    TotalCount: z.number().int().min(0),
    ProxySet: z
      .array(proxy.refine((p) => Boolean(p.ProxyId || p.InstanceId), 'a proxy without ProxyId or InstanceId'))
      .nullish()
      .transform((v) => v ?? []),
  });
}

const describeSchema = proxiesSchema(proxyFields);

/** DescribeProxies as discovery reads it: the listing fields of ProxyInfo. */
const listSchema = proxiesSchema(
  proxyFields.extend({
    ProxyName: z.string().nullish(),
    CreateTime: z.number().nullish(),
    TagSet: z.array(z.object({ TagKey: z.string(), TagValue: z.string().nullish() })).nullish(),
  }),
);

/**
 * DescribeProxies' TagSet takes whole TagKey/TagValue pairs, and lists a proxy carrying ANY of
 * them: only one key=value tag is pushed down (a superset of what carries them all; the caller
 * checks the rest). A key-only tag cannot be expressed, and the name has no filter.
 */
function tagSet(query: DiscoveryQuery): Array<{ TagKey: string; TagValue: string }> | undefined {
  const tag = (query.tags ?? []).find((t) => t.key !== '' && t.value !== undefined);
  return tag ? [{ TagKey: tag.key, TagValue: tag.value as string }] : undefined;
}

/**
 * One DescribeProxies call for at most 100 ids: id -> Status of those that exist. ResourceNotFound
 * (GAAP's answer when none of the named proxies exists) is an empty answer.
 */
async function describeProxies(ctx: CallContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  let answer;
  try {
    answer = await callTencent(
      ctx,
      GAAP,
      'DescribeProxies',
      { ProxyIds: unique, Offset: 0, Limit: 100 },
      describeSchema,
    );
  } catch (err) {
    if (err instanceof ProviderError && err.code === 'ResourceNotFound') return new Map();
    throw err;
  }
  const found = new Map<string, string>();
  for (const proxy of answer.ProxySet) {
    const id = proxy.ProxyId || proxy.InstanceId || '';
    if (unique.includes(id)) found.set(id, proxy.Status);
  }
  return found;
}

export const tencentGaapProxy: KindProvider = registerProvider({
  meta: GAAP_PROXY,
  classify: GAAP.classify,

  // DescribeProxies does not say whether origin servers are bound, so describe cannot predict a
  // Force=0 refusal; DestroyProxies reports it.
  async describe(ctx, ids): Promise<Assessment[]> {
    const found = await describeProxies(ctx, ids);
    return ids.map((id): Assessment => {
      const status = found.get(id);
      if (status === undefined) return { id, state: 'gone' };
      if (DESTROYABLE.has(status)) return { id, state: 'ready', status };
      // DESTROYING included: someone else's destroy is under way; describe again later.
      return { id, state: 'transitional', status };
    });
  },

  async delete(ctx, ids, clientToken, options): Promise<DeleteAnswer> {
    const force = options.force ? 1 : 0;
    let answer;
    try {
      answer = await callTencent(
        ctx,
        GAAP,
        'DestroyProxies',
        { ProxyIds: [...new Set(ids)], Force: force, ClientToken: clientToken },
        destroySchema,
      );
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (isOurResend(err, ctx)) {
        return {
          outcomes: ids.map((id): CallOutcome => ({ id, result: 'accepted' })),
          requestId: err.requestId,
        };
      }
      // GAAP answers ResourceNotFound when none of the named proxies exists: one id is simply gone;
      // for a batch the workflow re-describes and re-sends what is left.
      if (err.code === 'ResourceNotFound' && new Set(ids).size === 1) {
        return { outcomes: ids.map((id): CallOutcome => ({ id, result: 'gone' })), requestId: err.requestId };
      }
      if (err.code === 'FailedOperation.RealServerAlreadyBound') {
        // Force=0 refuses the whole batch while any proxy has bound origin servers: a person must
        // unbind them or re-run with force. With Force=1 GAAP should never say this: permanent.
        throw new ProviderError(
          'tencentcloud',
          err.code,
          force === 0
            ? `${err.message} (destroyed with Force=0: unbind the origin servers, or re-run the teardown with force)`
            : err.message,
          force === 0 ? 'needs-operator' : 'permanent',
          err.httpStatus,
          err.requestId,
        );
      }
      throw err;
    }
    const invalidStatus = new Set(answer.InvalidStatusInstanceSet);
    const operationFailed = new Set(answer.OperationFailedInstanceSet);
    // One describe of the refused ids: a transitional status clears by itself (send again later),
    // a stable one will not (Terraform's provider stops at InvalidStatusInstanceSet too).
    const refusedStatus = invalidStatus.size > 0 ? await describeProxies(ctx, [...invalidStatus]) : new Map();
    const outcomes = ids.map((id): CallOutcome => {
      if (operationFailed.has(id)) {
        return {
          id,
          result: 'retry',
          errorCode: 'OperationFailedInstanceSet',
          message: 'GAAP reported the destroy of this proxy as failed; it will be sent again',
        };
      }
      if (invalidStatus.has(id)) {
        const status = refusedStatus.get(id);
        if (status === undefined) return { id, result: 'gone' };
        if (DESTROYABLE.has(status)) {
          return {
            id,
            result: 'failed',
            errorCode: 'InvalidStatusInstanceSet',
            message: `GAAP refuses to destroy the proxy although its status is ${status} (not transitional): check it in the GAAP console (proxy group, bound rules, security policy), then run the teardown again`,
            errorClass: 'needs-operator',
          };
        }
        return {
          id,
          result: 'retry',
          errorCode: 'InvalidStatusInstanceSet',
          message: `the proxy is ${status}, a status that cannot be destroyed now; it will be sent again`,
        };
      }
      return { id, result: 'accepted' };
    });
    return { outcomes, requestId: answer.RequestId || undefined };
  },

  // Offset paging, oldest first, so proxies created while we page land after the pages read.
  async discover(ctx, query, pageToken): Promise<DiscoveryPage> {
    const offset = parseOffsetToken('tencentcloud', pageToken);
    const tags = tagSet(query);
    const answer = await callTencent(
      ctx,
      GAAP,
      'DescribeProxies',
      {
        Offset: offset,
        Limit: DISCOVERY_PAGE_SIZE,
        Order: 'asc',
        OrderField: 'create_time',
        ...(tags ? { TagSet: tags } : {}),
      },
      listSchema,
    );
    return {
      resources: answer.ProxySet.map((p) => ({
        id: (p.ProxyId || p.InstanceId) as string,
        name: p.ProxyName ?? '',
        tags: tagRecord(
          p.TagSet,
          (t) => t.TagKey,
          (t) => t.TagValue,
        ),
        createdAt: isoTime(p.CreateTime, 's'),
        status: p.Status,
      })),
      nextPageToken: nextOffsetToken(offset, answer.ProxySet.length, answer.TotalCount),
    };
  },

  // A proxy whose destroy was accepted is DESTROYING; one back in (or still in) a destroyable
  // status was not destroyed (e.g. after FailedOperation.DuplicatedRequest): send it again.
  async poll(ctx, ids): Promise<PollOutcome[]> {
    const found = await describeProxies(ctx, ids);
    return ids.map((id): PollOutcome => {
      const status = found.get(id);
      if (status === undefined) return { id, result: 'gone' };
      if (DESTROYABLE.has(status)) return { id, result: 'reissue', status };
      return { id, result: 'pending', status };
    });
  },
});
