// Tencent Cloud credentials through the SDK's own providers, in the SDK's default order:
// environment (TENCENTCLOUD_SECRET_ID/_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN for temporary keys),
// the profile file (~/.tencentcloud/credentials, else /etc/tencentcloud/credentials), the CVM
// role (instance metadata) and TKE OIDC (TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE,
// TKE_ROLE_ARN). The role providers cache their temporary keys and fetch new ones before expiry.
// Unlike the SDK's DefaultCredentialProvider this one does not print each provider's failure.
import {
  CvmRoleCredential,
  EnvironmentVariableCredential,
  OIDCRoleArnCredential,
  ProfileCredential,
} from 'tencentcloud-sdk-nodejs-common';
import type { CloudCredentials, CredentialSource } from '../types';

interface DynamicCredential {
  getCredential(): Promise<{ secretId?: string; secretKey?: string; token?: string }>;
}

export function tencentDefaultChain(): CredentialSource {
  const providers: Array<() => DynamicCredential> = [
    () => new EnvironmentVariableCredential(),
    () => new ProfileCredential(),
    () => new CvmRoleCredential(),
    () => new OIDCRoleArnCredential(),
  ];
  // Built once: the role providers keep their cached keys between calls.
  const built = providers.map((make) => make());
  let last: DynamicCredential | undefined;
  const attempt = async (provider: DynamicCredential): Promise<CloudCredentials | undefined> => {
    const c = await provider.getCredential();
    if (!c.secretId || !c.secretKey) return undefined;
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
