// Tencent Cloud STS AssumeRole (sts 2018-08-13, TC3, sts.tencentcloudapi.com): temporary keys of a
// CAM role, possibly in another account, signed with the worker's own keys. Request and answer as
// the official model has them: RoleArn (qcs::cam::uin/<uin>:roleName/<name>), RoleSessionName,
// DurationSeconds (default 7200, at most 43200), ExternalId; Credentials { TmpSecretId,
// TmpSecretKey, Token }, ExpiredTime (Unix seconds), Expiration (ISO 8601).
import { z } from 'zod';
import { roleKeySource, type AssumeRoleSpec, type TemporaryKeys } from '../temporary-keys';
import type { CredentialSource } from '../types';
import { callTencent, makeTencentClassifier, type TencentProduct } from './client';

const STS: TencentProduct = {
  service: 'sts',
  version: '2018-08-13',
  classify: makeTencentClassifier({ 'InvalidParameter.AccountNotAvaliable': 'auth' }),
};
/** STS needs a region; any public one reaches the same service. */
const STS_REGION = 'ap-guangzhou';

const answerSchema = z.object({
  Credentials: z.object({
    TmpSecretId: z.string().min(1),
    TmpSecretKey: z.string().min(1),
    Token: z.string().min(1),
  }),
  ExpiredTime: z.number().int().positive(),
});

export async function assumeTencentRole(
  base: CredentialSource,
  spec: AssumeRoleSpec,
  endpoint: string | undefined,
  timeoutMs: number,
): Promise<TemporaryKeys> {
  const credentials = await base.resolve();
  const params: Record<string, unknown> = {
    RoleArn: spec.roleArn,
    RoleSessionName: spec.sessionName,
    DurationSeconds: spec.durationSeconds,
  };
  if (spec.externalId) params.ExternalId = spec.externalId;
  const answer = await callTencent(
    { credentials, endpoint, region: STS_REGION, timeoutMs },
    STS,
    'AssumeRole',
    params,
    answerSchema,
  );
  const c = answer.Credentials;
  return {
    credentials: { accessKeyId: c.TmpSecretId, accessKeySecret: c.TmpSecretKey, securityToken: c.Token },
    expiresAt: answer.ExpiredTime * 1000,
  };
}

/** The role's keys, assumed with `base` and renewed before they expire. */
export const tencentRoleSource = roleKeySource(assumeTencentRole);
