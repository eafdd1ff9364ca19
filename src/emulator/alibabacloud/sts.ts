// Alibaba Cloud STS 2015-04-01 AssumeRole (RPC), as the official model shapes it: RoleArn
// acs:ram::<uid>:role/<name>, RoleSessionName, DurationSeconds (900 to 3600, the default
// MaxSessionDuration; default 3600), ExternalId; answers Credentials { AccessKeyId (STS.…),
// AccessKeySecret, SecurityToken, Expiration } and AssumedRoleUser { Arn, AssumedRoleId }.
// AssumeRoleWithOIDC (RRSA, sent unsigned) takes OIDCProviderArn, OIDCToken, RoleArn,
// RoleSessionName, DurationSeconds and answers the same Credentials, the fields
// @alicloud/credentials' OIDCRoleArnCredentialsProvider reads.
import { z } from 'zod';
import { accountOfUid } from '../accounts';
import { registerProduct } from '../products';
import { issueTemporaryKeys } from '../sts';
import { EmulatorApiError, type ApiCall, type EmulatorContext } from '../types';

const ARN_RE = /^acs:ram::(\d+):role\/([\w.@-]{1,64})$/i;

function assumeRole(call: ApiCall, ctx: EmulatorContext) {
  const p = call.params;
  const arn = typeof p.RoleArn === 'string' ? p.RoleArn : '';
  const session = typeof p.RoleSessionName === 'string' ? p.RoleSessionName : '';
  if (!arn) throw new EmulatorApiError(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.');
  if (!session)
    throw new EmulatorApiError(
      400,
      'MissingRoleSessionName',
      'RoleSessionName is mandatory for this action.',
    );
  if (!/^[\w.@-]{2,64}$/.test(session))
    throw new EmulatorApiError(
      400,
      'InvalidParameter.RoleSessionName',
      'The parameter RoleSessionName is wrongly formed.',
    );
  const duration = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900 || duration > 3600)
    throw new EmulatorApiError(
      400,
      'InvalidParameter.DurationSeconds',
      'The Min/Max value of DurationSeconds is 15min/1hr.',
    );
  return issueForRole(ctx, arn, session, duration);
}

function issueForRole(ctx: EmulatorContext, arn: string, session: string, duration: number) {
  const m = ARN_RE.exec(arn);
  const owner = m ? accountOfUid('alibabacloud', m[1]!) : undefined;
  if (!m || !owner) throw new EmulatorApiError(404, 'EntityNotExist.Role', `The role not exists: ${arn}.`);
  const keys = issueTemporaryKeys(ctx, {
    provider: 'alibabacloud',
    account: owner.account,
    durationSeconds: duration,
    idPrefix: 'STS.',
  });
  const roleId = `3${m[1]!.slice(-12)}${m[2]!.length}`;
  return {
    AssumedRoleUser: {
      Arn: `acs:ram::${m[1]}:assumed-role/${m[2]}/${session}`,
      AssumedRoleId: `${roleId}:${session}`,
    },
    Credentials: {
      AccessKeyId: keys.accessKeyId,
      AccessKeySecret: keys.accessKeySecret,
      SecurityToken: keys.securityToken,
      // Alibaba's format: seconds, no fraction.
      Expiration: new Date(keys.expiresAt!).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

const OIDC_PROVIDER_RE = /^acs:ram::\d+:oidc-provider\/[\w.@-]{1,128}$/i;
const oidcSchema = z.object({
  OIDCProviderArn: z.string().regex(OIDC_PROVIDER_RE, 'must be acs:ram::<uid>:oidc-provider/<name>'),
  OIDCToken: z.string().min(1),
  RoleArn: z.string().min(1),
  RoleSessionName: z.string().regex(/^[\w.@-]{2,64}$/, 'is wrongly formed'),
  DurationSeconds: z.coerce.number().int().min(900).max(3600).optional(),
});

function assumeRoleWithOidc(call: ApiCall, ctx: EmulatorContext) {
  const parsed = oidcSchema.safeParse(call.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    if (call.params[name] === undefined || call.params[name] === '')
      throw new EmulatorApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
    throw new EmulatorApiError(400, `InvalidParameter.${name}`, `The parameter ${name} ${issue.message}.`);
  }
  const p = parsed.data;
  return issueForRole(ctx, p.RoleArn, p.RoleSessionName, p.DurationSeconds ?? 3600);
}

export const alibabaStsProduct = registerProduct({
  provider: 'alibabacloud',
  service: 'sts',
  version: '2015-04-01',
  actions: { AssumeRole: assumeRole, AssumeRoleWithOIDC: assumeRoleWithOidc },
  // Keys are issued at once: no transitions.
  durations: {},
});
