// Named accounts (issue 8 section 4): the worker's account map, UnknownAccount before anything is
// sent, per-account queues and tokens, TeardownAccounts, and the group that checks its account first.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ACCOUNTS_PATCH } from '../src/accounts';
import { accountEnvValues, readAccountMap } from '../src/account-map';
import { clientToken, type ClientTokenParts } from '../src/activities/client-token';
import { credentialSourceOf } from '../src/activities';
import { requestFromFlags } from '../src/client/request-flags';
import { loadWorkerConfig } from '../src/config';
import { parseTeardownRequest, requestSummary } from '../src/contract';
import { Redactor } from '../src/observability/logger';
import { rememberSecrets } from '../src/observability/runtime-secrets';
import { temporaryKeySource } from '../src/providers/temporary-keys';
import { accountsKey, initialSearchAttributes } from '../src/search-attributes';
import { actionTaskQueue } from '../src/task-queues';
import { runGroup } from '../src/workflows/resource-group';
import { groupAttributes } from '../src/workflows/search';
import { TeardownLedger } from '../src/workflows/teardown-ledger';
import { fakeGroup } from './workflows/fakes/group';

const KEYS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIdefault',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'default-secret',
  PROD_ALI_ID: 'LTAIprod',
  PROD_ALI_SECRET: 'prod-secret-value',
};
const MAP = {
  prod: {
    alibabacloud: { accessKeyIdEnv: 'PROD_ALI_ID', accessKeySecretEnv: 'PROD_ALI_SECRET' },
    quotas: { 'alibabacloud.ecs.DeleteInstances': 5 },
  },
  audit: { tencentcloud: { roleArn: 'qcs::cam::uin/100000000002:roleName/teardown' } },
};

describe('the account map', () => {
  test('TEARDOWN_ACCOUNTS and TEARDOWN_ACCOUNTS_FILE give the same accounts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'accounts-'));
    const file = path.join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify(MAP));
    expect(readAccountMap({ TEARDOWN_ACCOUNTS_FILE: file })).toEqual(
      readAccountMap({ TEARDOWN_ACCOUNTS: JSON.stringify(MAP) }),
    );
    const config = loadWorkerConfig({ ...KEYS, TEARDOWN_ACCOUNTS_FILE: file });
    expect(Object.keys(config.accounts).sort()).toEqual(['audit', 'prod']);
    expect(config.accounts.prod!.quotas).toEqual({ 'alibabacloud.ecs.DeleteInstances': 5 });
    expect(config.accounts.audit!.clouds.tencentcloud!.origin).toMatch(
      /STS AssumeRole of qcs::cam::uin\/100000000002/,
    );
  });

  test.each([
    [{ default: MAP.prod }, /default: is the worker's own credentials/],
    [{ Prod: MAP.prod }, /lower-case/],
    [{ x: { alibabacloud: { accessKeyIdEnv: 'A' } } }, /set both accessKeyIdEnv and accessKeySecretEnv/],
    [{ x: { alibabacloud: {} } }, /needs accessKeyIdEnv\/accessKeySecretEnv, a roleArn, or both/],
    [{ x: { volcengine: { roleArn: 'trn:iam::1:role/x' } } }, /not supported for Volcengine/],
    [{ x: { alibabacloud: { accessKeyId: 'LTAI' } } }, /accessKeyId/],
  ])('refuses %j', (map, message) => {
    expect(() => readAccountMap({ TEARDOWN_ACCOUNTS: JSON.stringify(map) })).toThrow(message);
  });

  test('refuses both variables at once, a file that is not JSON, and a variable that is not set', () => {
    expect(() => readAccountMap({ TEARDOWN_ACCOUNTS: '{}', TEARDOWN_ACCOUNTS_FILE: '/x' })).toThrow(
      /not both/,
    );
    expect(() => readAccountMap({ TEARDOWN_ACCOUNTS: '{' })).toThrow(/TEARDOWN_ACCOUNTS is not JSON/);
    expect(() => loadWorkerConfig({ TEARDOWN_ACCOUNTS: JSON.stringify({ prod: MAP.prod }) })).toThrow(
      /account prod \(alibabacloud\): PROD_ALI_ID is not set/,
    );
  });

  test('the keys it points at are secrets to redact', () => {
    const env = { ...KEYS, TEARDOWN_ACCOUNTS: JSON.stringify(MAP) };
    expect(accountEnvValues(readAccountMap(env), env).sort()).toEqual(['LTAIprod', 'prod-secret-value']);
  });
});

describe('which credentials a call uses', () => {
  const config = loadWorkerConfig({ ...KEYS, TEARDOWN_ACCOUNTS: JSON.stringify(MAP) });
  const failureOf = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      return err as ApplicationFailure;
    }
    throw new Error('expected UnknownAccount');
  };

  test('no account, or "default", is the worker default; a named one its own keys', async () => {
    expect(credentialSourceOf(config, 'alibabacloud', {})).toBe(config.clouds.alibabacloud.credentials);
    expect(credentialSourceOf(config, 'alibabacloud', { account: 'default' })).toBe(
      config.clouds.alibabacloud.credentials,
    );
    await expect(
      credentialSourceOf(config, 'alibabacloud', { account: 'prod' }).resolve(),
    ).resolves.toMatchObject({
      accessKeyId: 'LTAIprod',
    });
  });

  test('an unknown account is UnknownAccount, non-retryable, naming the field and the known accounts', () => {
    const err = failureOf(() =>
      credentialSourceOf(config, 'alibabacloud', { account: 'prdo', accountField: 'resources[2].account' }),
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'UnknownAccount', nonRetryable: true });
    expect(err.message).toBe(
      'resources[2].account: "prdo" is not an account this worker knows (known: default, prod, audit); nothing was sent',
    );
  });

  test('an account without keys for the kind’s cloud is UnknownAccount too', () => {
    const err = failureOf(() =>
      credentialSourceOf(config, 'tencentcloud', { account: 'prod', accountField: 'selectors[0].account' }),
    );
    expect(err.type).toBe('UnknownAccount');
    expect(err.message).toMatch(/^selectors\[0\]\.account: account "prod" has no tencentcloud credentials/);
  });
});

describe('per-account names', () => {
  const base: ClientTokenParts = {
    teardownId: 'teardown-a',
    step: 'delete',
    kind: 'alibabacloud.ecs.instance',
    region: 'cn-hangzhou',
    ids: ['i-a'],
    generation: 0,
  };

  test('the ClientToken mixes the account in only when one is named', () => {
    // Recorded before accounts existed: histories and providers' token memory keep matching.
    expect(clientToken(base)).toBe(clientToken({ ...base, account: undefined }));
    expect(clientToken({ ...base, account: 'prod' })).not.toBe(clientToken(base));
    expect(clientToken({ ...base, account: 'prod' })).not.toBe(clientToken({ ...base, account: 'audit' }));
  });

  test('each account has its own queue per action (its own quota); the default keeps its name', () => {
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', 'delete')).toBe(
      'q.alibabacloud.ecs.DeleteInstances',
    );
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', 'delete', 'default')).toBe(
      'q.alibabacloud.ecs.DeleteInstances',
    );
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', 'delete', 'prod')).toBe(
      'q.alibabacloud.ecs.DeleteInstances@prod',
    );
  });

  test('TeardownAccounts is set only when the request names an account', () => {
    const plain = parseTeardownRequest({
      resources: [{ kind: 'tencentcloud.gaap.proxy', ids: ['link-a1b2c3d4'] }],
    });
    expect(initialSearchAttributes(plain).map((a) => a.key.name)).not.toContain('TeardownAccounts');
    const named = parseTeardownRequest({
      resources: [
        { kind: 'tencentcloud.gaap.proxy', ids: ['link-a1b2c3d4'] },
        { kind: 'tencentcloud.gaap.proxy', account: 'prod', ids: ['link-b1b2c3d4'] },
      ],
    });
    expect(initialSearchAttributes(named)).toContainEqual({ key: accountsKey, value: ['default', 'prod'] });
    expect(requestSummary(named).text).toBe(
      'teardown of 2 resources (tencentcloud.gaap.proxy) in accounts default, prod',
    );
    expect(requestSummary(plain).text).toBe('teardown of 1 resources (tencentcloud.gaap.proxy)');
    expect(groupAttributes('tencentcloud.gaap.proxy', 'prod')).toContainEqual({
      key: accountsKey,
      value: ['prod'],
    });
    expect(groupAttributes('tencentcloud.gaap.proxy').map((a) => a.key.name)).not.toContain(
      'TeardownAccounts',
    );
  });

  test("the CLI's --account names the account of --ids and of --select-kind", () => {
    const byIds = parseTeardownRequest(
      requestFromFlags({ kind: 'tencentcloud.gaap.proxy', ids: ['link-a1b2c3d4'], account: 'prod' }),
    );
    expect(byIds.resources[0]!.account).toBe('prod');
    const bySelector = parseTeardownRequest(
      requestFromFlags({ selectKind: 'tencentcloud.gaap.proxy', tag: ['env=ci'], account: 'prod' }),
    );
    expect(bySelector.selectors![0]!.account).toBe('prod');
    expect(() => requestFromFlags({ file: '/nonexistent.json', account: 'prod' })).toThrow(/--account/);
  });

  test('the contract refuses an account name that cannot be a queue suffix', () => {
    expect(() =>
      parseTeardownRequest({
        resources: [{ kind: 'tencentcloud.gaap.proxy', account: 'Prod Account', ids: ['link-a1b2c3d4'] }],
      }),
    ).toThrow(/resources\[0\]\.account: must be lower-case/);
  });
});

describe('groups and reports', () => {
  test('a group naming an unknown account fails every id with UnknownAccount and sends nothing', async () => {
    const { ctx, cloud, patches } = fakeGroup(
      { 'i-a': 'Stopped', 'i-b': 'Stopped' },
      { account: 'prdo', accountField: 'resources[1].account' },
    );
    const reports = await runGroup(ctx);
    expect(patches).toContain(ACCOUNTS_PATCH);
    expect(cloud.calls.map((c) => c.call)).toEqual(['checkAccount']);
    expect(reports.map((r) => [r.id, r.outcome, r.errorCode])).toEqual([
      ['i-a', 'failed', 'UnknownAccount'],
      ['i-b', 'failed', 'UnknownAccount'],
    ]);
    expect(reports[0]!.message).toMatch(/^resources\[1\]\.account: unknown account/);
  });

  test('a known account is checked once, then the group runs as before; no account, no check', async () => {
    const named = fakeGroup({ 'i-a': 'Stopped' }, { account: 'other' });
    expect((await runGroup(named.ctx)).map((r) => r.outcome)).toEqual(['deleted']);
    expect(named.cloud.calls[0]!.call).toBe('checkAccount');
    const plain = fakeGroup({ 'i-a': 'Stopped' });
    await runGroup(plain.ctx);
    expect(plain.cloud.calls.map((c) => c.call)).not.toContain('checkAccount');
    expect(plain.patches).not.toContain(ACCOUNTS_PATCH);
  });

  test('the parent groups by account and each resource report carries it', () => {
    const ledger = new TeardownLedger();
    ledger.addTargets([
      { kind: 'tencentcloud.gaap.proxy', ids: ['link-a'] },
      { kind: 'tencentcloud.gaap.proxy', account: 'other', ids: ['link-b'] },
    ]);
    expect(ledger.targets()).toEqual([
      { kind: 'tencentcloud.gaap.proxy', region: '', ids: ['link-a'] },
      {
        kind: 'tencentcloud.gaap.proxy',
        region: '',
        account: 'other',
        accountField: 'resources[1].account',
        ids: ['link-b'],
      },
    ]);
    ledger.merge([{ kind: 'tencentcloud.gaap.proxy', region: '', id: 'link-b', outcome: 'deleted' }]);
    expect(ledger.all().map((r) => [r.id, r.account])).toEqual([
      ['link-a', undefined],
      ['link-b', 'other'],
    ]);
  });
});

describe('temporary keys', () => {
  test('are fetched once, renewed a margin before expiry, and hidden from logs', async () => {
    let now = 0;
    let n = 0;
    const source = temporaryKeySource({
      origin: 'test',
      now: () => now,
      fetch: () => {
        n++;
        return Promise.resolve({
          credentials: {
            accessKeyId: `id-${n}`,
            accessKeySecret: `secret-number-${n}`,
            securityToken: `token-number-${n}`,
          },
          expiresAt: now + 3_600_000,
        });
      },
    });
    await Promise.all([source.resolve(), source.resolve()]);
    expect(n).toBe(1);
    now = 3_600_000 - 5 * 60_000 - 1;
    expect((await source.resolve()).accessKeyId).toBe('id-1');
    now += 1;
    expect((await source.resolve()).accessKeyId).toBe('id-2');
    const line = new Redactor([]).text('signed with token-number-2 and secret-number-1');
    expect(line).toBe('signed with [REDACTED] and [REDACTED]');
  });

  test('rememberSecrets ignores empty and tiny values', () => {
    rememberSecrets(undefined, '', 'abc');
    expect(new Redactor([]).text('abc')).toBe('abc');
  });
});
