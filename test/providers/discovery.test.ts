// `discover` of every kind against the emulator (real SDKs, real signatures): one list call per
// page, pagination across at least three pages, the tag and name filters each provider can take
// pushed down with its real semantics, the provider's names/tags/creation times read back, and
// wrong credentials classified as auth errors.
import { matchSelector } from '../../src/discovery';
import { ECS_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/ecs';
import { SAE_APPLICATION_TYPE, SAE_INSTANCE_TYPE } from '../../src/emulator/alibabacloud/sae';
import type { SeedResource } from '../../src/emulator/server';
import { GAAP_PROXY_TYPE } from '../../src/emulator/tencentcloud/gaap';
import { MS_SCAN_TYPE } from '../../src/emulator/tencentcloud/ms';
import { VOLCENGINE_ECS_INSTANCE } from '../../src/emulator/volcengine/ecs';
import type { CloudProvider } from '../../src/emulator/types';
import { alibabaEcsInstance } from '../../src/providers/alibabacloud/ecs';
import { alibabaSaeInstance } from '../../src/providers/alibabacloud/sae';
import { tencentGaapProxy } from '../../src/providers/tencentcloud/gaap';
import { tencentMsScan } from '../../src/providers/tencentcloud/ms';
import type {
  CallContext,
  DiscoveredResource,
  DiscoveryQuery,
  KindProvider,
} from '../../src/providers/types';
import { volcengineEcsInstance } from '../../src/providers/volcengine/ecs';
import { callContext, captureProviderError, useEmulator } from '../helpers/provider-harness';

/** More than two pages of 100. */
const COUNT = 250;
const MINUTE = 60_000;
/** Creation times on whole minutes, so every provider's time format round-trips exactly. */
const BASE = Date.parse('2026-01-05T08:00:00.000Z');

const emu = useEmulator();

const ctx = (provider: CloudProvider, overrides: Partial<CallContext> = {}) =>
  callContext(emu, provider, overrides);

function badCtx(provider: CloudProvider, overrides: Partial<CallContext> = {}): CallContext {
  const good = ctx(provider, overrides);
  return { ...good, credentials: { ...good.credentials, accessKeySecret: 'not-the-secret-0000000000' } };
}

/** Resource n of a seeded set: a name, tags and a creation time that depend on n. */
interface Spec {
  id: string;
  name: string;
  tags: Record<string, string>;
  createdAt: string;
}

/** env=ci for every third, team=infra for the first half, names ci-/web- alternating. */
function specs(idOf: (n: number) => string, count = COUNT): Spec[] {
  return Array.from({ length: count }, (_, n) => {
    const tags: Record<string, string> = { env: n % 3 === 0 ? 'ci' : 'prod' };
    if (n < count / 2) tags.team = 'infra';
    return {
      id: idOf(n),
      name: n % 2 === 0 ? `ci-${n}` : `web-${n}`,
      tags,
      createdAt: new Date(BASE + n * MINUTE).toISOString(),
    };
  });
}

const pad = (n: number) => String(n).padStart(4, '0');

/** Every page of a discovery; the page count is the number of discover calls it took. */
async function discoverAll(
  provider: KindProvider,
  context: CallContext,
  query: DiscoveryQuery,
): Promise<{ resources: DiscoveredResource[]; pages: number[] }> {
  const resources: DiscoveredResource[] = [];
  const pages: number[] = [];
  let token: string | undefined;
  do {
    const page = await provider.discover(context, query, token);
    resources.push(...page.resources);
    pages.push(page.resources.length);
    token = page.nextPageToken;
    if (pages.length > 50) throw new Error('discovery does not end');
  } while (token !== undefined);
  return { resources, pages };
}

const ids = (resources: DiscoveredResource[]) => resources.map((r) => r.id).sort();
const idsWhere = (all: Spec[], keep: (s: Spec) => boolean) =>
  all
    .filter(keep)
    .map((s) => s.id)
    .sort();
const calls = (action: string) => emu.calls({ action });

describe('alibabacloud.ecs.instance', () => {
  const REGION = 'cn-hangzhou';
  const provider = alibabaEcsInstance;
  const all = specs((n) => `i-disc${pad(n)}`);
  const c = () => ctx('alibabacloud', { region: REGION });

  beforeEach(() => {
    emu.seed([
      ...all.map(
        (s, n): SeedResource => ({
          type: ECS_INSTANCE_TYPE,
          region: REGION,
          status: n % 5 === 0 ? 'Stopped' : 'Running',
          ...s,
        }),
      ),
      // Same tags and name, another region: never listed here.
      {
        type: ECS_INSTANCE_TYPE,
        id: 'i-elsewhere01',
        region: 'cn-beijing',
        name: 'ci-x',
        tags: { env: 'ci' },
      },
    ]);
  });

  test('pages with NextToken/MaxResults=100, one DescribeInstances per page, fields read back', async () => {
    const { resources, pages } = await discoverAll(provider, c(), {});
    expect(pages).toEqual([100, 100, 50]);
    expect(ids(resources)).toEqual(idsWhere(all, () => true));
    const sent = calls('DescribeInstances').map((call) => call.params);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatchObject({ RegionId: REGION, MaxResults: '100' });
    expect(sent[0]).not.toHaveProperty('NextToken');
    expect(sent[1]!.NextToken).toEqual(expect.any(String));
    expect(sent[2]!.NextToken).not.toEqual(sent[1]!.NextToken);

    const byId = new Map(resources.map((r) => [r.id, r]));
    expect(byId.get('i-disc0003')).toEqual({
      id: 'i-disc0003',
      name: 'web-3',
      tags: { env: 'ci', team: 'infra' },
      createdAt: all[3]!.createdAt,
      status: 'Running',
    });
    expect(byId.get('i-disc0200')).toEqual({
      id: 'i-disc0200',
      name: 'ci-200',
      tags: { env: 'prod' },
      createdAt: all[200]!.createdAt,
      status: 'Stopped',
    });
  });

  test('tag filters are pushed down as Tag.N.Key/Tag.N.Value, ANDed; a key alone matches any value', async () => {
    const ci = await discoverAll(provider, c(), { tags: [{ key: 'env', value: 'ci' }] });
    expect(ids(ci.resources)).toEqual(idsWhere(all, (s) => s.tags.env === 'ci'));
    expect(calls('DescribeInstances')[0]!.params).toMatchObject({ 'Tag.1.Key': 'env', 'Tag.1.Value': 'ci' });

    emu.reset();
    emu.seed(all.map((s): SeedResource => ({ type: ECS_INSTANCE_TYPE, region: REGION, ...s })));
    const both = await discoverAll(provider, c(), { tags: [{ key: 'env', value: 'ci' }, { key: 'team' }] });
    expect(ids(both.resources)).toEqual(idsWhere(all, (s) => s.tags.env === 'ci' && 'team' in s.tags));
    const params = calls('DescribeInstances')[0]!.params;
    expect(params).toMatchObject({ 'Tag.2.Key': 'team' });
    expect(params).not.toHaveProperty('Tag.2.Value');
  });

  test('an unknown tag lists nothing, in one call', async () => {
    expect(await provider.discover(c(), { tags: [{ key: 'owner', value: 'nobody' }] }, undefined)).toEqual({
      resources: [],
      nextPageToken: undefined,
    });
    expect(calls('DescribeInstances')).toHaveLength(1);
  });

  test('the name prefix is pushed down as an InstanceName wildcard', async () => {
    const { resources, pages } = await discoverAll(provider, c(), { namePrefix: 'ci-' });
    expect(ids(resources)).toEqual(idsWhere(all, (s) => s.name.startsWith('ci-')));
    expect(pages).toEqual([100, 25]);
    expect(calls('DescribeInstances')[0]!.params).toMatchObject({ InstanceName: 'ci-*' });
  });

  test('wrong credentials are an auth error', async () => {
    const err = await captureProviderError(
      provider.discover(badCtx('alibabacloud', { region: REGION }), {}, undefined),
    );
    expect(err.errorClass).toBe('auth');
  });
});

describe('volcengine.ecs.instance', () => {
  const REGION = 'cn-beijing';
  const provider = volcengineEcsInstance;
  const all = specs((n) => `i-volc${pad(n)}`);
  const c = () => ctx('volcengine', { region: REGION });

  beforeEach(() => {
    emu.seed([
      ...all.map((s): SeedResource => ({ type: VOLCENGINE_ECS_INSTANCE, region: REGION, ...s })),
      // InstanceName is a fuzzy (contains) match: this one is listed for 'ci-' and left to the caller.
      {
        type: VOLCENGINE_ECS_INSTANCE,
        id: 'i-volcfuzzy1',
        region: REGION,
        name: 'old-ci-box',
        createdAt: all[0]!.createdAt,
      },
      {
        type: VOLCENGINE_ECS_INSTANCE,
        id: 'i-volcother1',
        region: 'cn-shanghai',
        name: 'ci-x',
        tags: { env: 'ci' },
      },
    ]);
  });

  test('pages with MaxResults=100/NextToken, fields read back', async () => {
    const { resources, pages } = await discoverAll(provider, c(), {});
    expect(pages).toEqual([100, 100, 51]);
    expect(ids(resources)).toEqual([...idsWhere(all, () => true), 'i-volcfuzzy1'].sort());
    const sent = calls('DescribeInstances').map((call) => call.params);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatchObject({ MaxResults: '100' });
    expect(sent[0]).not.toHaveProperty('NextToken');
    expect(sent[2]!.NextToken).toEqual(expect.any(String));
    expect(resources.find((r) => r.id === 'i-volc0004')).toEqual({
      id: 'i-volc0004',
      name: 'ci-4',
      tags: { env: 'prod', team: 'infra' },
      createdAt: all[4]!.createdAt,
      status: 'RUNNING',
    });
  });

  test('tag filters are pushed down as TagFilters.N.Key/Values.1', async () => {
    const { resources } = await discoverAll(provider, c(), {
      tags: [{ key: 'env', value: 'ci' }, { key: 'team' }],
    });
    expect(ids(resources)).toEqual(idsWhere(all, (s) => s.tags.env === 'ci' && 'team' in s.tags));
    const params = calls('DescribeInstances')[0]!.params;
    expect(params).toMatchObject({
      'TagFilters.1.Key': 'env',
      'TagFilters.1.Values.1': 'ci',
      'TagFilters.2.Key': 'team',
    });
    expect(params).not.toHaveProperty('TagFilters.2.Values.1');
  });

  test('an unknown tag lists nothing', async () => {
    const { resources, pages } = await discoverAll(provider, c(), { tags: [{ key: 'env', value: 'qa' }] });
    expect(resources).toEqual([]);
    expect(pages).toEqual([0]);
  });

  test('the name prefix is pushed down as InstanceName (contains): a superset the matcher narrows', async () => {
    const { resources } = await discoverAll(provider, c(), { namePrefix: 'ci-' });
    expect(calls('DescribeInstances')[0]!.params).toMatchObject({ InstanceName: 'ci-' });
    const prefixed = idsWhere(all, (s) => s.name.startsWith('ci-'));
    expect(ids(resources)).toEqual([...prefixed, 'i-volcfuzzy1'].sort());
    const matched = resources.filter((r) => matchSelector(r, { namePrefix: 'ci-' }, Date.now()).matched);
    expect(ids(matched)).toEqual(prefixed);
  });

  test('wrong credentials are an auth error', async () => {
    const err = await captureProviderError(
      provider.discover(badCtx('volcengine', { region: REGION }), {}, undefined),
    );
    expect(err.errorClass).toBe('auth');
  });
});

describe('tencentcloud.gaap.proxy', () => {
  const provider = tencentGaapProxy;
  const all = specs((n) => `link-d${pad(n)}`);
  const c = () => ctx('tencentcloud');

  beforeEach(() => {
    emu.seed(all.map((s): SeedResource => ({ type: GAAP_PROXY_TYPE, ...s })));
  });

  test('pages with Offset/Limit=100, oldest first, fields read back', async () => {
    const { resources, pages } = await discoverAll(provider, c(), {});
    expect(pages).toEqual([100, 100, 50]);
    // Oldest first, so nothing created while paging shifts the pages already read.
    expect(resources.map((r) => r.id)).toEqual(all.map((s) => s.id));
    expect(calls('DescribeProxies').map((call) => call.params)).toEqual(
      [0, 100, 200].map((Offset) => ({ Offset, Limit: 100, Order: 'asc', OrderField: 'create_time' })),
    );
    expect(resources[6]).toEqual({
      id: 'link-d0006',
      name: 'ci-6',
      tags: { env: 'ci', team: 'infra' },
      createdAt: all[6]!.createdAt,
      status: 'RUNNING',
    });
  });

  test('one key=value tag is pushed down as TagSet (GAAP ORs several); key-only tags are not', async () => {
    const query: DiscoveryQuery = {
      tags: [{ key: 'team' }, { key: 'env', value: 'ci' }, { key: 'x', value: 'y' }],
    };
    const { resources } = await discoverAll(provider, c(), query);
    expect(calls('DescribeProxies')[0]!.params).toMatchObject({
      TagSet: [{ TagKey: 'env', TagValue: 'ci' }],
    });
    // A superset of what carries every tag; the matcher narrows it.
    expect(ids(resources)).toEqual(idsWhere(all, (s) => s.tags.env === 'ci'));

    emu.reset();
    emu.seed(all.map((s): SeedResource => ({ type: GAAP_PROXY_TYPE, ...s })));
    const keyOnly = await discoverAll(provider, c(), { tags: [{ key: 'team' }] });
    expect(calls('DescribeProxies')[0]!.params).not.toHaveProperty('TagSet');
    expect(keyOnly.resources).toHaveLength(COUNT);
  });

  test('an unknown tag lists nothing', async () => {
    const { resources, pages } = await discoverAll(provider, c(), { tags: [{ key: 'env', value: 'qa' }] });
    expect(resources).toEqual([]);
    expect(pages).toEqual([0]);
  });

  test('a page token it did not make is refused', async () => {
    const err = await captureProviderError(provider.discover(c(), {}, 'abc'));
    expect(err).toMatchObject({ code: 'InvalidPageToken', errorClass: 'permanent' });
  });

  test('wrong credentials are an auth error', async () => {
    const err = await captureProviderError(provider.discover(badCtx('tencentcloud'), {}, undefined));
    expect(err.errorClass).toBe('auth');
  });
});

describe('tencentcloud.ms.scan', () => {
  const provider = tencentMsScan;
  const all = specs((n) => `sid${pad(n)}`);
  const c = () => ctx('tencentcloud');

  beforeEach(() => {
    // Scans have no tags: the seeded ones are ignored by MS.
    emu.seed(all.map((s): SeedResource => ({ type: MS_SCAN_TYPE, ...s })));
  });

  test('pages with Offset/Limit=100 by TaskTime ascending; AppName and TaskTime read back', async () => {
    const { resources, pages } = await discoverAll(provider, c(), {});
    expect(pages).toEqual([100, 100, 50]);
    expect(resources.map((r) => r.id)).toEqual(all.map((s) => s.id));
    expect(calls('DescribeScanInstances').map((call) => call.params)).toEqual(
      [0, 100, 200].map((Offset) => ({ Offset, Limit: 100, OrderField: 'TaskTime', OrderDirection: 'asc' })),
    );
    expect(resources[7]).toEqual({
      id: 'sid0007',
      name: 'web-7',
      tags: {},
      createdAt: all[7]!.createdAt,
      status: 'TaskStatus 1 (DONE)',
    });
  });

  test('tags cannot be pushed down: every scan is listed and the matcher excludes them all', async () => {
    const { resources } = await discoverAll(provider, c(), {
      tags: [{ key: 'env', value: 'ci' }],
      namePrefix: 'ci-',
    });
    expect(resources).toHaveLength(COUNT);
    expect(calls('DescribeScanInstances')[0]!.params).not.toHaveProperty('Filters');
    const verdicts = resources.map((r) => matchSelector(r, { tags: ['env=ci'] }, Date.now()));
    expect(verdicts.every((v) => !v.matched && v.reason === 'tag env=ci missing')).toBe(true);
  });

  test('a page token it did not make is refused', async () => {
    const err = await captureProviderError(provider.discover(c(), {}, '-1'));
    expect(err).toMatchObject({ code: 'InvalidPageToken', errorClass: 'permanent' });
  });

  test('wrong credentials are an auth error', async () => {
    const err = await captureProviderError(provider.discover(badCtx('tencentcloud'), {}, undefined));
    expect(err.errorClass).toBe('auth');
  });
});

describe('alibabacloud.sae.instance', () => {
  const REGION = 'cn-shanghai';
  const APP = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const provider = alibabaSaeInstance;
  // 150 in the default group, 100 in a second one.
  const all = specs((n) => `${APP.slice(0, 8)}-inst-${pad(n)}`);
  const c = (overrides: Partial<CallContext> = {}) =>
    ctx('alibabacloud', { region: REGION, appId: APP, ...overrides });

  beforeEach(() => {
    emu.seed([
      { type: SAE_APPLICATION_TYPE, id: APP, region: REGION, name: 'demo-app' },
      ...all.map(
        (s, n): SeedResource => ({
          type: SAE_INSTANCE_TYPE,
          id: s.id,
          region: REGION,
          createdAt: s.createdAt,
          attributes: n >= 150 ? { AppId: APP, GroupId: 'grp-b' } : { AppId: APP },
        }),
      ),
      // Another application's instance is not listed.
      { type: SAE_APPLICATION_TYPE, id: 'other-app', region: REGION },
      { type: SAE_INSTANCE_TYPE, id: 'other-inst-1', region: REGION, attributes: { AppId: 'other-app' } },
    ]);
  });

  test('lists groups first, then each group page by page; ids as names, CreateTimeStamp as createdAt', async () => {
    const { resources, pages } = await discoverAll(provider, c(), {});
    // Groups, default group 100 + 50, grp-b 100 (exactly one full page: no empty extra call).
    expect(pages).toEqual([0, 100, 50, 100]);
    expect(ids(resources)).toEqual(idsWhere(all, () => true));
    expect(calls('DescribeApplicationGroups')).toHaveLength(1);
    const sent = calls('DescribeApplicationInstances').map((call) => call.params);
    expect(sent).toEqual([
      expect.objectContaining({ AppId: APP, CurrentPage: '1', PageSize: '100' }),
      expect.objectContaining({ AppId: APP, CurrentPage: '2', PageSize: '100' }),
      expect.objectContaining({ AppId: APP, GroupId: 'grp-b', CurrentPage: '1', PageSize: '100' }),
    ]);
    expect(sent[0]!.GroupId).toBe(sent[1]!.GroupId);
    expect(resources.find((r) => r.id === all[9]!.id)).toEqual({
      id: all[9]!.id,
      name: all[9]!.id,
      tags: {},
      createdAt: all[9]!.createdAt,
      status: 'Running',
    });
  });

  test('tags cannot be pushed down: every instance is listed and the matcher excludes them', async () => {
    const { resources } = await discoverAll(provider, c(), { tags: [{ key: 'env', value: 'ci' }] });
    expect(resources).toHaveLength(COUNT);
    expect(resources.some((r) => matchSelector(r, { tags: ['env=ci'] }, Date.now()).matched)).toBe(false);
  });

  test('an application that does not exist has nothing to discover', async () => {
    expect(await provider.discover(c({ appId: 'no-such-app' }), {}, undefined)).toEqual({ resources: [] });
  });

  test('an application id is required; a page token it did not make is refused', async () => {
    expect(
      await captureProviderError(provider.discover(c({ appId: undefined }), {}, undefined)),
    ).toMatchObject({
      code: 'MissingAppId',
      errorClass: 'permanent',
    });
    expect(await captureProviderError(provider.discover(c(), {}, 'bm90LWEtY3Vyc29y'))).toMatchObject({
      code: 'InvalidPageToken',
      errorClass: 'permanent',
    });
  });

  test('wrong credentials are an auth error', async () => {
    const err = await captureProviderError(
      provider.discover(badCtx('alibabacloud', { region: REGION, appId: APP }), {}, undefined),
    );
    expect(err.errorClass).toBe('auth');
  });
});
