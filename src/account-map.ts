// The worker's accounts (design.md section 3): TEARDOWN_ACCOUNTS (JSON) or TEARDOWN_ACCOUNTS_FILE
// (a path to the same JSON) maps each account name a request may give to per-cloud credentials:
// keys from named environment variables, and/or a role to assume through STS (Alibaba, Tencent)
// with those keys or the worker's default ones. Optional per-account quotas per provider action.
// The file holds variable names and role ARNs, never keys.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { accountNameSchema, DEFAULT_ACCOUNT } from './accounts';
import type { CloudName } from './kinds';
import { alibabaRoleSource } from './providers/alibabacloud/sts';
import { tencentRoleSource } from './providers/tencentcloud/sts';
import type { CredentialSource } from './providers/types';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

const cloudAccountSchema = z
  .object({
    /** Variables holding this account's keys (and session token). */
    accessKeyIdEnv: envName.optional(),
    accessKeySecretEnv: envName.optional(),
    securityTokenEnv: envName.optional(),
    /** A role to assume through STS (acs:ram::<uid>:role/<name>, qcs::cam::uin/<uin>:roleName/<name>). */
    roleArn: z.string().min(1).max(1024).optional(),
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/)
      .optional(),
    durationSeconds: z.number().int().min(900).max(43_200).optional(),
    externalId: z.string().min(2).max(1224).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (Boolean(spec.accessKeyIdEnv) !== Boolean(spec.accessKeySecretEnv))
      ctx.addIssue({ code: 'custom', message: 'set both accessKeyIdEnv and accessKeySecretEnv, or neither' });
    if (!spec.accessKeyIdEnv && !spec.roleArn)
      ctx.addIssue({
        code: 'custom',
        message: 'needs accessKeyIdEnv/accessKeySecretEnv, a roleArn, or both',
      });
  });

const accountSchema = z
  .object({
    tencentcloud: cloudAccountSchema.optional(),
    alibabacloud: cloudAccountSchema.optional(),
    volcengine: cloudAccountSchema
      .refine((s) => !s.roleArn, 'roleArn: assuming a role is not supported for Volcengine yet')
      .optional(),
    /** Calls per second per provider action ('alibabacloud.ecs.DeleteInstances') in this account. */
    quotas: z.record(z.string(), z.number().positive().max(10_000)).optional(),
  })
  .strict();

export const accountMapSchema = z.record(z.string(), accountSchema).superRefine((map, ctx) => {
  for (const name of Object.keys(map)) {
    const named = accountNameSchema.safeParse(name);
    if (!named.success)
      ctx.addIssue({ code: 'custom', path: [name], message: named.error.issues[0]!.message });
  }
  if (DEFAULT_ACCOUNT in map)
    ctx.addIssue({
      code: 'custom',
      path: [DEFAULT_ACCOUNT],
      message: "is the worker's own credentials: name it otherwise",
    });
});
export type AccountMapSpec = z.infer<typeof accountMapSchema>;
type CloudAccountSpec = z.infer<typeof cloudAccountSchema>;

/** One named account as the worker holds it. */
export interface WorkerAccount {
  clouds: Partial<Record<CloudName, CredentialSource>>;
  quotas: Record<string, number>;
}

/** Reads TEARDOWN_ACCOUNTS / TEARDOWN_ACCOUNTS_FILE; throws naming the variable and field. */
export function readAccountMap(env: NodeJS.ProcessEnv): AccountMapSpec {
  const inline = env.TEARDOWN_ACCOUNTS?.trim();
  const file = env.TEARDOWN_ACCOUNTS_FILE?.trim();
  if (inline && file) throw new Error('set TEARDOWN_ACCOUNTS or TEARDOWN_ACCOUNTS_FILE, not both');
  const source = inline ? 'TEARDOWN_ACCOUNTS' : `TEARDOWN_ACCOUNTS_FILE (${file})`;
  const text = inline ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const parsed = accountMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(map)'}: ${issue.message}`);
  }
  return parsed.data;
}

export interface AccountBuildContext {
  env: NodeJS.ProcessEnv;
  /** The worker's own credentials per cloud: what a role is assumed with when no keys are named. */
  defaults: Record<CloudName, CredentialSource>;
  endpoints: Record<CloudName, string | undefined>;
  timeoutMs: number;
  now?: () => number;
}

function keysFrom(name: string, cloud: CloudName, spec: CloudAccountSpec, env: NodeJS.ProcessEnv) {
  const read = (variable: string) => {
    const value = env[variable]?.trim();
    if (!value) throw new Error(`account ${name} (${cloud}): ${variable} is not set`);
    return value;
  };
  const credentials = {
    accessKeyId: read(spec.accessKeyIdEnv!),
    accessKeySecret: read(spec.accessKeySecretEnv!),
    securityToken: spec.securityTokenEnv ? env[spec.securityTokenEnv]?.trim() || undefined : undefined,
  };
  return {
    origin: `${spec.accessKeyIdEnv}/${spec.accessKeySecretEnv}`,
    resolve: () => Promise.resolve(credentials),
  } satisfies CredentialSource;
}

function cloudSource(name: string, cloud: CloudName, spec: CloudAccountSpec, ctx: AccountBuildContext) {
  const keys = spec.accessKeyIdEnv ? keysFrom(name, cloud, spec, ctx.env) : undefined;
  if (!spec.roleArn) return keys!;
  const role = {
    roleArn: spec.roleArn,
    sessionName: spec.sessionName ?? `cloud-teardown-${name}`,
    durationSeconds: spec.durationSeconds ?? 3600,
    externalId: spec.externalId,
  };
  const base = keys ?? ctx.defaults[cloud];
  const opts = { timeoutMs: ctx.timeoutMs, now: ctx.now };
  // STS may live elsewhere than the cloud's other endpoints (a proxy for ECS, the real STS).
  const endpoint =
    ctx.env[`CLOUD_TEARDOWN_${cloud.toUpperCase()}_STS_ENDPOINT`]?.trim() || ctx.endpoints[cloud];
  if (cloud === 'alibabacloud') return alibabaRoleSource(base, role, endpoint, opts);
  if (cloud === 'tencentcloud') return tencentRoleSource(base, role, endpoint, opts);
  throw new Error(`account ${name}: assuming a role is not supported for ${cloud}`);
}

/** The named accounts, each cloud's credential source built (keys are read now, roles at first use). */
export function buildAccounts(map: AccountMapSpec, ctx: AccountBuildContext): Record<string, WorkerAccount> {
  const out: Record<string, WorkerAccount> = {};
  for (const [name, spec] of Object.entries(map)) {
    const clouds: WorkerAccount['clouds'] = {};
    for (const cloud of ['tencentcloud', 'alibabacloud', 'volcengine'] as const) {
      const c = spec[cloud];
      if (c) clouds[cloud] = cloudSource(name, cloud, c, ctx);
    }
    out[name] = { clouds, quotas: spec.quotas ?? {} };
  }
  return out;
}

/** Every key value the account map points at in the environment: for log redaction. */
export function accountEnvValues(map: AccountMapSpec, env: NodeJS.ProcessEnv): string[] {
  const names = Object.values(map).flatMap((spec) =>
    (['tencentcloud', 'alibabacloud', 'volcengine'] as const).flatMap((cloud) => {
      const c = spec[cloud];
      return c ? [c.accessKeyIdEnv, c.accessKeySecretEnv, c.securityTokenEnv] : [];
    }),
  );
  return names.map((n) => (n ? (env[n]?.trim() ?? '') : '')).filter(Boolean);
}
