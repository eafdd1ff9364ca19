// Tencent Cloud STS 2018-08-13 AssumeRole (TC3), as the official model shapes it: RoleArn
// qcs::cam::uin/<uin>:roleName/<name> (or :role/<id>), RoleSessionName, DurationSeconds (default
// 7200, at most 43200), ExternalId; answers Credentials { Token, TmpSecretId, TmpSecretKey },
// ExpiredTime (Unix seconds) and Expiration (ISO 8601).
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
  const m = ARN_RE.exec(p.RoleArn);
  const owner = m ? accountOfUid('tencentcloud', m[1]!) : undefined;
  if (!m || !owner) throw tencentError('InvalidParameter.RoleNotExist', `role ${p.RoleArn} not exist`);
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

export const tencentStsProduct = registerProduct({
  provider: 'tencentcloud',
  service: 'sts',
  version: '2018-08-13',
  actions: { AssumeRole: assumeRole },
  // Keys are issued at once: no transitions.
  durations: {},
});
