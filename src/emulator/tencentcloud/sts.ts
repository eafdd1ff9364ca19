// Tencent Cloud STS 2018-08-13 AssumeRole (TC3), as the official model shapes it: RoleArn
// qcs::cam::uin/<uin>:roleName/<name> (or :role/<id>), RoleSessionName, DurationSeconds (default
// 7200, at most 43200), ExternalId; answers Credentials { Token, TmpSecretId, TmpSecretKey },
// ExpiredTime (Unix seconds) and Expiration (ISO 8601). AssumeRoleWithWebIdentity (TKE OIDC, sent
// unsigned) takes ProviderId, WebIdentityToken, RoleArn, RoleSessionName, DurationSeconds and answers
// the same fields, the ones the SDK's OIDCRoleArnCredential reads.
import { z } from 'zod';
import { accountOfUid } from '../accounts';
import { registerProduct } from '../products';
import { issueTemporaryKeys } from '../sts';
import type { ApiCall, EmulatorContext } from '../types';
import { tencentError } from './family';

const ARN_RE = /^qcs::cam::uin\/(\d+):role(?:Name)?\/([\w+=,.@-]{1,128})$/;

function assumeRole(call: ApiCall, ctx: EmulatorContext) {
  const p = call.params;
  if (typeof p.RoleArn !== 'string' || !p.RoleArn)
    throw tencentError('MissingParameter', 'The request is missing a required parameter `RoleArn`.');
  if (typeof p.RoleSessionName !== 'string' || !p.RoleSessionName)
    throw tencentError('MissingParameter', 'The request is missing a required parameter `RoleSessionName`.');
  const duration = p.DurationSeconds === undefined ? 7200 : p.DurationSeconds;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > 43_200)
    throw tencentError('InvalidParameter.ParamError', 'DurationSeconds must be an integer of at most 43200.');
  return issueForRole(ctx, p.RoleArn, duration);
}

function issueForRole(ctx: EmulatorContext, roleArn: string, duration: number) {
  const m = ARN_RE.exec(roleArn);
  const owner = m ? accountOfUid('tencentcloud', m[1]!) : undefined;
  if (!m || !owner) throw tencentError('InvalidParameter.RoleNotExist', `role ${roleArn} not exist`);
  const keys = issueTemporaryKeys(ctx, {
    provider: 'tencentcloud',
    account: owner.account,
    durationSeconds: duration,
    idPrefix: 'AKID',
  });
  const expiredTime = Math.floor(keys.expiresAt! / 1000);
  return {
    Credentials: {
      Token: keys.securityToken,
      TmpSecretId: keys.accessKeyId,
      TmpSecretKey: keys.accessKeySecret,
    },
    ExpiredTime: expiredTime,
    Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

const webIdentitySchema = z.object({
  ProviderId: z.string().min(1),
  WebIdentityToken: z.string().min(1),
  RoleArn: z.string().min(1),
  RoleSessionName: z.string().min(1),
  DurationSeconds: z.number().int().min(1).max(43_200).optional(),
});

function assumeRoleWithWebIdentity(call: ApiCall, ctx: EmulatorContext) {
  const parsed = webIdentitySchema.safeParse(call.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    if (call.params[name] === undefined || call.params[name] === '')
      throw tencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
    throw tencentError(
      'InvalidParameterValue',
      `The value of parameter \`${name}\` is invalid: ${issue.message}`,
    );
  }
  return issueForRole(ctx, parsed.data.RoleArn, parsed.data.DurationSeconds ?? 7200);
}

export const tencentStsProduct = registerProduct({
  provider: 'tencentcloud',
  service: 'sts',
  version: '2018-08-13',
  actions: { AssumeRole: assumeRole, AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity },
  // Keys are issued at once: no transitions.
  durations: {},
});
