// Tencent Cloud credentials through the SDK's own providers, in the SDK's default order:
// environment (TENCENTCLOUD_SECRET_ID/_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN for temporary keys),
// the profile file (~/.tencentcloud/credentials, else /etc/tencentcloud/credentials), the CVM
// role (instance metadata) and TKE OIDC (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE,
// TKE_ROLE_ARN: unsigned STS AssumeRoleWithWebIdentity, at `stsEndpoint` when one is configured,
// else sts.tencentcloudapi.com). The role providers cache their temporary keys and fetch new ones
// when they expire (the CVM role 30 s before; TKE OIDC, by the SDK's arithmetic, 0.6 s before).
// Unlike the SDK's DefaultCredentialProvider this one does not print each provider's failure.
import {
  CvmRoleCredential,
  EnvironmentVariableCredential,
  OIDCRoleArnCredential,
  ProfileCredential,
} from 'tencentcloud-sdk-nodejs-common';
import { rememberSecrets } from '../../observability/runtime-secrets';
import type { CloudCredentials, CredentialSource } from '../types';

interface DynamicCredential {
  getCredential(): Promise<{ secretId?: string; secretKey?: string; token?: string }>;
}

/** 'host:port' (the emulator: plain HTTP) or 'http(s)://host[:port]', as the SDK's httpProfile wants it. */
function httpProfileOf(endpoint: string): { endpoint: string; protocol: string } {
  const m = /^(?:(https?):\/\/)?([^/\s]+)\/?$/.exec(endpoint.trim());
  if (!m) throw new Error(`STS endpoint "${endpoint}" is not host[:port] or http(s)://host[:port]`);
  return { endpoint: m[2]!, protocol: `${m[1] ?? 'http'}://` };
}

export function tencentDefaultChain(opts: { stsEndpoint?: string } = {}): CredentialSource {
  // Given only a client config, the SDK still reads TKE's environment and merges this in.
  const oidcConfig = opts.stsEndpoint
    ? { profile: { httpProfile: httpProfileOf(opts.stsEndpoint) } }
    : undefined;
  const providers: Array<() => DynamicCredential> = [
    () => new EnvironmentVariableCredential(),
    () => new ProfileCredential(),
    () => new CvmRoleCredential(),
    // The typings list no one-argument constructor; the SDK takes a lone client config for TKE.
    () => new (OIDCRoleArnCredential as unknown as new (config?: object) => DynamicCredential)(oidcConfig),
  ];
  // Built once: the role providers keep their cached keys between calls.
  const built = providers.map((make) => make());
  let last: DynamicCredential | undefined;
  const attempt = async (provider: DynamicCredential): Promise<CloudCredentials | undefined> => {
    const c = await provider.getCredential();
    if (!c.secretId || !c.secretKey) return undefined;
    // Role and OIDC keys are learnt at run time: the log redactor must know them.
    rememberSecrets(c.secretKey, c.token);
    return { accessKeyId: c.secretId, accessKeySecret: c.secretKey, securityToken: c.token || undefined };
  };
  return {
    origin: 'the Tencent Cloud SDK chain (environment, profile, CVM role, TKE OIDC)',
    async resolve() {
      if (last) {
        const again = await attempt(last).catch(() => undefined);
        if (again) return again;
      }
      for (const provider of built) {
        const found = await attempt(provider).catch(() => undefined);
        if (found) {
          last = provider;
          return found;
        }
      }
      throw new Error(
        'no Tencent Cloud credentials found: tried the environment, the profile file, the CVM role and TKE OIDC',
      );
    },
  };
}
