// Volcengine ECS action handlers over the emulator's store, called directly (no HTTP).
import { VOLCENGINE_ECS_INSTANCE, volcengineEcsProduct } from '../../src/emulator/volcengine/ecs';
import { MemoryStore } from '../../src/emulator/store';
import type { ApiCall, EmulatorApiError, EmulatorContext } from '../../src/emulator/types';
import { captureEmulatorError } from '../helpers/provider-harness';

const DAY = 86_400_000;
let clock = Date.UTC(2025, 0, 1);
let store: MemoryStore;
let ctx: EmulatorContext;

beforeEach(() => {
  clock = Date.UTC(2025, 0, 1);
  store = new MemoryStore(() => clock);
  ctx = {
    store,
    duration: (name, fallback) =>
      ({ 'volcengine.ecs.delete': 1_000, 'volcengine.ecs.stop': 500 })[name] ?? fallback,
    now: () => clock,
    memory: new Map(),
  };
});

function seed(
  id: string,
  opts: {
    status?: string;
    attributes?: Record<string, unknown>;
    region?: string;
    tags?: Record<string, string>;
    name?: string;
    createdAt?: string;
  } = {},
) {
  store.put({
    type: VOLCENGINE_ECS_INSTANCE,
    account: 'default',
    region: opts.region ?? 'cn-beijing',
    id,
    status: opts.status ?? 'RUNNING',
    attributes: { InstanceChargeType: 'PostPaid', ...opts.attributes },
    tags: opts.tags ?? {},
    name: opts.name ?? id,
    createdAt: opts.createdAt ?? new Date(clock).toISOString(),
  });
}

function call(action: string, params: Record<string, unknown>, region = 'cn-beijing'): ApiCall {
  return {
    provider: 'volcengine',
    service: 'ecs',
    action,
    version: '2020-04-01',
    region,
    accessKeyId: 'AK',
    account: 'default',
    params,
    requestId: 'req',
    raw: { method: 'GET', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) },
  };
}

function run(action: string, params: Record<string, unknown>, region?: string): any {
  return volcengineEcsProduct.actions[action]!(call(action, params, region), ctx);
}

function refusal(action: string, params: Record<string, unknown>): EmulatorApiError {
  return captureEmulatorError(() => run(action, params));
}

const ids = (...list: string[]) => Object.fromEntries(list.map((id, i) => [`InstanceIds.${i + 1}`, id]));
const status = (id: string) => store.get(VOLCENGINE_ECS_INSTANCE, 'default', id)?.status;

describe('DeleteInstances', () => {
  test('one call answers per instance: deleted, not found, prepaid refused, busy, injected', () => {
    seed('i-run001');
    seed('i-stop002', { status: 'STOPPED' });
    seed('i-pre003', {
      attributes: { InstanceChargeType: 'PrePaid', ExpiredAt: new Date(clock + 10 * DAY).toISOString() },
    });
    seed('i-busy004', { status: 'STOPPING' });
    seed('i-fail005', { attributes: { failDelete: 'InternalError' } });
    seed('i-exp006', {
      attributes: { InstanceChargeType: 'PrePaid', ExpiredAt: new Date(clock - DAY).toISOString() },
    });
    seed('i-err007', { status: 'ERROR' });
    seed('i-far008', { region: 'cn-shanghai' });

    const answer = run('DeleteInstances', {
      ...ids(
        'i-run001',
        'i-stop002',
        'i-pre003',
        'i-busy004',
        'i-fail005',
        'i-exp006',
        'i-err007',
        'i-far008',
        'i-none009',
      ),
      ClientToken: 'tok-1',
    });
    expect(answer.OperationDetails).toEqual([
      { InstanceId: 'i-run001' },
      { InstanceId: 'i-stop002' },
      {
        InstanceId: 'i-pre003',
        Error: { Code: 'InvalidInstanceChargeType.Unsupported', Message: expect.any(String) },
      },
      { InstanceId: 'i-busy004', Error: { Code: 'InvalidInstanceStatus', Message: expect.any(String) } },
      { InstanceId: 'i-fail005', Error: { Code: 'InternalError', Message: expect.any(String) } },
      { InstanceId: 'i-exp006' },
      { InstanceId: 'i-err007' },
      {
        InstanceId: 'i-far008',
        Error: { Code: 'InvalidInstance.NotFound', Message: 'The specified instance does not exist.' },
      },
      {
        InstanceId: 'i-none009',
        Error: { Code: 'InvalidInstance.NotFound', Message: 'The specified instance does not exist.' },
      },
    ]);
    expect(status('i-run001')).toBe('DELETING');
    expect(status('i-pre003')).toBe('RUNNING');

    // A second delete of a DELETING instance is refused as busy.
    expect(run('DeleteInstances', ids('i-run001')).OperationDetails[0].Error.Code).toBe(
      'InvalidInstanceStatus',
    );

    clock += 1_000;
    for (const id of ['i-run001', 'i-stop002', 'i-exp006', 'i-err007']) expect(status(id)).toBeUndefined();
    expect(status('i-pre003')).toBe('RUNNING');
    expect(status('i-busy004')).toBe('STOPPING');
  });

  test('malformed requests are refused as a whole', () => {
    expect(refusal('DeleteInstances', {})).toMatchObject({ code: 'MissingParameter', httpStatus: 400 });
    const many = Array.from({ length: 101 }, (_, i) => `i-many${String(i).padStart(3, '0')}`);
    expect(refusal('DeleteInstances', ids(...many))).toMatchObject({
      code: 'InvalidCount.Malformed',
      httpStatus: 400,
    });
    expect(refusal('DeleteInstances', { ...ids('i-x00001'), ClientToken: 'x'.repeat(65) })).toMatchObject({
      code: 'InvalidClientToken.Malformed',
      httpStatus: 400,
    });
    expect(refusal('DeleteInstances', { ...ids('i-x00001'), ClientToken: 'tökén' }).code).toBe(
      'InvalidClientToken.Malformed',
    );
    expect(refusal('DeleteInstances', { 'InstanceIds.1': '' })).toMatchObject({
      code: 'InvalidArgument',
      httpStatus: 400,
    });
    expect(refusal('DeleteInstances', { 'InstanceIds.0': 'i-x00001' }).code).toBe('InvalidArgument');
    // 100 ids is the limit, not over it.
    expect(run('DeleteInstances', ids(...many.slice(0, 100))).OperationDetails).toHaveLength(100);
  });
});

describe('StopInstances', () => {
  test('RUNNING -> STOPPING -> STOPPED after volcengine.ecs.stop; others are refused per instance', () => {
    seed('i-run001');
    seed('i-stop002', { status: 'STOPPED' });
    seed('i-fail003', { attributes: { failStop: 'InvalidInstanceStatus' } });
    const answer = run('StopInstances', {
      ...ids('i-run001', 'i-stop002', 'i-fail003', 'i-none004'),
      ForceStop: 'true',
      StoppedMode: 'StopCharging',
      ClientToken: 'tok',
    });
    expect(answer.OperationDetails.map((d: { Error?: { Code: string } }) => d.Error?.Code ?? 'ok')).toEqual([
      'ok',
      'InvalidInstanceStatus',
      'InvalidInstanceStatus',
      'InvalidInstance.NotFound',
    ]);
    expect(status('i-run001')).toBe('STOPPING');
    clock += 499;
    expect(status('i-run001')).toBe('STOPPING');
    clock += 1;
    expect(store.get(VOLCENGINE_ECS_INSTANCE, 'default', 'i-run001')).toMatchObject({
      status: 'STOPPED',
      attributes: { StoppedMode: 'StopCharging' },
    });
  });

  test('bad flags are refused', () => {
    seed('i-run001');
    expect(refusal('StopInstances', { ...ids('i-run001'), StoppedMode: 'Sleep' })).toMatchObject({
      code: 'InvalidStoppedMode.Malformed',
    });
    expect(refusal('StopInstances', { ...ids('i-run001'), ForceStop: 'maybe' }).code).toBe(
      'InvalidForceStop.Malformed',
    );
  });
});

describe('ModifyInstanceChargeType', () => {
  const prepaid = () => ({
    InstanceChargeType: 'PrePaid',
    ExpiredAt: new Date(clock + 30 * DAY).toISOString(),
  });

  test('PrePaid -> PostPaid after volcengine.ecs.convert, then deletable', () => {
    seed('i-pre001', { attributes: prepaid() });
    seed('i-pre002', { status: 'STOPPED', attributes: prepaid() });
    seed('i-post003');
    const answer = run('ModifyInstanceChargeType', {
      ...ids('i-pre001', 'i-pre002', 'i-post003'),
      InstanceChargeType: 'PostPaid',
      AutoPay: 'true',
      ClientToken: 'tok',
    });
    expect(answer.OrderId).toMatch(/^Order\d+$/);
    const view = () => run('DescribeInstances', ids('i-pre001')).Instances[0];
    expect(view().InstanceChargeType).toBe('PrePaid');
    expect(run('DeleteInstances', ids('i-pre001')).OperationDetails[0].Error.Code).toBe(
      'InvalidInstanceChargeType.Unsupported',
    );
    // A stop while the order is pending is refused: another operation runs on the instance.
    expect(run('StopInstances', ids('i-pre001')).OperationDetails[0].Error.Code).toBe(
      'InvalidInstanceStatus',
    );
    // Re-ordering a pending conversion changes nothing and is accepted.
    expect(
      run('ModifyInstanceChargeType', { ...ids('i-pre001'), InstanceChargeType: 'PostPaid', AutoPay: 'true' })
        .OrderId,
    ).toBeTruthy();

    clock += 1_500;
    expect(view()).toMatchObject({ InstanceChargeType: 'PostPaid', ExpiredAt: '' });
    expect(
      store.get(VOLCENGINE_ECS_INSTANCE, 'default', 'i-pre001')?.attributes.pendingChargeType,
    ).toBeUndefined();
    expect(run('DeleteInstances', ids('i-pre001', 'i-pre002')).OperationDetails).toEqual([
      { InstanceId: 'i-pre001' },
      { InstanceId: 'i-pre002' },
    ]);
  });

  test('AutoPay=false (the API default) only places an unpaid order', () => {
    seed('i-pre001', { attributes: prepaid() });
    run('ModifyInstanceChargeType', { ...ids('i-pre001'), InstanceChargeType: 'PostPaid' });
    clock += 60_000;
    expect(store.get(VOLCENGINE_ECS_INSTANCE, 'default', 'i-pre001')?.attributes.InstanceChargeType).toBe(
      'PrePaid',
    );
  });

  test('the order is all-or-nothing: unknown or busy instances refuse the whole call', () => {
    seed('i-pre001', { attributes: prepaid() });
    seed('i-busy002', { status: 'REBOOTING', attributes: prepaid() });
    const base = { InstanceChargeType: 'PostPaid', AutoPay: 'true' };
    expect(refusal('ModifyInstanceChargeType', { ...ids('i-pre001', 'i-none003'), ...base })).toMatchObject({
      code: 'InvalidInstance.NotFound',
      httpStatus: 404,
    });
    expect(refusal('ModifyInstanceChargeType', { ...ids('i-pre001', 'i-busy002'), ...base })).toMatchObject({
      code: 'InvalidInstanceStatus',
      httpStatus: 400,
    });
    expect(store.hasPending(VOLCENGINE_ECS_INSTANCE, 'default', 'i-pre001')).toBe(false);
    const many = Array.from({ length: 21 }, (_, i) => `i-many${String(i).padStart(3, '0')}`);
    expect(refusal('ModifyInstanceChargeType', { ...ids(...many), ...base }).code).toBe(
      'InvalidCount.Malformed',
    );
    expect(refusal('ModifyInstanceChargeType', ids('i-pre001')).code).toBe('InvalidParameter');
    expect(refusal('ModifyInstanceChargeType', { ...ids('i-pre001'), InstanceChargeType: 'Free' }).code).toBe(
      'InvalidInstanceChargeType.Malformed',
    );
  });
});

describe('DescribeInstances', () => {
  test('renders the fields a teardown reads, in Volcengine formats', () => {
    seed('i-pre001', {
      name: 'web-1',
      tags: { env: 'prod' },
      attributes: {
        InstanceChargeType: 'PrePaid',
        ExpiredAt: '2025-02-01T00:00:00Z',
        ZoneId: 'cn-beijing-b',
      },
      createdAt: '2024-12-01T08:00:00.000Z',
    });
    const answer = run('DescribeInstances', ids('i-pre001', 'i-none002'));
    expect(answer).toEqual({
      Instances: [
        {
          InstanceId: 'i-pre001',
          InstanceName: 'web-1',
          Description: '',
          Status: 'RUNNING',
          InstanceChargeType: 'PrePaid',
          ExpiredAt: '2025-02-01T00:00:00+00:00',
          CreatedAt: '2024-12-01T08:00:00+00:00',
          ZoneId: 'cn-beijing-b',
          ProjectName: 'default',
          DeletionProtection: false,
          Tags: [{ Key: 'env', Value: 'prod' }],
        },
      ],
      NextToken: '',
      TotalCount: 1,
    });
  });

  test('pages with MaxResults and NextToken, filters by name, tags, status and charge type', () => {
    for (let i = 0; i < 25; i++) {
      seed(`i-page${String(i).padStart(3, '0')}`, {
        name: i % 2 ? `odd-${i}` : `even-${i}`,
        tags: { team: i < 5 ? 'a' : 'b' },
        createdAt: new Date(clock + i).toISOString(),
        status: i === 3 ? 'STOPPED' : 'RUNNING',
      });
    }
    seed('i-west001', { region: 'cn-shanghai' });
    const first = run('DescribeInstances', {});
    expect(first.Instances).toHaveLength(10);
    expect(first.TotalCount).toBe(25);
    const seen = first.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    let token = first.NextToken;
    while (token) {
      const page = run('DescribeInstances', { MaxResults: '10', NextToken: token });
      seen.push(...page.Instances.map((i: { InstanceId: string }) => i.InstanceId));
      token = page.NextToken;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen).not.toContain('i-west001');

    expect(run('DescribeInstances', { MaxResults: '100', InstanceName: 'odd-' }).TotalCount).toBe(12);
    expect(
      run('DescribeInstances', { 'TagFilters.1.Key': 'team', 'TagFilters.1.Values.1': 'a' }).TotalCount,
    ).toBe(5);
    expect(run('DescribeInstances', { 'TagFilters.1.Key': 'team' }).TotalCount).toBe(25);
    expect(run('DescribeInstances', { 'TagFilters.1.Key': 'owner' }).TotalCount).toBe(0);
    expect(run('DescribeInstances', { Status: 'STOPPED' }).TotalCount).toBe(1);
    expect(run('DescribeInstances', { InstanceChargeType: 'PrePaid' }).TotalCount).toBe(0);
    expect(run('DescribeInstances', {}, 'cn-shanghai').TotalCount).toBe(1);

    expect(refusal('DescribeInstances', { MaxResults: '101' }).code).toBe('InvalidMaxResults.Malformed');
    expect(refusal('DescribeInstances', { NextToken: 'nonsense' }).code).toBe('InvalidNextToken.Malformed');
  });

  test('every mutating action is idempotent by ClientToken', () => {
    expect([...(volcengineEcsProduct.idempotentActions ?? [])].sort()).toEqual([
      'DeleteInstances',
      'ModifyInstanceChargeType',
      'StopInstances',
    ]);
    expect(volcengineEcsProduct.resourceDefaults?.[VOLCENGINE_ECS_INSTANCE]).toMatchObject({
      status: 'RUNNING',
    });
  });
});
