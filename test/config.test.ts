// Where the worker's credentials come from (src/config.ts): keys in the environment, with their
// session token, else the provider's chain; every credential value set is redacted from logs.
import { DEFAULT_MAX_CACHED_WORKFLOWS, loadWorkerConfig } from '../src/config';
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

describe('workflow cache size (TEARDOWN_MAX_CACHED_WORKFLOWS)', () => {
  test('defaults to a bound that keeps a 100,000-resource teardown under 1 GB, not the heap-sized SDK default', () => {
    expect(loadWorkerConfig({}).maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(DEFAULT_MAX_CACHED_WORKFLOWS * 10).toBeLessThan(1024 - 400); // ~10 MB each at 100,000 resources beside ~400 MB of worker
  });

  test('a count is taken; 0 turns the cache off', () => {
    expect(loadWorkerConfig({ TEARDOWN_MAX_CACHED_WORKFLOWS: ' 40 ' }).maxCachedWorkflows).toBe(40);
    expect(loadWorkerConfig({ TEARDOWN_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
  });

  test.each(['1', '-3', '2.5', 'many'])('%s is refused, naming the variable', (value) => {
    expect(() => loadWorkerConfig({ TEARDOWN_MAX_CACHED_WORKFLOWS: value })).toThrow(
      /^TEARDOWN_MAX_CACHED_WORKFLOWS: /,
    );
  });
});
