// The fake ECS 2014-05-26 driven through the real @alicloud/openapi-client: every branch of the
// instance state machine the teardown relies on.
import type OpenApi from '@alicloud/openapi-client';
import { emulatorAccount } from '../../src/emulator/accounts';
import type { SeedResource } from '../../src/emulator/types';
import { alibabaSdk, callAlibabaRpc, useEmulator, waitFor } from '../helpers/provider-harness';

const TYPE = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
const DURATIONS = {
  'alibabacloud.ecs.stop': 150,
  'alibabacloud.ecs.delete': 150,
  'alibabacloud.ecs.convert': 150,
};

const em = useEmulator({ settings: { durations: DURATIONS, quotaPerSecond: 0 } });

const clientFor = (account: 'default' | 'other') =>
  alibabaSdk(em.endpoint, emulatorAccount('alibabacloud', account));

let client: OpenApi;
beforeAll(() => {
  client = clientFor('default');
});

const ecs = (action: string, query: Record<string, string>, via: OpenApi = client) =>
  callAlibabaRpc(via, action, query);

function seed(...resources: Array<Partial<SeedResource> & { id: string }>) {
  em.seed(resources.map((r) => ({ type: TYPE, region: REGION, ...r })));
}

function ids(...list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((id, i) => [`InstanceId.${i + 1}`, id]));
}

function instance(id: string) {
  return em.resources(TYPE).find((r) => r.id === id);
}

const past = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16) + 'Z';
const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16) + 'Z';

describe('DescribeInstances', () => {
  beforeEach(() => {
    seed(
      { id: 'i-aaa000001', tags: { team: 'red', env: 'dev' }, createdAt: '2024-01-01T00:00:00Z' },
      { id: 'i-aaa000002', tags: { team: 'blue' }, createdAt: '2024-01-02T00:00:00Z', status: 'Stopped' },
      { id: 'i-aaa000003', tags: { team: 'red' }, createdAt: '2024-01-03T00:00:00Z' },
      { id: 'i-bbb000001', region: 'cn-shanghai' },
      { id: 'i-ccc000001', account: 'other' },
    );
  });

  it('lists the instances of the region and account with the fields the teardown reads', async () => {
    const res = await ecs('DescribeInstances', { RegionId: REGION });
    expect(res.ok).toBe(true);
    expect(res.body.TotalCount).toBe(3);
    expect(res.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual([
      'i-aaa000001',
      'i-aaa000002',
      'i-aaa000003',
    ]);
    expect(res.body.Instances.Instance[0]).toMatchObject({
      InstanceId: 'i-aaa000001',
      RegionId: REGION,
      Status: 'Running',
      InstanceChargeType: 'PostPaid',
      ExpiredTime: '2099-12-31T15:59Z',
      DeletionProtection: false,
      CreationTime: '2024-01-01T00:00Z',
      OperationLocks: { LockReason: [] },
      Tags: {
        Tag: [
          { TagKey: 'team', TagValue: 'red' },
          { TagKey: 'env', TagValue: 'dev' },
        ],
      },
    });
  });

  it('filters by InstanceIds, by tags, pages, and keeps regions and accounts apart', async () => {
    const byIds = await ecs('DescribeInstances', {
      RegionId: REGION,
      InstanceIds: JSON.stringify(['i-aaa000002', 'i-bbb000001', 'i-ccc000001']),
    });
    expect(byIds.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual(['i-aaa000002']);

    const byTag = await ecs('DescribeInstances', {
      RegionId: REGION,
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'red',
    });
    expect(byTag.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual([
      'i-aaa000001',
      'i-aaa000003',
    ]);
    const byTwoTags = await ecs('DescribeInstances', {
      RegionId: REGION,
      'Tag.1.Key': 'team',
      'Tag.2.Key': 'env',
    });
    expect(byTwoTags.body.TotalCount).toBe(1);

    const page2 = await ecs('DescribeInstances', { RegionId: REGION, PageSize: '2', PageNumber: '2' });
    expect(page2.body).toMatchObject({ TotalCount: 3, PageNumber: 2, PageSize: 2 });
    expect(page2.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual(['i-aaa000003']);

    const shanghai = await ecs('DescribeInstances', { RegionId: 'cn-shanghai' });
    expect(shanghai.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual(['i-bbb000001']);

    const other = await ecs('DescribeInstances', { RegionId: REGION }, clientFor('other'));
    expect(other.body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual(['i-ccc000001']);
  });

  it('filters by InstanceName with * wildcards; without one the name must be exact', async () => {
    seed(
      { id: 'i-nam000001', name: 'ci-runner-1', createdAt: '2024-02-01T00:00:00Z' },
      { id: 'i-nam000002', name: 'ci-runner-2', createdAt: '2024-02-02T00:00:00Z' },
      { id: 'i-nam000003', name: 'old-ci-runner', createdAt: '2024-02-03T00:00:00Z' },
      { id: 'i-nam000004', name: 'ci.runner', createdAt: '2024-02-04T00:00:00Z' },
    );
    const names = async (InstanceName: string) =>
      (await ecs('DescribeInstances', { RegionId: REGION, InstanceName })).body.Instances.Instance.map(
        (i: any) => i.InstanceName,
      );
    expect(await names('ci-*')).toEqual(['ci-runner-1', 'ci-runner-2']);
    expect(await names('*ci-*')).toEqual(['ci-runner-1', 'ci-runner-2', 'old-ci-runner']);
    expect(await names('ci-runner-1')).toEqual(['ci-runner-1']);
    expect(await names('ci-runner')).toEqual([]);
    // '.' is a character, not a regular expression.
    expect(await names('ci.*')).toEqual(['ci.runner']);
  });

  it('pages with NextToken/MaxResults (MaxResults clamped to 10..100)', async () => {
    seed(
      ...Array.from({ length: 25 }, (_, n) => ({
        id: `i-pag${String(n).padStart(6, '0')}`,
        tags: { batch: 'p' },
        createdAt: new Date(Date.UTC(2024, 3, 1, 0, n)).toISOString(),
      })),
    );
    const seen: string[] = [];
    let token: string | undefined;
    const sizes: number[] = [];
    do {
      const res = await ecs('DescribeInstances', {
        RegionId: REGION,
        'Tag.1.Key': 'batch',
        MaxResults: '3',
        ...(token ? { NextToken: token } : {}),
      });
      expect(res.ok).toBe(true);
      expect(res.body.TotalCount).toBe(25);
      const page = res.body.Instances.Instance.map((i: any) => i.InstanceId);
      sizes.push(page.length);
      seen.push(...page);
      token = res.body.NextToken || undefined;
      if (token) expect(token).toMatch(/^[0-9a-f]{32}$/);
    } while (token);
    // 3 is below ECS's minimum: pages of 10.
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, n) => `i-pag${String(n).padStart(6, '0')}`));

    const big = await ecs('DescribeInstances', { RegionId: REGION, MaxResults: '500' });
    expect(big.body.Instances.Instance).toHaveLength(28);
    expect(big.body.NextToken).toBe('');
    expect(await ecs('DescribeInstances', { RegionId: REGION, NextToken: 'not-a-token' })).toMatchObject({
      ok: false,
      code: 'InvalidParameter',
      status: 400,
    });
  });

  it('refuses bad input with ECS codes', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `i-x${String(i).padStart(8, '0')}`);
    expect(
      (await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify(tooMany) })).code,
    ).toBe('InvalidInstanceIds.MalFormed');
    const notJson = await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: 'i-aaa000001' });
    expect(notJson).toMatchObject({ code: 'InvalidInstanceIds.MalFormed', status: 400 });
    expect((await ecs('DescribeInstances', { RegionId: REGION, PageSize: '101' })).code).toBe(
      'InvalidParameter',
    );
    expect((await ecs('DescribeInstances', {})).code).toBe('MissingParameter');
  });
});

describe('DescribeInstanceStatus', () => {
  it('answers statuses by InstanceId.N with paging (at most 50 a page)', async () => {
    seed(
      { id: 'i-st0000001' },
      { id: 'i-st0000002', status: 'Stopped' },
      { id: 'i-st0000003', status: 'Pending' },
    );
    const res = await ecs('DescribeInstanceStatus', {
      RegionId: REGION,
      ...ids('i-st0000002', 'i-st0000003'),
    });
    expect(res.body.TotalCount).toBe(2);
    expect(res.body.InstanceStatuses.InstanceStatus).toEqual([
      { InstanceId: 'i-st0000002', Status: 'Stopped' },
      { InstanceId: 'i-st0000003', Status: 'Pending' },
    ]);
    const paged = await ecs('DescribeInstanceStatus', { RegionId: REGION, PageSize: '1', PageNumber: '3' });
    expect(paged.body.InstanceStatuses.InstanceStatus).toEqual([
      { InstanceId: 'i-st0000003', Status: 'Pending' },
    ]);
    expect((await ecs('DescribeInstanceStatus', { RegionId: REGION, PageSize: '51' })).code).toBe(
      'InvalidParameter',
    );
  });
});

describe('StopInstances', () => {
  it('moves Running -> Stopping -> Stopped after alibabacloud.ecs.stop', async () => {
    seed({ id: 'i-stop00001' }, { id: 'i-stop00002' });
    const res = await ecs('StopInstances', { RegionId: REGION, ...ids('i-stop00001', 'i-stop00002') });
    expect(res.ok).toBe(true);
    expect(res.body.InstanceResponses.InstanceResponse).toEqual([
      {
        InstanceId: 'i-stop00001',
        Code: '200',
        Message: 'success',
        PreviousStatus: 'Running',
        CurrentStatus: 'Stopping',
      },
      {
        InstanceId: 'i-stop00002',
        Code: '200',
        Message: 'success',
        PreviousStatus: 'Running',
        CurrentStatus: 'Stopping',
      },
    ]);
    expect(instance('i-stop00001')?.status).toBe('Stopping');
    await waitFor(
      () => instance('i-stop00001')?.status === 'Stopped' && instance('i-stop00002')?.status === 'Stopped',
    );
  });

  it('AllTogether refuses the whole batch when one instance cannot stop', async () => {
    seed({ id: 'i-stop00001' }, { id: 'i-stop00002', status: 'Stopped' });
    const res = await ecs('StopInstances', { RegionId: REGION, ...ids('i-stop00001', 'i-stop00002') });
    expect(res).toMatchObject({ ok: false, code: 'IncorrectInstanceStatus', status: 403 });
    expect(instance('i-stop00001')?.status).toBe('Running');
  });

  it('SuccessFirst stops what it can and reports the rest per instance', async () => {
    seed({ id: 'i-stop00001' }, { id: 'i-stop00002', status: 'Stopped' });
    const res = await ecs('StopInstances', {
      RegionId: REGION,
      BatchOptimization: 'SuccessFirst',
      ...ids('i-stop00001', 'i-stop00002', 'i-missing01'),
    });
    expect(res.ok).toBe(true);
    const byId = Object.fromEntries(
      res.body.InstanceResponses.InstanceResponse.map((r: any) => [r.InstanceId, r]),
    );
    expect(byId['i-stop00001']).toMatchObject({ Code: '200', CurrentStatus: 'Stopping' });
    expect(byId['i-stop00002']).toMatchObject({ Code: 'IncorrectInstanceStatus', CurrentStatus: 'Stopped' });
    expect(byId['i-missing01']).toMatchObject({ Code: 'InvalidInstanceId.NotFound' });
    expect(instance('i-stop00001')?.status).toBe('Stopping');
  });

  it('answers DryRunOperation without stopping', async () => {
    seed({ id: 'i-stop00001' });
    const res = await ecs('StopInstances', { RegionId: REGION, DryRun: 'true', ...ids('i-stop00001') });
    expect(res).toMatchObject({ code: 'DryRunOperation', status: 400 });
    expect(instance('i-stop00001')?.status).toBe('Running');
  });
});

describe('DeleteInstances', () => {
  it('deletes a Stopped instance: it is listed while releasing and gone after alibabacloud.ecs.delete', async () => {
    seed({ id: 'i-del000001', status: 'Stopped' });
    const res = await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000001') });
    expect(res.ok).toBe(true);
    expect(Object.keys(res.body)).toEqual(['RequestId']);
    const during = await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-del000001"]' });
    expect(during.body.TotalCount).toBe(1);
    await waitFor(() => instance('i-del000001') === undefined);
    const after = await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-del000001"]' });
    expect(after.body.TotalCount).toBe(0);
    const again = await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000001') });
    expect(again).toMatchObject({ code: 'InvalidInstanceId.NotFound', status: 404 });
  });

  it('refuses a Running instance without Force and deletes it with Force', async () => {
    seed({ id: 'i-del000001' });
    const refused = await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000001') });
    expect(refused).toMatchObject({ code: 'IncorrectInstanceStatus', status: 403 });
    expect(instance('i-del000001')?.status).toBe('Running');

    const forced = await ecs('DeleteInstances', { RegionId: REGION, Force: 'true', ...ids('i-del000001') });
    expect(forced.ok).toBe(true);
    expect(instance('i-del000001')?.status).toBe('Stopping');
    const whileReleasing = await ecs('DeleteInstances', {
      RegionId: REGION,
      Force: 'true',
      ...ids('i-del000001'),
    });
    expect(whileReleasing.code).toBe('IncorrectInstanceStatus');
    await waitFor(() => instance('i-del000001') === undefined);
  });

  it('is all-or-nothing: one unknown id refuses the batch with InvalidInstanceId.NotFound', async () => {
    seed({ id: 'i-del000001', status: 'Stopped' });
    const res = await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000001', 'i-nothere01') });
    expect(res).toMatchObject({ code: 'InvalidInstanceId.NotFound', status: 404 });
    expect(instance('i-del000001')?.attributes.Releasing).toBeUndefined();
  });

  it('does not see instances of another region or account', async () => {
    seed(
      { id: 'i-del000001', status: 'Stopped', region: 'cn-shanghai' },
      { id: 'i-del000002', status: 'Stopped', account: 'other' },
    );
    expect((await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000001') })).code).toBe(
      'InvalidInstanceId.NotFound',
    );
    expect((await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-del000002') })).code).toBe(
      'InvalidInstanceId.NotFound',
    );
  });

  it.each([
    [
      'deletion protection',
      { attributes: { DeletionProtection: true } },
      'InvalidOperation.DeletionProtection',
      403,
    ],
    ['a security lock', { attributes: { LockReason: 'security' } }, 'InstanceLockedForSecurity', 403],
    [
      'an unexpired subscription',
      { attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future } },
      'ChargeTypeViolation',
      403,
    ],
    [
      'an expired subscription without TerminateSubscription',
      { attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: past } },
      'ChargeTypeViolation',
      403,
    ],
    ['Pending', { status: 'Pending' }, 'IncorrectInstanceStatus', 403],
    ['Starting', { status: 'Starting' }, 'IncorrectInstanceStatus', 403],
    ['Stopping', { status: 'Stopping' }, 'IncorrectInstanceStatus', 403],
  ])('refuses %s', async (_what, extra, code, status) => {
    seed({ id: 'i-del000001', status: 'Stopped', ...(extra as Partial<SeedResource>) });
    const res = await ecs('DeleteInstances', { RegionId: REGION, Force: 'true', ...ids('i-del000001') });
    expect(res).toMatchObject({ ok: false, code, status });
    expect(instance('i-del000001')).toBeDefined();
    expect(instance('i-del000001')?.attributes.Releasing).toBeUndefined();
  });

  it('releases an expired subscription with TerminateSubscription=true', async () => {
    seed({
      id: 'i-del000001',
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: past },
    });
    const res = await ecs('DeleteInstances', {
      RegionId: REGION,
      TerminateSubscription: 'true',
      ...ids('i-del000001'),
    });
    expect(res.ok).toBe(true);
    await waitFor(() => instance('i-del000001') === undefined);
  });

  it('answers DryRunOperation when the delete would pass, and the real refusal when it would not', async () => {
    seed(
      { id: 'i-del000001', status: 'Stopped' },
      { id: 'i-del000002', attributes: { DeletionProtection: true } },
    );
    const pass = await ecs('DeleteInstances', { RegionId: REGION, DryRun: 'true', ...ids('i-del000001') });
    expect(pass).toMatchObject({ code: 'DryRunOperation', status: 400 });
    expect(pass.body.Message).toBe('Request validation has been passed with DryRun flag set.');
    expect(instance('i-del000001')?.attributes.Releasing).toBeUndefined();
    const fail = await ecs('DeleteInstances', {
      RegionId: REGION,
      DryRun: 'true',
      Force: 'true',
      ...ids('i-del000002'),
    });
    expect(fail.code).toBe('InvalidOperation.DeletionProtection');
  });

  it('validates InstanceId.N (1..100) and boolean flags', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`InstanceId.${i + 1}`, `i-x${i}`]),
    );
    expect((await ecs('DeleteInstances', { RegionId: REGION, ...many })).code).toBe('InvalidParameter');
    expect((await ecs('DeleteInstances', { RegionId: REGION })).code).toBe('MissingParameter');
    seed({ id: 'i-del000001', status: 'Stopped' });
    expect(
      (await ecs('DeleteInstances', { RegionId: REGION, Force: 'yes', ...ids('i-del000001') })).code,
    ).toBe('InvalidParameter');
  });
});

describe('ModifyInstanceChargeType', () => {
  it('converts a subscription to PostPaid after alibabacloud.ecs.convert, then the delete passes', async () => {
    seed({
      id: 'i-chg000001',
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future },
    });
    const res = await ecs('ModifyInstanceChargeType', {
      RegionId: REGION,
      InstanceIds: JSON.stringify(['i-chg000001']),
      InstanceChargeType: 'PostPaid',
    });
    expect(res.ok).toBe(true);
    expect(res.body.OrderId).toMatch(/^\d{15}$/);
    expect(res.body.FeeOfInstances.FeeOfInstance).toEqual([
      { InstanceId: 'i-chg000001', Fee: '0', Currency: 'CNY' },
    ]);

    // Still PrePaid until the order completes; a second conversion is refused meanwhile.
    const during = await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-chg000001"]' });
    expect(during.body.Instances.Instance[0].InstanceChargeType).toBe('PrePaid');
    expect((await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-chg000001') })).code).toBe(
      'ChargeTypeViolation',
    );
    const second = await ecs('ModifyInstanceChargeType', {
      RegionId: REGION,
      InstanceIds: '["i-chg000001"]',
      InstanceChargeType: 'PostPaid',
    });
    expect(second.code).toBe('InvalidStatus.ValueNotSupported');

    await waitFor(() => instance('i-chg000001')?.attributes.InstanceChargeType === 'PostPaid');
    const after = await ecs('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-chg000001"]' });
    expect(after.body.Instances.Instance[0]).toMatchObject({
      InstanceChargeType: 'PostPaid',
      ExpiredTime: '2099-12-31T15:59Z',
    });
    expect((await ecs('DeleteInstances', { RegionId: REGION, ...ids('i-chg000001') })).ok).toBe(true);
  });

  it('runs a conversion and a stop side by side (neither cancels the other)', async () => {
    seed({ id: 'i-chg000001', attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future } });
    const convert = { RegionId: REGION, InstanceIds: '["i-chg000001"]', InstanceChargeType: 'PostPaid' };
    expect((await ecs('ModifyInstanceChargeType', convert)).ok).toBe(true);
    expect((await ecs('StopInstances', { RegionId: REGION, ...ids('i-chg000001') })).ok).toBe(true);
    await waitFor(
      () =>
        instance('i-chg000001')?.status === 'Stopped' &&
        instance('i-chg000001')?.attributes.InstanceChargeType === 'PostPaid',
    );
    expect(instance('i-chg000001')?.attributes.PendingChargeType).toBeUndefined();
    // A Stopping instance cannot change its billing method.
    seed({
      id: 'i-chg000002',
      status: 'Stopping',
      attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future },
    });
    const busy = await ecs('ModifyInstanceChargeType', { ...convert, InstanceIds: '["i-chg000002"]' });
    expect(busy.code).toBe('InvalidStatus.ValueNotSupported');
  });

  it('refuses bad input and impossible conversions with ECS codes', async () => {
    seed(
      { id: 'i-chg000001', attributes: { InstanceChargeType: 'PostPaid' } },
      { id: 'i-chg000002', attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: past } },
      { id: 'i-chg000003', attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future } },
    );
    const base = { RegionId: REGION, InstanceChargeType: 'PostPaid' };
    const tooMany = JSON.stringify(Array.from({ length: 21 }, (_, i) => `i-x${i}`));
    expect((await ecs('ModifyInstanceChargeType', { ...base, InstanceIds: tooMany })).code).toBe(
      'InstancesIdQuotaExceed',
    );
    expect((await ecs('ModifyInstanceChargeType', { ...base, InstanceIds: 'nope' })).code).toBe(
      'InvalidParameter.InstanceIds',
    );
    expect((await ecs('ModifyInstanceChargeType', { ...base })).code).toBe('MissingParameter');
    expect((await ecs('ModifyInstanceChargeType', { ...base, InstanceIds: '["i-chg000001"]' })).code).toBe(
      'InvalidInstanceChargeType.ValueNotSupported',
    );
    expect((await ecs('ModifyInstanceChargeType', { ...base, InstanceIds: '["i-chg000002"]' })).code).toBe(
      'ExpiredInstance',
    );
    expect((await ecs('ModifyInstanceChargeType', { ...base, InstanceIds: '["i-nothere01"]' })).code).toBe(
      'InvalidInstanceId.NotFound',
    );
    const dry = await ecs('ModifyInstanceChargeType', {
      ...base,
      DryRun: 'true',
      InstanceIds: '["i-chg000003"]',
    });
    expect(dry.code).toBe('DryRunOperation');
    expect(instance('i-chg000003')?.attributes.PendingChargeType).toBeUndefined();
  });
});

describe('ClientToken on ECS actions', () => {
  it('replays the first answer of DeleteInstances for the same token and parameters', async () => {
    seed({ id: 'i-tok000001', status: 'Stopped' });
    const query = { RegionId: REGION, ClientToken: 'delete-tok-1', ...ids('i-tok000001') };
    const first = await ecs('DeleteInstances', query);
    const second = await ecs('DeleteInstances', query);
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    await waitFor(() => instance('i-tok000001') === undefined);
    // Even once the instance is gone, the token still answers the first (successful) result.
    expect((await ecs('DeleteInstances', query)).ok).toBe(true);
    expect(em.calls({ clientToken: 'delete-tok-1' })).toHaveLength(3);
    expect(em.stats().idempotentReplays).toBe(2);
  });

  it('replays ModifyInstanceChargeType with the same OrderId', async () => {
    seed({ id: 'i-tok000001', attributes: { InstanceChargeType: 'PrePaid', ExpiredTime: future } });
    const query = {
      RegionId: REGION,
      InstanceIds: '["i-tok000001"]',
      InstanceChargeType: 'PostPaid',
      ClientToken: 'convert-1',
    };
    const first = await ecs('ModifyInstanceChargeType', query);
    const second = await ecs('ModifyInstanceChargeType', query);
    expect(second.body.OrderId).toBe(first.body.OrderId);
    expect(second.body.RequestId).not.toBe(first.body.RequestId);
  });

  it('refuses an over-long ClientToken', async () => {
    seed({ id: 'i-tok000001', status: 'Stopped' });
    const res = await ecs('DeleteInstances', {
      RegionId: REGION,
      ClientToken: 'x'.repeat(65),
      ...ids('i-tok000001'),
    });
    expect(res).toMatchObject({ code: 'InvalidClientToken.ValueNotSupported', status: 400 });
  });
});
