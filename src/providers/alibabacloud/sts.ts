// Alibaba Cloud STS AssumeRole (2015-04-01, RPC style, sts.<region>.aliyuncs.com): temporary keys
// of a RAM role, possibly in another account, signed with the worker's own keys. Request and answer
// as the official model (@alicloud/sts20150401) has them: RoleArn, RoleSessionName, DurationSeconds
// (900 to the role's MaxSessionDuration), ExternalId; Credentials { AccessKeyId, AccessKeySecret,
// SecurityToken, Expiration (ISO 8601 UTC) }.
import { z } from 'zod';
import { roleKeySource, type AssumeRoleSpec, type TemporaryKeys } from '../temporary-keys';
import type { CredentialSource } from '../types';
import { callRpc, makeAlibabaClassifier, type AlibabaProduct } from './client';

const STS: AlibabaProduct = {
  product: 'sts',
  version: '2015-04-01',
  classify: makeAlibabaClassifier({ 'EntityNotExist.Role': 'auth', 'NoPermission*': 'auth' }),
};
/** STS is a global service; this regional endpoint is the one the official SDKs default to. */
const STS_REGION = 'cn-hangzhou';

const answerSchema = z.object({
  Credentials: z.object({
    AccessKeyId: z.string().min(1),
    AccessKeySecret: z.string().min(1),
    SecurityToken: z.string().min(1),
    Expiration: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time'),
  }),
});

export async function assumeAlibabaRole(
  base: CredentialSource,
  spec: AssumeRoleSpec,
  endpoint: string | undefined,
  timeoutMs: number,
): Promise<TemporaryKeys> {
  const credentials = await base.resolve();
  const answer = await callRpc<unknown>(
    { credentials, endpoint, region: STS_REGION, timeoutMs },
    STS,
    'AssumeRole',
    {
      RoleArn: spec.roleArn,
      RoleSessionName: spec.sessionName,
      DurationSeconds: spec.durationSeconds,
      ExternalId: spec.externalId,
    },
  );
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success)
    throw new Error(`STS AssumeRole answered an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const c = parsed.data.Credentials;
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      accessKeySecret: c.AccessKeySecret,
      securityToken: c.SecurityToken,
    },
    expiresAt: Date.parse(c.Expiration),
  };
}

/** The role's keys, assumed with `base` and renewed before they expire. */
export const alibabaRoleSource = roleKeySource(assumeAlibabaRole);
