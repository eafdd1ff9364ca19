// The shape every provider operation set exports (design.md section 3). A kind is one file under
// src/providers/<cloud>/<product>.ts exporting a KindProvider it registers with registerProvider(),
// next to its metadata (<product>.kind.ts; prepare steps and limits are there).
// Each method makes exactly ONE provider call, so each activity maps onto one call.
import type { KindMeta } from './kind';
import type { ErrorClass } from './errors';

/** Options of a teardown that change what a provider call does. */
export interface DeletionOptions {
  force: boolean;
  convertPrepaid: boolean;
}

export interface CloudCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Present for temporary credentials (STS, instance roles, OIDC); signs as the session token. */
  securityToken?: string;
}

/**
 * Where a worker gets one cloud's credentials: a provider's official chain (src/providers/<cloud>/
 * credentials.ts). Asked before every call; the chains cache temporary keys and fetch new ones
 * before they expire, so a long-running worker never signs with expired keys.
 */
export interface CredentialSource {
  /** Where the keys come from, for the worker's start-up line (never the keys themselves). */
  origin: string;
  resolve(): Promise<CloudCredentials>;
}

/** Where and as whom a call is made. Built by the worker from its environment, never from workflow input. */
export interface CallContext {
  credentials: CloudCredentials;
  /** 'host:port' or full URL; undefined means the provider's real public endpoint. */
  endpoint?: string;
  region?: string;
  appId?: string;
  /** Per-call timeout for the SDK's HTTP request, in milliseconds. */
  timeoutMs: number;
  /** Temporal's attempt of this call (1 = first send; more = our own re-send, same ClientToken). */
  attempt?: number;
  /**
   * Least time between the pages of one describe that pages a listing: the action's quota, which
   * the task queue's rate limit (one per activity) cannot hold for calls inside one activity.
   */
  pageIntervalMs?: number;
}

/** What preflight learned about one resource. */
export type Assessment =
  | { id: string; state: 'gone' }
  /** Can be deleted now. */
  | { id: string; state: 'ready'; status: string }
  /** Needs a prepare step first ('stop', 'convert', ...), named by the provider module. */
  | { id: string; state: 'needs-prepare'; step: string; status: string }
  /** In a transitional state (stopping, converting): describe again later. */
  | { id: string; state: 'transitional'; status: string }
  /** Will not be deleted with these options; `errorClass` says whether a person must act. */
  | {
      id: string;
      state: 'blocked';
      status: string;
      errorCode: string;
      message: string;
      errorClass: ErrorClass;
      /** true: refused by our options (report `skipped`); false: refused by the provider (report `failed`). */
      skipped: boolean;
    };

/** Per-id answer of a mutating call (delete or prepare). */
export type CallOutcome =
  /** Accepted: deletion (or preparation) is under way or done; poll to confirm. */
  | { id: string; result: 'accepted' }
  | { id: string; result: 'gone' }
  /** Not done this time for a reason that clears (busy, transitional): re-issue later with a new generation. */
  | { id: string; result: 'retry'; errorCode: string; message: string }
  | { id: string; result: 'failed'; errorCode: string; message: string; errorClass: ErrorClass };

export interface DeleteAnswer {
  outcomes: CallOutcome[];
  requestId?: string;
  /** Something to poll by, when the provider answers one (SAE ChangeOrderId). */
  tracking?: string;
}

/** Per-id answer of a poll. */
export type PollOutcome =
  | { id: string; result: 'gone' }
  | { id: string; result: 'pending'; status: string }
  /** The provider asks for the delete to be sent again (MS Progress=4). */
  | { id: string; result: 'reissue'; status: string }
  | {
      id: string;
      result: 'failed';
      status: string;
      errorCode: string;
      message: string;
      errorClass: ErrorClass;
    };

/**
 * What discovery can ask a provider to filter by. Pushing a filter down is only an optimisation:
 * a provider module may push down less (or a looser form) than asked, never return fewer
 * resources than match; the caller applies every selector again (src/discovery.ts).
 */
export interface DiscoveryQuery {
  /** A resource must carry every tag: the key, with this value when one is given. */
  tags?: Array<{ key: string; value?: string }>;
  namePrefix?: string;
}

/** One resource a list call answered, in the shape selectors are matched against. */
export interface DiscoveredResource {
  id: string;
  /** The provider's name for it (the id where the resource has no name, e.g. SAE instances). */
  name: string;
  /** Empty where the resource type carries no tags (MS scans, SAE instances). */
  tags: Record<string, string>;
  /** ISO 8601 creation time; absent when the provider does not say. */
  createdAt?: string;
  status: string;
}

/** One page of a list call. */
export interface DiscoveryPage {
  /** May be empty while nextPageToken is set (a page of bookkeeping, e.g. SAE's group list). */
  resources: DiscoveredResource[];
  /** Opaque; pass it back with the same query for the next page. Absent on the last page. */
  nextPageToken?: string;
}

export interface KindProvider {
  meta: KindMeta;
  /** The provider's error table: code (and HTTP status) to class. */
  classify(code: string, httpStatus?: number): ErrorClass;
  /** One describe call for at most meta.describeLimit ids; every id gets an assessment. */
  describe(ctx: CallContext, ids: string[], options: DeletionOptions): Promise<Assessment[]>;
  /**
   * A provider-side dry run of the delete (Alibaba ECS DryRun=true). Resolves when the provider
   * says the request would pass; throws ProviderError otherwise. Absent where the provider has none.
   */
  dryRunDelete?(ctx: CallContext, ids: string[], options: DeletionOptions): Promise<void>;
  /** One prepare call for at most meta.prepareLimit ids. */
  prepare?(ctx: CallContext, step: string, ids: string[], clientToken: string): Promise<CallOutcome[]>;
  /** One delete call for at most meta.batchLimit ids. Throws ProviderError when the whole call fails. */
  delete(
    ctx: CallContext,
    ids: string[],
    clientToken: string,
    options: DeletionOptions,
  ): Promise<DeleteAnswer>;
  /** One poll call for ids whose delete was accepted (under `tracking` when the delete answered one). */
  poll(ctx: CallContext, ids: string[], tracking: string | undefined): Promise<PollOutcome[]>;
  /** One page of a list call: resources matching the provider-side filters we can push down. */
  discover(ctx: CallContext, query: DiscoveryQuery, pageToken: string | undefined): Promise<DiscoveryPage>;
}
