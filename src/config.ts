// Worker-side configuration, read from the environment only. Credentials and endpoints never
// travel in workflow inputs: activities look them up here by cloud (design.md section 3).
import { z } from 'zod';
import type { CloudName, KindName } from './kinds';
import { KINDS } from './kinds';
import type { CloudCredentials } from './providers/types';

export const DEFAULT_TASK_QUEUE = 'cloud-teardown';

export function taskQueueFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEARDOWN_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
}

/** Activities of a kind run on their own task queue so each provider can be rate limited on its own. */
export function activityTaskQueue(taskQueue: string, kind: KindName): string {
  return `${taskQueue}.${kind}`;
}

const CREDENTIAL_ENV: Record<CloudName, [string, string]> = {
  tencentcloud: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
  alibabacloud: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
  volcengine: ['VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY'],
};

const ENDPOINT_ENV: Record<CloudName, string> = {
  tencentcloud: 'CLOUD_TEARDOWN_TENCENTCLOUD_ENDPOINT',
  alibabacloud: 'CLOUD_TEARDOWN_ALIBABACLOUD_ENDPOINT',
  volcengine: 'CLOUD_TEARDOWN_VOLCENGINE_ENDPOINT',
};

const endpointSchema = z
  .string()
  .regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be host[:port] or http(s)://host[:port]');
const positiveInt = z.coerce.number().int().positive();

export interface CloudSettings {
  /** undefined when the worker has no credentials for this cloud: its calls fail with a clear error. */
  credentials?: CloudCredentials;
  /** undefined means the provider's real public endpoint. */
  endpoint?: string;
  /** Most activity starts per second on this cloud's kinds' task queues (provider quotas are 20/s per action). */
  activitiesPerSecond: number;
}

export interface WorkerConfig {
  taskQueue: string;
  clouds: Record<CloudName, CloudSettings>;
  /** Timeout of one provider HTTP request. */
  requestTimeoutMs: number;
}

/** Reads the worker's configuration; throws an Error naming the variable on bad values. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
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
    const [idVar, secretVar] = CREDENTIAL_ENV[cloud];
    const accessKeyId = env[idVar]?.trim();
    const accessKeySecret = env[secretVar]?.trim();
    if (Boolean(accessKeyId) !== Boolean(accessKeySecret)) {
      throw new Error(`${accessKeyId ? secretVar : idVar} is missing: set both ${idVar} and ${secretVar}`);
    }
    clouds[cloud] = {
      credentials: accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret } : undefined,
      endpoint: read<string | undefined>(ENDPOINT_ENV[cloud], endpointSchema, sharedEndpoint),
      activitiesPerSecond: read(`TEARDOWN_${cloud.toUpperCase()}_ACTIVITIES_PER_SECOND`, positiveInt, 20),
    };
  }
  return {
    taskQueue: taskQueueFromEnv(env),
    clouds,
    requestTimeoutMs: read('TEARDOWN_REQUEST_TIMEOUT_MS', positiveInt, 15_000),
  };
}

export function kindsOfCloud(cloud: CloudName): KindName[] {
  return Object.values(KINDS)
    .filter((meta) => meta.cloud === cloud)
    .map((meta) => meta.kind);
}
