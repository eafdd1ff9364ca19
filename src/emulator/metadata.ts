// The instance metadata services the SDKs' instance-role providers read, told apart by the Host
// the client sends (the real services have fixed addresses, which only a test-side redirect can
// reach here): Alibaba ECS at 100.100.100.200 (IMDSv2 token PUT /latest/api/token, then
// /latest/meta-data/ram/security-credentials/[role]) and Tencent CVM at metadata.tencentyun.com
// (/latest/meta-data/cam/security-credentials/[role]). The emulated instance has one role,
// INSTANCE_ROLE of the emulator's second account; its keys come from the emulated STS, so they
// sign in that account and expire on the emulator's clock. Field names are the ones the SDKs parse
// (@alicloud/credentials ecs_ram_role.js; tencentcloud-sdk-nodejs-common cvm_role_credential.js).
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorCore } from './core';
import { issueTemporaryKeys } from './sts';
import type { CloudProvider, RenderedResponse } from './types';

export const INSTANCE_ROLE = 'cloud-teardown-instance';
const INSTANCE_ACCOUNT = 'other';
/** Both services hand out keys that live about six hours. */
const LIFETIME_SECONDS = 6 * 3600;

const HOSTS: Record<string, CloudProvider> = {
  '100.100.100.200': 'alibabacloud',
  'metadata.tencentyun.com': 'tencentcloud',
};
const ROLE_PATHS: Record<string, string> = {
  alibabacloud: '/latest/meta-data/ram/security-credentials/',
  tencentcloud: '/latest/meta-data/cam/security-credentials/',
};

function reply(status: number, body: string, json = false): RenderedResponse {
  return { status, headers: { 'content-type': json ? 'application/json' : 'text/plain' }, body };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function roleKeys(core: EmulatorCore, provider: CloudProvider): string {
  const sts = core.products.find((p) => p.provider === provider && p.service === 'sts');
  if (!sts) throw new Error(`the emulator has no ${provider} STS`);
  const keys = issueTemporaryKeys(core.contextFor(sts), {
    provider,
    account: INSTANCE_ACCOUNT,
    durationSeconds: LIFETIME_SECONDS,
    idPrefix: provider === 'alibabacloud' ? 'STS.' : 'AKID',
  });
  const now = core.clock.now();
  if (provider === 'alibabacloud') {
    return JSON.stringify({
      AccessKeyId: keys.accessKeyId,
      AccessKeySecret: keys.accessKeySecret,
      SecurityToken: keys.securityToken,
      Expiration: isoSeconds(keys.expiresAt!),
      LastUpdated: isoSeconds(now),
      Code: 'Success',
    });
  }
  const expiredTime = Math.floor(keys.expiresAt! / 1000);
  return JSON.stringify({
    TmpSecretId: keys.accessKeyId,
    TmpSecretKey: keys.accessKeySecret,
    Token: keys.securityToken,
    ExpiredTime: expiredTime,
    Expiration: isoSeconds(expiredTime * 1000),
    Code: 'Success',
  });
}

/** The metadata answer to a request for one of the metadata hosts; undefined for any other host. */
export function answerMetadata(
  core: EmulatorCore,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): RenderedResponse | undefined {
  const host = (headers.host ?? '').replace(/:\d+$/, '');
  const provider = HOSTS[host];
  if (!provider) return undefined;
  if (provider === 'alibabacloud' && method === 'PUT' && path === '/latest/api/token') {
    return reply(200, randomBytes(24).toString('base64url'));
  }
  if (method !== 'GET') return reply(405, 'method not allowed');
  const base = ROLE_PATHS[provider]!;
  if (path === base) return reply(200, INSTANCE_ROLE);
  if (path === base + INSTANCE_ROLE) return reply(200, roleKeys(core, provider), true);
  return reply(404, 'not found');
}
