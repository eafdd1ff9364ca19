// One activity per provider call (design.md section 3). Each activity validates its input,
// builds the call context from the worker's configuration (never from workflow input), makes
// exactly one provider call through the kind's provider module, and turns a ProviderError into an
// ApplicationFailure whose type is the provider's code and whose retry behaviour is its class.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { WorkerConfig } from '../config';
import { DEFAULT_ACCOUNT } from '../accounts';
import {
  describeLimitOf,
  isKindName,
  KINDS,
  prepareSteps,
  regionProblem,
  type CloudName,
  type KindName,
} from '../kinds';
import { ProviderError, toApplicationFailure } from '../providers/errors';
import type {
  Assessment,
  CallContext,
  CallOutcome,
  CloudCredentials,
  CredentialSource,
  DeleteAnswer,
  DeletionOptions,
  DiscoveryPage,
  KindProvider,
  PollOutcome,
} from '../providers/types';
import { matchSelector } from '../discovery';
import { DOCUMENTED_QUOTA_PER_SECOND, providerAction as actionOf } from '../task-queues';
import { clientToken } from './client-token';
import {
  describeBatch,
  observeProviderCall,
  providerAction,
  type ProviderCallTarget,
} from '../observability/provider-calls';

const targetSchema = z.object({
  teardownId: z.string().min(1),
  kind: z.custom<KindName>(isKindName, { error: () => 'is not a registered kind' }),
  region: z.string().optional(),
  appId: z.string().optional(),
  /** Absent: the worker's default credentials. */
  account: z.string().min(1).optional(),
  /** Where the request named the account ('resources[1].account'), for UnknownAccount's message. */
  accountField: z.string().optional(),
  ids: z.array(z.string().min(1)).min(1),
  /** Calls the workflow already made for this request (it decides each next try): attempts add up. */
  priorAttempts: z.number().int().min(0).optional(),
});
const checkAccountInputSchema = z.object({
  kind: z.custom<KindName>(isKindName, { error: () => 'is not a registered kind' }),
  account: z.string().min(1),
  accountField: z.string().optional(),
});
const optionsSchema = z.object({ force: z.boolean(), convertPrepaid: z.boolean() });

const describeInputSchema = targetSchema.extend({ options: optionsSchema });
const prepareInputSchema = targetSchema.extend({
  step: z.string().min(1),
  generation: z.number().int().min(0),
});
const deleteInputSchema = targetSchema.extend({
  options: optionsSchema,
  generation: z.number().int().min(0),
});
const pollInputSchema = targetSchema.extend({ tracking: z.string().optional() });
const discoverInputSchema = targetSchema.omit({ ids: true }).extend({
  query: z.object({
    tags: z.array(z.object({ key: z.string().min(1), value: z.string().optional() })).optional(),
    namePrefix: z.string().optional(),
  }),
  pageToken: z.string().optional(),
});

/** One listing page matched against a selector in the activity: only ids travel back (history stays small). */
const discoverMatchingInputSchema = discoverInputSchema.extend({
  selector: z.object({
    tags: z.array(z.string()).optional(),
    namePrefix: z.string().optional(),
    olderThan: z.string().optional(),
  }),
  protectTag: z.string().min(1),
  /** The workflow's time, so "olderThan" means the same on every attempt. */
  nowMs: z.number().int(),
  /** Most excluded resources returned by name and reason (the count is always exact). */
  maxExcluded: z.number().int().min(0),
});

export type TargetInput = z.infer<typeof targetSchema>;
export type DescribeInput = z.infer<typeof describeInputSchema>;
export type PrepareInput = z.infer<typeof prepareInputSchema>;
export type DeleteInput = z.infer<typeof deleteInputSchema>;
export type PollInput = z.infer<typeof pollInputSchema>;
export type DiscoverInput = z.infer<typeof discoverInputSchema>;
export type DiscoverMatchingInput = z.infer<typeof discoverMatchingInputSchema>;

export interface MatchingPage {
  matched: string[];
  excluded: Array<{ id: string; name: string; reason: string }>;
  excludedCount: number;
  nextPageToken?: string;
}

/** What a mutating activity answers: the provider's answer plus how many attempts it took. */
export interface Attempted<T> {
  answer: T;
  attempt: number;
  clientToken?: string;
}

const HEARTBEAT_EVERY_MS = 1_000;

export interface ActivityDeps {
  config: WorkerConfig;
  providers: Record<KindName, KindProvider>;
}

function parseInput<T>(schema: z.ZodType<T>, input: unknown, activity: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `${activity}: invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'InvalidActivityInput',
    );
  }
  return parsed.data;
}

/**
 * The credentials of the account a call names (the worker's default ones without), or
 * UnknownAccount before anything is sent: a typo'd account never reaches a provider.
 */
export function credentialSourceOf(
  config: WorkerConfig,
  cloud: CloudName,
  target: { account?: string; accountField?: string },
): CredentialSource {
  if (!target.account || target.account === DEFAULT_ACCOUNT) return config.clouds[cloud].credentials;
  const field = target.accountField ?? 'account';
  const account = config.accounts[target.account];
  const known = Object.keys(config.accounts);
  if (!account) {
    throw ApplicationFailure.nonRetryable(
      `${field}: "${target.account}" is not an account this worker knows (${known.length ? `known: ${DEFAULT_ACCOUNT}, ${known.join(', ')}` : `only ${DEFAULT_ACCOUNT}: set TEARDOWN_ACCOUNTS or TEARDOWN_ACCOUNTS_FILE`}); nothing was sent`,
      'UnknownAccount',
    );
  }
  const source = account.clouds[cloud];
  if (!source) {
    throw ApplicationFailure.nonRetryable(
      `${field}: account "${target.account}" has no ${cloud} credentials in this worker's account map; nothing was sent`,
      'UnknownAccount',
    );
  }
  return source;
}

/** This call's attempt over the whole request: the workflow's earlier tries plus Temporal's attempt. */
function attemptOf(input: { priorAttempts?: number }): number {
  return (input.priorAttempts ?? 0) + Context.current().info.attempt;
}

export function createActivities({ config, providers }: ActivityDeps) {
  function providerFor(kind: KindName, ids: string[], limit: number, what: string): KindProvider {
    const provider = providers[kind];
    if (!provider) {
      throw ApplicationFailure.nonRetryable(`this worker has no provider module for ${kind}`, 'UnknownKind');
    }
    if (ids.length > limit) {
      throw ApplicationFailure.nonRetryable(
        `${what} takes at most ${limit} ids per call for ${kind}, got ${ids.length}`,
        'InvalidActivityInput',
      );
    }
    return provider;
  }

  /** Region checked, then this cloud's keys asked of its source (fresh temporary keys when due). */
  async function callContext(input: Omit<TargetInput, 'ids'>): Promise<CallContext> {
    // Clients check regions before starting; a request from another client is checked here,
    // before any call, against the regions this worker knows (its environment adds new ones).
    const problem = regionProblem(KINDS[input.kind]!, input.region);
    if (problem) {
      throw ApplicationFailure.nonRetryable(
        `region ${problem}`,
        KINDS[input.kind]!.requiresRegion ? 'InvalidRegion' : 'RegionNotUsed',
      );
    }
    const cloud = KINDS[input.kind]!.cloud;
    const settings = config.clouds[cloud];
    const source = credentialSourceOf(config, cloud, input);
    let credentials: CloudCredentials;
    try {
      credentials = await source.resolve();
    } catch (err) {
      throw ApplicationFailure.nonRetryable(
        `the worker has no usable ${cloud} credentials${input.account ? ` for account "${input.account}"` : ''} (${source.origin}): ${err instanceof Error ? err.message : String(err)}`,
        'MissingCredentials',
      );
    }
    return {
      credentials,
      endpoint: settings.endpoint,
      region: input.region,
      appId: input.appId,
      timeoutMs: config.requestTimeoutMs,
      attempt: attemptOf(input),
      pageIntervalMs: 1000 / describeQuota(input),
    };
  }

  /** Calls per second the kind's describe action may take for this account (its queue's rate). */
  function describeQuota(input: Pick<TargetInput, 'kind' | 'account'>): number {
    const { key } = actionOf(input.kind, 'describe');
    const own = input.account ? config.accounts[input.account]?.quotas[key] : undefined;
    return own ?? config.actionQuotas[key] ?? DOCUMENTED_QUOTA_PER_SECOND;
  }

  /**
   * Runs one provider call, observed (metrics, span, log: src/observability/provider-calls.ts),
   * turning its ProviderError into the right ApplicationFailure, whose message names the batch. It
   * heartbeats while the call is under way so a crashed worker is noticed within the heartbeat
   * timeout and the call is re-sent (same token) by another worker, not after the call timeout.
   */
  async function call<T>(
    target: ProviderCallTarget,
    step: string,
    run: () => Promise<T>,
    requestIdOf?: (answer: T) => string | undefined,
  ): Promise<T> {
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await observeProviderCall(target, step, run, requestIdOf);
    } catch (err) {
      if (err instanceof ProviderError) {
        const failure = toApplicationFailure(err, attemptOf(target));
        throw ApplicationFailure.create({
          type: failure.type ?? undefined,
          message: `${failure.message} (${providerAction(target.kind, step)}, ${describeBatch(target)})`,
          nonRetryable: failure.nonRetryable ?? undefined,
          nextRetryDelay: failure.nextRetryDelay ?? undefined,
          details: failure.details ? [...failure.details] : undefined,
        });
      }
      throw err;
    } finally {
      clearInterval(beat);
    }
  }

  return {
    /**
     * No provider call: is the account a group names one this worker knows, with credentials for
     * the kind's cloud? Runs on the default account's queue, since an unknown account's queue has
     * no worker; UnknownAccount fails the group before anything is sent.
     */
    async checkAccount(raw: z.infer<typeof checkAccountInputSchema>): Promise<{ origin: string }> {
      const input = parseInput(checkAccountInputSchema, raw, 'checkAccount');
      return { origin: credentialSourceOf(config, KINDS[input.kind].cloud, input).origin };
    },

    /** One describe call: how each resource stands (gone, ready, needs a prepare step, blocked). */
    async describeResources(raw: DescribeInput): Promise<Assessment[]> {
      const input = parseInput(describeInputSchema, raw, 'describeResources');
      const provider = providerFor(input.kind, input.ids, describeLimitOf(KINDS[input.kind]!), 'describe');
      return call(input, 'describe', async () =>
        provider.describe(await callContext(input), input.ids, input.options),
      );
    },

    /** One provider-side dry run of the delete; `supported: false` where the provider has none. */
    async dryRunDelete(raw: DescribeInput): Promise<{ supported: boolean }> {
      const input = parseInput(describeInputSchema, raw, 'dryRunDelete');
      const provider = providerFor(input.kind, input.ids, KINDS[input.kind].batchLimit, 'dry run');
      if (!provider.dryRunDelete) return { supported: false };
      const dryRun = provider.dryRunDelete.bind(provider);
      await call(input, 'delete', async () => dryRun(await callContext(input), input.ids, input.options));
      return { supported: true };
    },

    /** One prepare call (stop, convert, ...) with a ClientToken. */
    async prepareResources(raw: PrepareInput): Promise<Attempted<CallOutcome[]>> {
      const input = parseInput(prepareInputSchema, raw, 'prepareResources');
      const provider = providerFor(input.kind, input.ids, KINDS[input.kind].prepareLimit, 'prepare');
      if (!provider.prepare || !prepareSteps(provider.meta).includes(input.step)) {
        throw ApplicationFailure.nonRetryable(
          `${input.kind} has no prepare step "${input.step}"`,
          'InvalidActivityInput',
        );
      }
      const prepare = provider.prepare.bind(provider);
      const token = clientToken({ ...input, step: `prepare:${input.step}` });
      const answer = await call(input, `prepare:${input.step}`, async () =>
        prepare(await callContext(input), input.step, input.ids, token),
      );
      return { answer, attempt: attemptOf(input), clientToken: token };
    },

    /** One delete call for a batch, with a ClientToken derived from the teardown and the exact parameters. */
    async deleteResources(raw: DeleteInput): Promise<Attempted<DeleteAnswer>> {
      const input = parseInput(deleteInputSchema, raw, 'deleteResources');
      const provider = providerFor(input.kind, input.ids, KINDS[input.kind].batchLimit, 'delete');
      const options: DeletionOptions = input.options;
      const token = clientToken({
        ...input,
        step: 'delete',
        params: { force: options.force, convertPrepaid: options.convertPrepaid },
      });
      const answer = await call(
        input,
        'delete',
        async () => provider.delete(await callContext(input), input.ids, token, options),
        (a) => a.requestId,
      );
      return { answer, attempt: attemptOf(input), clientToken: token };
    },

    /** One page of a list call, for discovery by selector. */
    async discoverResources(raw: DiscoverInput): Promise<DiscoveryPage> {
      const input = parseInput(discoverInputSchema, raw, 'discoverResources');
      const provider = providers[input.kind];
      return call({ ...input, ids: [] }, 'discover', async () =>
        provider.discover(await callContext(input), input.query, input.pageToken),
      );
    },

    /** The same listing call, matched against the selector here (since discovery-at-scale). */
    async discoverMatching(raw: DiscoverMatchingInput): Promise<MatchingPage> {
      const input = parseInput(discoverMatchingInputSchema, raw, 'discoverMatching');
      const { selector, protectTag, nowMs, maxExcluded, ...listing } = input;
      const page = await call({ ...listing, ids: [] }, 'discover', async () =>
        providers[input.kind].discover(await callContext(listing), input.query, input.pageToken),
      );
      const found: MatchingPage = {
        matched: [],
        excluded: [],
        excludedCount: 0,
        nextPageToken: page.nextPageToken,
      };
      for (const resource of page.resources) {
        const match = matchSelector(resource, selector, nowMs, protectTag);
        if (match.matched) found.matched.push(resource.id);
        else if (found.excludedCount++ < maxExcluded)
          found.excluded.push({ id: resource.id, name: resource.name, reason: match.reason });
      }
      return found;
    },

    /** One poll call: is each accepted deletion done yet? */
    async pollDeletion(raw: PollInput): Promise<PollOutcome[]> {
      const input = parseInput(pollInputSchema, raw, 'pollDeletion');
      const provider = providerFor(input.kind, input.ids, describeLimitOf(KINDS[input.kind]!), 'poll');
      return call(input, 'poll', async () =>
        provider.poll(await callContext(input), input.ids, input.tracking),
      );
    },
  };
}

export type TeardownActivities = ReturnType<typeof createActivities>;
