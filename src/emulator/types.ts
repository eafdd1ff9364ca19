// Interfaces of the fake cloud (design.md section 8). The core (server.ts) owns HTTP, routing,
// signature checks, quotas, ClientToken memory, faults and the call log; a product file
// (src/emulator/<cloud>/<product>.ts) only implements actions over the resource store.
import type { IncomingHttpHeaders } from 'node:http';

export type CloudProvider = 'tencentcloud' | 'alibabacloud' | 'volcengine';

/** An error the fake cloud answers with; the cloud's family renders it in the provider's own body. */
export class EmulatorApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RawRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose signature checked out, reduced to what a product handler needs. */
export interface ApiCall {
  provider: CloudProvider;
  /** Product: 'ecs' | 'sae' | 'ms' | 'gaap'. */
  service: string;
  action: string;
  version: string;
  region: string | undefined;
  accessKeyId: string;
  /** The account owning the key: resources, quotas and tokens are per account. */
  account: string;
  /**
   * Request parameters as the provider sees them: RPC query/form flattened (`InstanceId.1`),
   * TC3 JSON body (arrays stay arrays), ROA query, Volcengine query (`InstanceIds.1`).
   */
  params: Record<string, unknown>;
  requestId: string;
  raw: RawRequest;
}

export type ActionHandler = (call: ApiCall, ctx: EmulatorContext) => unknown | Promise<unknown>;

export interface ProductHandler {
  provider: CloudProvider;
  service: string;
  version: string;
  /** Action name -> handler returning the success payload (the family wraps it in its envelope). */
  actions: Record<string, ActionHandler>;
  /** ROA products: method + path -> action. */
  roaRoutes?: Array<{ method: string; path: string; action: string }>;
  /**
   * Actions whose `ClientToken` parameter gets the provider's idempotency semantics:
   * same token + same params -> the first answer; same token + other params ->
   * IdempotentParameterMismatch; same token while the first is in flight -> IdempotentProcessing.
   */
  idempotentActions?: string[];
  /**
   * The product's named transition durations (ms) and their defaults, e.g.
   * { 'alibabacloud.ecs.stop': 3000 }: the emulator's settings start from these, and
   * settings.durations overrides them.
   */
  durations?: Record<string, number>;
  /** Defaults the admin seed API fills in per resource type (status, attributes). */
  resourceDefaults?: Record<string, { status: string; attributes?: Record<string, unknown> }>;
}

/** A resource held by the fake cloud. */
export interface EmulatedResource {
  /** e.g. 'alibabacloud.ecs.instance' (our kind names). */
  type: string;
  account: string;
  region: string;
  id: string;
  status: string;
  /** Product-specific fields (InstanceChargeType, ExpiredTime, DeletionProtection, AppId, ...). */
  attributes: Record<string, unknown>;
  tags: Record<string, string>;
  name: string;
  createdAt: string;
}

/** A state change that happens by itself after a delay (transitions are evaluated lazily on read). */
export interface ScheduledChange {
  status?: string;
  attributes?: Record<string, unknown>;
  /** The resource disappears (deleted). */
  remove?: boolean;
}

export interface ResourceStore {
  /** Applies due transitions first; undefined when absent or removed. */
  get(type: string, account: string, id: string): EmulatedResource | undefined;
  list(type: string, account: string, filter?: (r: EmulatedResource) => boolean): EmulatedResource[];
  put(resource: EmulatedResource): void;
  /** Replaces any pending change of this resource. */
  schedule(type: string, account: string, id: string, afterMs: number, change: ScheduledChange): void;
  /**
   * Schedules a chain of changes (each step relative to the previous one) on a named channel,
   * replacing only that channel's pending changes, so e.g. a stop and a charge conversion can
   * run side by side. `replaceAll` drops every pending change first.
   */
  scheduleSequence?(
    type: string,
    account: string,
    id: string,
    steps: Array<{ afterMs: number } & ScheduledChange>,
    opts?: { channel?: string; replaceAll?: boolean },
  ): void;
  /** Whether a transition is still pending for the resource. */
  hasPending(type: string, account: string, id: string): boolean;
  remove(type: string, account: string, id: string): void;
}

export interface EmulatorContext {
  store: ResourceStore;
  /**
   * A named duration (ms) from the emulator's settings, e.g. 'alibabacloud.ecs.stop'; settings
   * start from the durations products declare (ProductHandler.durations), `defaultMs` answers a
   * name missing from them (a context built by a unit test).
   */
  duration(name: string, defaultMs: number): number;
  /** The emulator's clock (ms since the epoch): frozen or advanced by tests, real time by default. */
  now(): number;
  /** Product-level key/value memory (change orders, tasks) that survives between calls. */
  memory: Map<string, unknown>;
}

/** An account the emulator knows, per cloud. */
export interface EmulatorAccount {
  provider: CloudProvider;
  accessKeyId: string;
  accessKeySecret: string;
  account: string;
  /** The account's number in role ARNs (Alibaba uid, Tencent uin). */
  uid?: string;
  /** Temporary keys (from the emulated STS AssumeRole): the token every call must carry. */
  securityToken?: string;
  /** Temporary keys: epoch ms (emulator clock) after which they are refused. */
  expiresAt?: number;
}

/** Fault injection: the next `count` calls of `action` (or each call with `probability`) fail. */
export interface FaultSpec {
  provider?: CloudProvider;
  action: string;
  code: string;
  httpStatus?: number;
  message?: string;
  count?: number;
  probability?: number;
  /** Only calls naming this resource id fail. */
  resourceId?: string;
}

export interface CallLogEntry {
  seq: number;
  at: number;
  provider: CloudProvider | 'unknown';
  service: string;
  action: string;
  account?: string;
  clientToken?: string;
  params: Record<string, unknown>;
  httpStatus: number;
  /** The error code answered, if any (including injected faults and throttling). */
  errorCode?: string;
  injected?: boolean;
  requestId: string;
}

/** What a family renders for the core to send. */
export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One signature family / wire protocol (TC3 for Tencent, ACS3 + RPC HMAC-SHA1 for Alibaba,
 * Volcengine HMAC-SHA256). Lives in src/emulator/<cloud>/family.ts and is registered in
 * src/emulator/registry.ts together with the cloud's products.
 */
export interface CloudFamily {
  provider: CloudProvider;
  /** Cheap check on headers/query: is this request in this family's signature scheme? */
  matches(req: RawRequest): boolean;
  /**
   * Verifies the signature (with clock-skew limits) and resolves product + action + params.
   * Throws EmulatorApiError with the provider's own auth / routing codes.
   */
  authenticate(
    req: RawRequest,
    env: {
      findAccount(accessKeyId: string): EmulatorAccount | undefined;
      products: ProductHandler[];
      now: number;
      requestId: string;
      /** Allowed distance (s) between the signed request time and now; families default to 900. */
      clockSkewSeconds?: number;
      /** Records a signature nonce; false when it was already used within the skew window. */
      rememberNonce?(key: string): boolean;
    },
  ): ApiCall;
  /** Renders a success payload or an error in the provider's envelope. `call` is absent when auth failed. */
  render(
    call: ApiCall | undefined,
    outcome: { ok: true; payload: unknown } | { ok: false; error: EmulatorApiError },
    requestId: string,
  ): RenderedResponse;
  /** The provider's answer to a call over quota (e.g. Alibaba `Throttling.User`, Tencent `RequestLimitExceeded`). */
  throttled(call: ApiCall): EmulatorApiError;
  /** The provider's answers for ClientToken reuse. */
  idempotentParameterMismatch(call: ApiCall): EmulatorApiError;
  idempotentProcessing(call: ApiCall): EmulatorApiError;
  /** The provider's answer to a malformed ClientToken (too long, not ASCII). */
  invalidClientToken?(call: ApiCall): EmulatorApiError;
  /** The provider's answer to a body it cannot read: larger than the emulator takes, or cut off. */
  bodyRefused?(tooLarge: boolean): EmulatorApiError;
  /** Best-effort action name of a request that failed authentication (for the call log). */
  peekAction?(req: RawRequest): string | undefined;
  /** A request id in the provider's format (the core uses a UUID otherwise). */
  newRequestId?(): string;
}

/** A resource to seed through the admin API; everything but type and id has a default. */
export interface SeedResource {
  type: string;
  id: string;
  /** Default 'default'. */
  account?: string;
  /** Default 'global'. */
  region?: string;
  /** Default: the product's resourceDefaults status for the type. */
  status?: string;
  attributes?: Record<string, unknown>;
  tags?: Record<string, string>;
  /** Default: the id. */
  name?: string;
  /** ISO time; default now. */
  createdAt?: string;
  /** Timed changes after seeding, each relative to the previous one (e.g. Pending -> Running). */
  then?: Array<{ afterMs: number } & ScheduledChange>;
}

export interface EmulatorSettings {
  /** Added to every call (ms). */
  latencyMs: number;
  /** Per action ('DeleteInstances' or 'alibabacloud.ecs.DeleteInstances'); overrides latencyMs. */
  latencyByAction: Record<string, number>;
  /** Calls admitted per sliding second, per account + provider + action; 0 disables quotas. */
  quotaPerSecond: number;
  /** Per action overrides of quotaPerSecond (same keys as latencyByAction). */
  quotaByAction: Record<string, number>;
  /** Named transition durations (ms), e.g. 'alibabacloud.ecs.stop'; defaults from the products. */
  durations: Record<string, number>;
  /** Allowed clock skew of signed requests (s). */
  clockSkewSeconds: number;
  /** How long an answered ClientToken is remembered (s); 0 remembers for ever. */
  clientTokenTtlSeconds: number;
  /** Requests are checked against the official API models (gateway/model.ts). */
  modelChecks: boolean;
}
