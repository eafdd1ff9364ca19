// Alibaba Cloud credentials through the official @alicloud/credentials default chain: environment
// (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, _SECURITY_TOKEN), OIDC/RRSA (ALIBABA_CLOUD_ROLE_ARN,
// _OIDC_PROVIDER_ARN, _OIDC_TOKEN_FILE), the CLI's ~/.aliyun/config.json profiles (including
// RamRoleArn, which calls STS AssumeRole), ~/.alibabacloud/credentials (ALIBABA_CLOUD_CREDENTIALS_FILE,
// ALIBABA_CLOUD_PROFILE), the ECS RAM role (ALIBABA_CLOUD_ECS_METADATA) and a credentials URI.
// The chain caches temporary keys and fetches new ones before they expire.
import Credential from '@alicloud/credentials';
import { rememberSecrets } from '../../observability/runtime-secrets';
import type { CloudCredentials, CredentialSource } from '../types';

function fromModel(model: {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}): CloudCredentials {
  if (!model.accessKeyId || !model.accessKeySecret) {
    throw new Error('the Alibaba Cloud credential chain answered no AccessKey pair');
  }
  // Role and OIDC keys are learnt at run time: the log redactor must know them.
  rememberSecrets(model.accessKeySecret, model.securityToken);
  return {
    accessKeyId: model.accessKeyId,
    accessKeySecret: model.accessKeySecret,
    securityToken: model.securityToken || undefined,
  };
}

/** The SDK's default chain, as the worker's environment configures it. */
export function alibabaDefaultChain(): CredentialSource {
  const credential = new Credential();
  return {
    origin: 'the @alicloud/credentials default chain',
    resolve: async () => fromModel(await credential.getCredential()),
  };
}
