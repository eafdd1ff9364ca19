// Where the worker's credentials come from (src/config.ts): keys in the environment, with their
// session token, else the provider's chain; every credential value set is redacted from logs.
import { loadWorkerConfig } from '../src/config';
import { secretValues } from '../src/workers/telemetry';

describe('worker credentials', () => {
  test('keys in the environment win, with the session token', async () => {
    const config = loadWorkerConfig({
      TENCENTCLOUD_SECRET_ID: 'env-id',
      TENCENTCLOUD_SECRET_KEY: 'env-key',
      TENCENTCLOUD_SESSION_TOKEN: 'env-token',
    });
    expect(config.clouds.tencentcloud.credentials.origin).toBe('the environment');
    await expect(config.clouds.tencentcloud.credentials.resolve()).resolves.toEqual({
      accessKeyId: 'env-id',
      accessKeySecret: 'env-key',
      securityToken: 'env-token',
    });
  });

  test('without keys each cloud falls back to its official chain', () => {
    const { clouds } = loadWorkerConfig({});
    expect(clouds.alibabacloud.credentials.origin).toMatch(/@alicloud\/credentials/);
    expect(clouds.tencentcloud.credentials.origin).toMatch(/CVM role, TKE OIDC/);
    expect(clouds.volcengine.credentials.origin).toMatch(/~\/\.volc\/config/);
  });

  test('half a key pair is refused, naming the missing variable', () => {
    expect(() => loadWorkerConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id-only' })).toThrow(
      /ALIBABA_CLOUD_ACCESS_KEY_SECRET is missing/,
    );
  });

  test('session tokens are among the values redacted from log lines', () => {
    const values = secretValues({
      VOLCENGINE_ACCESS_KEY: 'volc-ak',
      VOLCENGINE_SECRET_KEY: 'volc-sk',
      VOLCENGINE_SESSION_TOKEN: 'volc-token',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'ali-token',
    });
    expect(values).toEqual(expect.arrayContaining(['volc-ak', 'volc-sk', 'volc-token', 'ali-token']));
  });
});
