// The MS and GAAP products' action handlers, called directly over an in-memory store with a
// controllable clock: state machines, per-id sets and parameter checks.
import { MemoryStore } from '../../src/emulator/store';
import {
  GAAP_DESTROY_DURATION,
  GAAP_DESTROYABLE,
  GAAP_PROXY_TYPE,
  GAAP_STATUSES,
  gaapProduct,
  renderProxy,
} from '../../src/emulator/tencentcloud/gaap';
import { MS_DELETE_DURATION, MS_SCAN_TYPE, msProduct } from '../../src/emulator/tencentcloud/ms';
import type { ApiCall, EmulatedResource, EmulatorContext, ProductHandler } from '../../src/emulator/types';
import { captureEmulatorError } from '../helpers/provider-harness';

const DELETE_MS = 1_000;
const DESTROY_MS = 2_000;

let clock: number;
let store: MemoryStore;
let ctx: EmulatorContext;

beforeEach(() => {
  clock = Date.parse('2024-05-01T00:00:00Z');
  store = new MemoryStore(() => clock);
  const durations: Record<string, number> = {
    [MS_DELETE_DURATION]: DELETE_MS,
    [GAAP_DESTROY_DURATION]: DESTROY_MS,
  };
  ctx = {
    store,
    duration: (name, fallback) => durations[name] ?? fallback,
    now: () => clock,
    memory: new Map(),
  };
});

function advance(ms: number): void {
  clock += ms;
}

function call(
  product: ProductHandler,
  action: string,
  params: Record<string, unknown>,
  account = 'default',
): unknown {
  const apiCall: ApiCall = {
    provider: 'tencentcloud',
    service: product.service,
    action,
    version: product.version,
    region: undefined,
    accessKeyId: 'AKIDtest',
    account,
    params,
    requestId: 'r',
    raw: { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) },
  };
  return product.actions[action](apiCall, ctx);
}

function codeOf(run: () => unknown): string {
  const err = captureEmulatorError(run);
  expect(err.httpStatus).toBe(200);
  return err.code;
}

function seed(type: string, id: string, extra: Partial<EmulatedResource> = {}): void {
  store.put({
    type,
    account: 'default',
    region: 'ap-guangzhou',
    id,
    status: type === GAAP_PROXY_TYPE ? 'RUNNING' : 'SCANNED',
    attributes: {},
    tags: {},
    name: `name-${id}`,
    createdAt: new Date(clock - 60_000).toISOString(),
    ...extra,
  });
}

// ---- MS ----------------------------------------------------------------------------------------

const msDelete = (AppSids: unknown, account?: string) =>
  call(msProduct, 'DeleteScanInstances', { AppSids }, account) as { Progress: number };
const msDescribe = (params: Record<string, unknown>) =>
  call(msProduct, 'DescribeScanInstances', params) as {
    TotalCount: number;
    ScanSet: Array<Record<string, unknown>>;
  };
const bySid = (...ids: string[]) => ({
  Filters: ids.map((id) => ({ Name: 'AppSid', Value: id })),
  Limit: 100,
});
/** These scans as the listing shows them (AppSid is no documented filter: match it here). */
const scans = (...ids: string[]) => {
  const ScanSet = msDescribe({ Limit: 100 }).ScanSet.filter((s) => ids.includes(String(s.AppSid)));
  return { TotalCount: ScanSet.length, ScanSet };
};

describe('ms DeleteScanInstances', () => {
  test('first call starts a task (2), later calls report it, then 1 and the scans are gone', () => {
    seed(MS_SCAN_TYPE, 'app-1');
    seed(MS_SCAN_TYPE, 'app-2');
    seed(MS_SCAN_TYPE, 'app-3');
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 2 });
    expect(scans('app-1', 'app-2').ScanSet.map((s) => s.TaskStatus)).toEqual([2, 2]);
    advance(DELETE_MS - 1);
    // Same AppSids in another order: the same task.
    expect(msDelete(['app-2', 'app-1'])).toEqual({ Progress: 2 });
    advance(1);
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 1 });
    expect(scans('app-1', 'app-2')).toEqual({ TotalCount: 0, ScanSet: [] });
    // The scan outside the batch is untouched.
    expect(scans('app-3').ScanSet[0]).toMatchObject({ AppSid: 'app-3', TaskStatus: 1 });
    // Asking again after completion keeps answering 1.
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 1 });
  });

  test('failDelete: "error" ends the task in 3, keeps the scans (TaskStatus 3) and keeps answering 3', () => {
    seed(MS_SCAN_TYPE, 'app-1', { attributes: { failDelete: 'error' } });
    seed(MS_SCAN_TYPE, 'app-2');
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 2 });
    advance(DELETE_MS);
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 3 });
    expect(scans('app-1', 'app-2').ScanSet.map((s) => [s.AppSid, s.TaskStatus])).toEqual(
      expect.arrayContaining([
        ['app-1', 3],
        ['app-2', 3],
      ]),
    );
    advance(10 * DELETE_MS);
    expect(msDelete(['app-1', 'app-2'])).toEqual({ Progress: 3 });
  });

  test('failDelete: "timeout" ends in 4; once seen (TaskStatus 4), the re-issue starts a fresh task', () => {
    seed(MS_SCAN_TYPE, 'app-1', { attributes: { failDelete: 'timeout' } });
    expect(msDelete(['app-1'])).toEqual({ Progress: 2 });
    advance(DELETE_MS);
    expect(scans('app-1').ScanSet[0]).toMatchObject({ TaskStatus: 4 });
    // The injected failure is used up: the fresh task succeeds.
    expect(msDelete(['app-1'])).toEqual({ Progress: 2 });
    expect(scans('app-1').ScanSet[0]).toMatchObject({ TaskStatus: 2 });
    advance(DELETE_MS);
    expect(msDelete(['app-1'])).toEqual({ Progress: 1 });
    expect(scans('app-1').TotalCount).toBe(0);
  });

  test('polling with DeleteScanInstances reports the 4 once, then the next call re-issues', () => {
    seed(MS_SCAN_TYPE, 'app-1', { attributes: { failDelete: 'timeout', failDeleteTasks: 2 } });
    for (let task = 0; task < 2; task++) {
      expect(msDelete(['app-1'])).toEqual({ Progress: 2 });
      advance(DELETE_MS);
      expect(msDelete(['app-1'])).toEqual({ Progress: 4 });
    }
    expect(msDelete(['app-1'])).toEqual({ Progress: 2 });
    advance(DELETE_MS);
    expect(msDelete(['app-1'])).toEqual({ Progress: 1 });
  });

  test('unknown AppSids are a no-op reporting 1; known ones in the batch still run', () => {
    expect(msDelete(['ghost-1', 'ghost-2'])).toEqual({ Progress: 1 });
    seed(MS_SCAN_TYPE, 'app-1');
    expect(msDelete(['app-1', 'ghost-1'])).toEqual({ Progress: 2 });
    advance(DELETE_MS);
    expect(msDelete(['app-1', 'ghost-1'])).toEqual({ Progress: 1 });
  });

  test('tasks and scans are per account', () => {
    seed(MS_SCAN_TYPE, 'app-1');
    expect(msDelete(['app-1'], 'other')).toEqual({ Progress: 1 });
    expect(scans('app-1').ScanSet[0]).toMatchObject({ TaskStatus: 1 });
  });

  test('parameter checks', () => {
    const twentyOne = Array.from({ length: 21 }, (_, i) => `app-${i}`);
    expect(codeOf(() => msDelete(twentyOne))).toBe('InvalidParameterValue');
    expect(msDelete(twentyOne.slice(0, 20))).toEqual({ Progress: 1 });
    expect(codeOf(() => call(msProduct, 'DeleteScanInstances', {}))).toBe('MissingParameter');
    expect(codeOf(() => msDelete([]))).toBe('InvalidParameterValue');
    expect(codeOf(() => msDelete('app-1'))).toBe('InvalidParameter');
    expect(codeOf(() => msDelete([1, 2]))).toBe('InvalidParameter');
    expect(codeOf(() => call(msProduct, 'DeleteScanInstances', { AppSids: ['a'], ClientToken: 't' }))).toBe(
      'UnknownParameter',
    );
  });
});

describe('ms DescribeScanInstances', () => {
  beforeEach(() => {
    seed(MS_SCAN_TYPE, 'app-1', {
      name: 'wechat',
      attributes: { AppPkgName: 'com.tencent.mm', TaskTime: 100 },
    });
    seed(MS_SCAN_TYPE, 'app-2', {
      name: 'qq',
      attributes: { AppPkgName: 'com.tencent.mobileqq', TaskTime: 200 },
    });
    seed(MS_SCAN_TYPE, 'app-3', {
      name: 'wechat',
      attributes: { AppPkgName: 'com.other', TaskTime: 300, TaskStatus: 2 },
    });
  });

  test('answers the AppScanSet shape', () => {
    const { ScanSet, TotalCount } = scans('app-1');
    expect(TotalCount).toBe(1);
    expect(ScanSet[0]).toEqual({
      ItemId: 'item-app-1',
      AppName: 'wechat',
      AppPkgName: 'com.tencent.mm',
      AppVersion: '',
      AppMd5: '',
      AppSize: 0,
      ScanCode: 0,
      TaskStatus: 1,
      TaskTime: 100,
      AppIconUrl: '',
      AppSid: 'app-1',
      SafeType: 1,
      VulCount: 0,
    });
  });

  test('filters: same Name is OR, different Names AND; newest first by default', () => {
    // AppSid is not a documented filter: ignored, as the real API does (the whole listing).
    expect(msDescribe(bySid('app-1', 'nope')).ScanSet.map((s) => s.AppSid)).toEqual([
      'app-3',
      'app-2',
      'app-1',
    ]);
    const both = msDescribe({
      Filters: [
        { Name: 'AppName', Value: 'wechat' },
        { Name: 'AppPkgName', Value: 'com.tencent.mm' },
      ],
    });
    expect(both.ScanSet.map((s) => s.AppSid)).toEqual(['app-1']);
    expect(
      msDescribe({ OrderField: 'TaskTime', OrderDirection: 'asc' }).ScanSet.map((s) => s.AppSid),
    ).toEqual(['app-1', 'app-2', 'app-3']);
  });

  test('Offset and Limit page through TotalCount', () => {
    const page = msDescribe({ Offset: 1, Limit: 1 });
    expect(page.TotalCount).toBe(3);
    expect(page.ScanSet.map((s) => s.AppSid)).toEqual(['app-2']);
    expect(msDescribe({}).ScanSet).toHaveLength(3);
  });

  test('ItemIds select by task id', () => {
    expect(msDescribe({ ItemIds: ['item-app-3'] }).ScanSet.map((s) => s.AppSid)).toEqual(['app-3']);
  });

  test('parameter checks', () => {
    expect(codeOf(() => msDescribe({ Limit: 101 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => msDescribe({ Limit: 0 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => msDescribe({ Offset: -1 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => msDescribe({ Limit: 'many' }))).toBe('InvalidParameter');
    expect(codeOf(() => msDescribe({ ItemIds: ['x'], ...bySid('app-1') }))).toBe('InvalidParameter');
    // An undocumented filter name is ignored, as the real API ignores it.
    expect(msDescribe({ Filters: [{ Name: 'Colour', Value: 'red' }] }).TotalCount).toBe(3);
    expect(codeOf(() => msDescribe({ Filters: [{ Name: 'AppSid' }] }))).toBe('MissingParameter');
    expect(codeOf(() => msDescribe({ Filters: [{ Name: 'AppSid', Values: ['a'] }] }))).toBe(
      'UnknownParameter',
    );
    expect(codeOf(() => msDescribe({ OrderField: 'AppName' }))).toBe('InvalidParameterValue');
    expect(codeOf(() => msDescribe({ Bogus: 1 }))).toBe('UnknownParameter');
  });
});

// ---- GAAP --------------------------------------------------------------------------------------

interface DestroyAnswer {
  InvalidStatusInstanceSet: string[];
  OperationFailedInstanceSet: string[];
}
const destroy = (params: Record<string, unknown>) =>
  call(gaapProduct, 'DestroyProxies', params) as DestroyAnswer;
const describeProxies = (params: Record<string, unknown>) =>
  call(gaapProduct, 'DescribeProxies', params) as {
    TotalCount: number;
    ProxySet: Array<Record<string, unknown>>;
  };
const statusOf = (id: string) => store.get(GAAP_PROXY_TYPE, 'default', id)?.status;

describe('gaap DestroyProxies', () => {
  test('RUNNING, CLOSED and ISOLATED proxies turn DESTROYING, then are gone', () => {
    seed(GAAP_PROXY_TYPE, 'link-run00001');
    seed(GAAP_PROXY_TYPE, 'link-cls00001', { status: 'CLOSED' });
    seed(GAAP_PROXY_TYPE, 'link-iso00001', { status: 'ISOLATED' });
    const ids = ['link-run00001', 'link-cls00001', 'link-iso00001'];
    expect(destroy({ ProxyIds: ids, Force: 0, ClientToken: 'ct-1' })).toEqual({
      InvalidStatusInstanceSet: [],
      OperationFailedInstanceSet: [],
    });
    expect(ids.map(statusOf)).toEqual(['DESTROYING', 'DESTROYING', 'DESTROYING']);
    expect(describeProxies({ ProxyIds: ids }).ProxySet.map((p) => p.Status)).toEqual([
      'DESTROYING',
      'DESTROYING',
      'DESTROYING',
    ]);
    advance(DESTROY_MS);
    expect(ids.map(statusOf)).toEqual([undefined, undefined, undefined]);
  });

  test('transitional statuses land in InvalidStatusInstanceSet, per id', () => {
    const transitional = GAAP_STATUSES.filter((s) => !GAAP_DESTROYABLE.includes(s));
    expect(transitional).toEqual([
      'CREATING',
      'DESTROYING',
      'OPENING',
      'CLOSING',
      'ADJUSTING',
      'ISOLATING',
      'CLONING',
      'RECOVERING',
      'MOVING',
    ]);
    transitional.forEach((status, i) => seed(GAAP_PROXY_TYPE, `link-tr${i}0000`, { status }));
    seed(GAAP_PROXY_TYPE, 'link-ok000001');
    const ids = [...transitional.map((_, i) => `link-tr${i}0000`), 'link-ok000001'];
    const answer = destroy({ ProxyIds: ids, Force: 1 });
    expect(answer.InvalidStatusInstanceSet.sort()).toEqual(
      transitional.map((_, i) => `link-tr${i}0000`).sort(),
    );
    expect(answer.OperationFailedInstanceSet).toEqual([]);
    expect(statusOf('link-ok000001')).toBe('DESTROYING');
    expect(statusOf('link-tr00000')).toBe('CREATING');
  });

  test('failDestroy: n puts the proxy in OperationFailedInstanceSet for the next n calls', () => {
    seed(GAAP_PROXY_TYPE, 'link-flaky001', { attributes: { failDestroy: 2 } });
    seed(GAAP_PROXY_TYPE, 'link-fine0001');
    const first = destroy({ ProxyIds: ['link-flaky001', 'link-fine0001'], Force: 1, ClientToken: 'a' });
    expect(first).toEqual({ InvalidStatusInstanceSet: [], OperationFailedInstanceSet: ['link-flaky001'] });
    expect(statusOf('link-flaky001')).toBe('RUNNING');
    expect(statusOf('link-fine0001')).toBe('DESTROYING');
    expect(destroy({ ProxyIds: ['link-flaky001'], Force: 1 }).OperationFailedInstanceSet).toEqual([
      'link-flaky001',
    ]);
    expect(destroy({ ProxyIds: ['link-flaky001'], Force: 1 }).OperationFailedInstanceSet).toEqual([]);
    expect(statusOf('link-flaky001')).toBe('DESTROYING');
  });

  test('Force=0 refuses the whole call while any proxy has bound origin servers; Force=1 destroys', () => {
    seed(GAAP_PROXY_TYPE, 'link-bound001', { attributes: { boundRealServers: true } });
    seed(GAAP_PROXY_TYPE, 'link-free0001');
    expect(codeOf(() => destroy({ ProxyIds: ['link-bound001', 'link-free0001'], Force: 0 }))).toBe(
      'FailedOperation.RealServerAlreadyBound',
    );
    expect(statusOf('link-free0001')).toBe('RUNNING');
    expect(destroy({ ProxyIds: ['link-free0001'], Force: 0 }).InvalidStatusInstanceSet).toEqual([]);
    expect(destroy({ ProxyIds: ['link-bound001'], Force: 1 }).InvalidStatusInstanceSet).toEqual([]);
    expect(statusOf('link-bound001')).toBe('DESTROYING');
  });

  test('ResourceNotFound when none of the proxies exists; unknown ids in a mix are skipped', () => {
    expect(codeOf(() => destroy({ ProxyIds: ['link-ghost001'], Force: 1 }))).toBe('ResourceNotFound');
    seed(GAAP_PROXY_TYPE, 'link-real0001');
    expect(destroy({ ProxyIds: ['link-ghost001', 'link-real0001'], Force: 1 })).toEqual({
      InvalidStatusInstanceSet: [],
      OperationFailedInstanceSet: [],
    });
    expect(statusOf('link-real0001')).toBe('DESTROYING');
  });

  test('the old InstanceIds parameter works alone', () => {
    seed(GAAP_PROXY_TYPE, 'link-old00001');
    destroy({ InstanceIds: ['link-old00001'], Force: 1 });
    expect(statusOf('link-old00001')).toBe('DESTROYING');
  });

  test('parameter checks', () => {
    seed(GAAP_PROXY_TYPE, 'link-p0000001');
    const ids = ['link-p0000001'];
    expect(codeOf(() => destroy({ ProxyIds: ids }))).toBe('MissingParameter');
    expect(codeOf(() => destroy({ ProxyIds: ids, Force: 2 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => destroy({ ProxyIds: ids, Force: 'yes' }))).toBe('InvalidParameter');
    expect(codeOf(() => destroy({ Force: 1 }))).toBe('MissingParameter');
    expect(codeOf(() => destroy({ ProxyIds: ids, InstanceIds: ids, Force: 1 }))).toBe('InvalidParameter');
    const many = Array.from({ length: 101 }, (_, i) => `link-m${String(i).padStart(7, '0')}`);
    expect(codeOf(() => destroy({ ProxyIds: many, Force: 1 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => destroy({ ProxyIds: ids, Force: 1, ClientToken: 'x'.repeat(65) }))).toBe(
      'InvalidParameterValue',
    );
    expect(codeOf(() => destroy({ ProxyIds: ids, Force: 1, ClientToken: 'tökén' }))).toBe(
      'InvalidParameterValue',
    );
    expect(codeOf(() => destroy({ ProxyIds: ids, Force: 1, DryRun: true }))).toBe('UnknownParameter');
    expect(statusOf('link-p0000001')).toBe('RUNNING');
  });

  test('DestroyProxies takes a ClientToken with idempotency semantics', () => {
    expect(gaapProduct.idempotentActions).toEqual(['DestroyProxies']);
  });
});

describe('gaap DescribeProxies', () => {
  beforeEach(() => {
    seed(GAAP_PROXY_TYPE, 'link-aaaa0001', {
      tags: { team: 'red' },
      attributes: { ProjectId: 1, Bandwidth: 20 },
      createdAt: '2024-01-01T00:00:00Z',
    });
    seed(GAAP_PROXY_TYPE, 'link-bbbb0002', {
      tags: { team: 'blue' },
      status: 'CLOSED',
      attributes: { GroupId: 'lg-1' },
      createdAt: '2024-02-01T00:00:00Z',
    });
    seed(GAAP_PROXY_TYPE, 'link-cccc0003', { tags: {}, createdAt: '2024-03-01T00:00:00Z' });
  });

  test('answers the ProxyInfo shape', () => {
    const { ProxySet, TotalCount } = describeProxies({ ProxyIds: ['link-aaaa0001'] });
    expect(TotalCount).toBe(1);
    expect(ProxySet[0]).toMatchObject({
      ProxyId: 'link-aaaa0001',
      InstanceId: 'link-aaaa0001',
      ProxyName: 'name-link-aaaa0001',
      Status: 'RUNNING',
      CreateTime: Date.parse('2024-01-01T00:00:00Z') / 1000,
      TagSet: [{ TagKey: 'team', TagValue: 'red' }],
      RealServerRegion: 'ap-guangzhou',
      ProjectId: 1,
      Bandwidth: 20,
    });
    expect(renderProxy(store.get(GAAP_PROXY_TYPE, 'default', 'link-bbbb0002')!).GroupId).toBe('lg-1');
  });

  test('explicit ids: ResourceNotFound when none exists, unknown ones left out otherwise', () => {
    expect(codeOf(() => describeProxies({ ProxyIds: ['link-ghost001'] }))).toBe('ResourceNotFound');
    expect(
      describeProxies({ InstanceIds: ['link-ghost001', 'link-cccc0003'] }).ProxySet.map((p) => p.ProxyId),
    ).toEqual(['link-cccc0003']);
  });

  test('Filters, TagSet (any tag), Independent, ordering and paging', () => {
    expect(
      describeProxies({ Filters: [{ Name: 'ProjectId', Values: ['1'] }] }).ProxySet.map((p) => p.ProxyId),
    ).toEqual(['link-aaaa0001']);
    expect(
      describeProxies({
        TagSet: [
          { TagKey: 'team', TagValue: 'red' },
          { TagKey: 'team', TagValue: 'blue' },
        ],
      }).ProxySet.map((p) => p.ProxyId),
    ).toEqual(['link-bbbb0002', 'link-aaaa0001']);
    expect(describeProxies({ Independent: 0 }).ProxySet.map((p) => p.ProxyId)).toEqual(['link-bbbb0002']);
    expect(describeProxies({ Order: 'asc', OrderField: 'proxy_id' }).ProxySet.map((p) => p.ProxyId)).toEqual([
      'link-aaaa0001',
      'link-bbbb0002',
      'link-cccc0003',
    ]);
    const page = describeProxies({ Offset: 2, Limit: 1 });
    expect(page).toMatchObject({ TotalCount: 3 });
    expect(page.ProxySet.map((p) => p.ProxyId)).toEqual(['link-aaaa0001']);
  });

  test('parameter checks', () => {
    expect(
      codeOf(() =>
        describeProxies({ ProxyIds: ['link-aaaa0001'], Filters: [{ Name: 'GroupId', Values: ['lg-1'] }] }),
      ),
    ).toBe('InvalidParameter');
    expect(codeOf(() => describeProxies({ Limit: 101 }))).toBe('InvalidParameterValue');
    expect(codeOf(() => describeProxies({ Filters: [{ Name: 'Colour', Values: ['x'] }] }))).toBe(
      'InvalidParameterValue',
    );
    expect(
      codeOf(() =>
        describeProxies({ Filters: [{ Name: 'GroupId', Values: ['1', '2', '3', '4', '5', '6'] }] }),
      ),
    ).toBe('InvalidParameterValue');
    const manyTags = Array.from({ length: 6 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    expect(codeOf(() => describeProxies({ TagSet: manyTags }))).toBe('InvalidParameterValue');
    const many = Array.from({ length: 101 }, (_, i) => `link-m${String(i).padStart(7, '0')}`);
    expect(codeOf(() => describeProxies({ ProxyIds: many }))).toBe('InvalidParameterValue');
    expect(codeOf(() => describeProxies({ Order: 'sideways' }))).toBe('InvalidParameterValue');
    expect(codeOf(() => describeProxies({ Unknown: 1 }))).toBe('UnknownParameter');
  });
});
