// Worker-side configuration, read from the environment only. Credentials and endpoints never
// travel in workflow inputs: activities look them up here by cloud (design.md section 3).
import { z } from 'zod';
import { buildAccounts, readAccountMap, type WorkerAccount } from './account-map';
import type { CloudName, KindName } from './kinds';
import { addRegions, KINDS } from './kinds';
import { alibabaDefaultChain } from './providers/alibabacloud/credentials';
import { tencentDefaultChain } from './providers/tencentcloud/credentials';
import type { CloudCredentials, CredentialSource } from './providers/types';
import { volcengineDefaultChain } from './providers/volcengine/credentials';
import { actionQuotas, DEFAULT_QUEUE_PARTITIONS } from './task-queues';

export const DEFAULT_TASK_QUEUE = 'cloud-teardown';

/**
 * Regions newer than the kinds' lists: CLOUD_TEARDOWN_<CLOUD>_EXTRA_REGIONS (comma-separated),
 * read by every process that checks regions (clients and workers import this module).
 */
export function addRegionsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const cloud of ['tencentcloud', 'alibabacloud', 'volcengine'] as const) {
    const list = env[`CLOUD_TEARDOWN_${cloud.toUpperCase()}_EXTRA_REGIONS`];
    if (list) addRegions(cloud, list.split(','));
  }
}
addRegionsFromEnv();

export function taskQueueFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEARDOWN_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
}

/** Each cloud's static key pair and session token variables (the SDKs' own names). */
const CREDENTIAL_ENV: Record<CloudName, [string, string, string]> = {
  tencentcloud: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'],
  alibabacloud: [
    'ALIBABA_CLOUD_ACCESS_KEY_ID',
    'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    'ALIBABA_CLOUD_SECURITY_TOKEN',
  ],
  volcengine: ['VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN'],
};

/** Without keys in the environment, each provider's official chain (profiles, roles, OIDC). */
const DEFAULT_CHAINS: Record<CloudName, (stsEndpoint: string | undefined) => CredentialSource> = {
  // TKE OIDC calls STS AssumeRoleWithWebIdentity: at the configured STS endpoint when one is set.
  tencentcloud: (stsEndpoint) => tencentDefaultChain({ stsEndpoint }),
  alibabacloud: () => alibabaDefaultChain(),
  volcengine: () => volcengineDefaultChain(),
};

/** Every credential value set in the environment (keys and session tokens): for log redaction. */
export function credentialEnvValues(env: NodeJS.ProcessEnv): string[] {
  const names = [
    ...Object.values(CREDENTIAL_ENV).flat(),
    'VOLC_ACCESSKEY',
    'VOLC_SECRETKEY',
    'VOLC_SESSION_TOKEN',
  ];
  return names.map((name) => env[name]?.trim() ?? '').filter(Boolean);
}

/** The key pair (and session token) the environment sets for `cloud`; throws on a half-set pair. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, cloud: CloudName): CloudCredentials | undefined {
  const [idVar, secretVar, tokenVar] = CREDENTIAL_ENV[cloud];
  const accessKeyId = env[idVar]?.trim();
  const accessKeySecret = env[secretVar]?.trim();
  if (Boolean(accessKeyId) !== Boolean(accessKeySecret)) {
    throw new Error(`${accessKeyId ? secretVar : idVar} is missing: set both ${idVar} and ${secretVar}`);
  }
  if (!accessKeyId || !accessKeySecret) return undefined;
  return { accessKeyId, accessKeySecret, securityToken: env[tokenVar]?.trim() || undefined };
}

function staticSource(credentials: CloudCredentials): CredentialSource {
  return { origin: 'the environment', resolve: () => Promise.resolve(credentials) };
}

const ENDPOINT_ENV: Record<CloudName, string> = {
  tencentcloud: 'CLOUD_TEARDOWN_TENCENTCLOUD_ENDPOINT',
  alibabacloud: 'CLOUD_TEARDOWN_ALIBABACLOUD_ENDPOINT',
  volcengine: 'CLOUD_TEARDOWN_VOLCENGINE_ENDPOINT',
};

const endpointSchema = z
  .string()
  .regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be host[:port] or http(s)://host[:port]');
const positiveInt = z.coerce.number().int().positive();
/** 0 turns the cache off; the SDK takes no cache of one workflow. */
const cacheSize = z.coerce
  .number()
  .int()
  .min(0)
  .refine((n) => n !== 1, 'must be 0 (no cache) or at least 2');

/**
 * Workflows the worker keeps in memory (TEARDOWN_MAX_CACHED_WORKFLOWS). The SDK's own default sizes the
 * cache to the heap (about 2,300 here) and a cached teardown workflow can take several MB, so a
 * 100,000-resource teardown (322 workflows) reached 2.4 GB uncapped and 1,632 MB with 100; with 20 it
 * peaked at 858 MB (BENCHMARKS.md). An evicted child (a few hundred events) replays in milliseconds
 * when it next has work.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 20;

export interface CloudSettings {
  /** Static keys from the environment, else the provider's chain; a chain that finds nothing fails the call clearly. */
  credentials: CredentialSource;
  /** undefined means the provider's real public endpoint. */
  endpoint?: string;
}

export interface WorkerConfig {
  taskQueue: string;
  clouds: Record<CloudName, CloudSettings>;
  /** Activities per second per provider action (key 'alibabacloud.ecs.DeleteInstances'), held by the server across workers. */
  actionQuotas: Record<string, number>;
  /** Partitions of each task queue on the server (TEARDOWN_QUEUE_PARTITIONS, Temporal's default 4): queue rates account for their bursts. */
  queuePartitions: number;
  /** Timeout of one provider HTTP request. */
  requestTimeoutMs: number;
  /** The workflow worker's cache (TEARDOWN_MAX_CACHED_WORKFLOWS): bounds the worker's memory. */
  maxCachedWorkflows: number;
  /** Named accounts a request may give (TEARDOWN_ACCOUNTS / _FILE); 'default' is `clouds`. */
  accounts: Record<string, WorkerAccount>;
}

/** Reads the worker's configuration; throws an Error naming the variable on bad values. */
export function loadWorkerConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: { now?: () => number } = {},
): WorkerConfig {
  const read = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = schema.safeParse(raw.trim());
    if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    return parsed.data;
  };
  const sharedEndpoint = read<string | undefined>('CLOUD_TEARDOWN_ENDPOINT', endpointSchema, undefined);
  const clouds = {} as Record<CloudName, CloudSettings>;
  for (const cloud of Object.keys(CREDENTIAL_ENV) as CloudName[]) {
    const fromEnv = credentialsFromEnv(env, cloud);
    const endpoint = read<string | undefined>(ENDPOINT_ENV[cloud], endpointSchema, sharedEndpoint);
    const stsName = `CLOUD_TEARDOWN_${cloud.toUpperCase()}_STS_ENDPOINT`;
    const stsEndpoint = read<string | undefined>(stsName, endpointSchema, endpoint);
    clouds[cloud] = {
      credentials: fromEnv ? staticSource(fromEnv) : DEFAULT_CHAINS[cloud](stsEndpoint),
      endpoint,
    };
  }
  addRegionsFromEnv(env);
  const requestTimeoutMs = read('TEARDOWN_REQUEST_TIMEOUT_MS', positiveInt, 15_000);
  const perCloud = <T>(pick: (s: CloudSettings) => T) =>
    Object.fromEntries(Object.entries(clouds).map(([c, s]) => [c, pick(s)])) as Record<CloudName, T>;
  return {
    taskQueue: taskQueueFromEnv(env),
    clouds,
    actionQuotas: actionQuotas(env),
    queuePartitions: read('TEARDOWN_QUEUE_PARTITIONS', positiveInt, DEFAULT_QUEUE_PARTITIONS),
    requestTimeoutMs,
    maxCachedWorkflows: read('TEARDOWN_MAX_CACHED_WORKFLOWS', cacheSize, DEFAULT_MAX_CACHED_WORKFLOWS),
    accounts: buildAccounts(readAccountMap(env), {
      env,
      defaults: perCloud((s) => s.credentials),
      endpoints: perCloud((s) => s.endpoint),
      timeoutMs: requestTimeoutMs,
      now: opts.now,
    }),
  };
}

export function kindsOfCloud(cloud: CloudName): KindName[] {
  return Object.values(KINDS)
    .filter((meta) => meta.cloud === cloud)
    .map((meta) => meta.kind);
}
