// Public payloads stay small at any size (src/workflows/report.ts), and the parent's ledger tells
// "never found" from "already gone" and fails groups that found nothing (src/workflows/teardown-ledger.ts).
import { MAX_RESOURCES_PAGE, resourcesQuerySchema, type ResourceReport } from '../../src/contract';
import { fitReport, packReports, pageResources, unpackReports } from '../../src/workflows/report';
import { nothingFoundMessage, TeardownLedger } from '../../src/workflows/teardown-ledger';

const KIND = 'alibabacloud.ecs.instance' as const;
const REGION = 'cn-hangzhou';
const KB = 1024;

function entry(
  i: number,
  outcome: ResourceReport['outcome'],
  extra: Partial<ResourceReport> = {},
): ResourceReport {
  return { kind: KIND, region: REGION, id: `i-bp1${String(i).padStart(17, '0')}`, outcome, ...extra };
}
const deleted = (i: number) =>
  entry(i, 'deleted', {
    attempts: 1,
    requestIds: [`4F3E2D1C-0000-4000-8000-${String(i).padStart(12, '0')}`],
  });
const refused = (i: number) =>
  entry(i, 'failed', {
    errorCode: 'InvalidOperation.DeletionProtection',
    message:
      'The instance has deletion protection enabled: turn it off (ModifyInstanceAttribute DeletionProtection=false) and run the teardown again',
    status: 'Stopped',
  });
const size = (value: unknown) => JSON.stringify(value).length;

describe('fitReport', () => {
  it('keeps a small report whole', () => {
    const all = [deleted(1), refused(2)];
    expect(fitReport(all)).toEqual({ resources: all });
  });

  it('keeps those not deleted in full first, lists the rest by id, loses no id', () => {
    const all = [
      ...Array.from({ length: 3_000 }, (_, i) => deleted(i)),
      refused(3_000),
      entry(3_001, 'not-found'),
    ];
    const fitted = fitReport(all, 64 * KB);
    expect(fitted.resources).toContainEqual(refused(3_000));
    expect(fitted.resources).toContainEqual(entry(3_001, 'not-found'));
    expect(size(fitted.resources)).toBeLessThanOrEqual(64 * KB + 2);
    const listed = [...fitted.resources.map((r) => r.id), ...(fitted.compact ?? []).flatMap((c) => c.ids)];
    expect(listed.sort()).toEqual(all.map((r) => r.id).sort());
    expect(fitted.compact).toEqual([
      { kind: KIND, region: REGION, outcome: 'deleted', ids: expect.any(Array) },
    ]);
  });

  it.each([
    ['10,000 deleted', (i: number) => deleted(i)],
    ['10,000 refused', (i: number) => refused(i)],
    ['10,000 mixed', (i: number) => (i % 3 ? deleted(i) : refused(i))],
    [
      '10,000 refused, each message naming its id',
      (i: number) => ({ ...refused(i), message: `${refused(i).id}: ${refused(i).message}` }),
    ],
  ])('%s: the report is under 512 KB', (label, make) => {
    const all = Array.from({ length: 10_000 }, (_, i) => make(i));
    const bytes = size({ status: 'completed', phase: 'done', totals: {}, ...fitReport(all) });
    process.stderr.write(
      `[report size] ${label}: full ${(size(all) / KB).toFixed(0)} KB, report ${(bytes / KB).toFixed(0)} KB\n`,
    );
    expect(bytes).toBeLessThan(512 * KB);
  });

  it('100,000: stays under 512 KB, lists ids not deleted first, and counts every id it does not list', () => {
    const all = Array.from({ length: 100_000 }, (_, i) => (i % 50 === 7 ? refused(i) : deleted(i)));
    const fitted = fitReport(all);
    const bytes = size({ status: 'completed', phase: 'done', totals: {}, ...fitted });
    process.stderr.write(`[report size] 100,000 (2% refused): report ${(bytes / KB).toFixed(0)} KB\n`);
    expect(bytes).toBeLessThan(512 * KB);
    const compact = fitted.compact ?? [];
    const accounted =
      fitted.resources.length + compact.reduce((n, c) => n + c.ids.length + (c.unlisted ?? 0), 0);
    expect(accounted).toBe(all.length);
    const listedIds = new Set(
      [...fitted.resources, ...compact.flatMap((c) => c.ids.map((id) => ({ id })))].map((r) => r.id),
    );
    for (const r of all) if (r.outcome === 'failed') expect(listedIds.has(r.id)).toBe(true);
    expect(compact.find((c) => c.outcome === 'deleted')?.unlisted).toBeGreaterThan(0);
  });

  it('lists ids within the id budget in report order and counts the rest', () => {
    const all = Array.from({ length: 1_000 }, (_, i) => deleted(i));
    const fitted = fitReport(all, 0, 100 * (all[0]!.id.length + 3));
    expect(fitted.resources).toEqual([]);
    expect(fitted.compact).toEqual([
      {
        kind: KIND,
        region: REGION,
        outcome: 'deleted',
        ids: all.slice(0, 100).map((r) => r.id),
        unlisted: 900,
      },
    ]);
  });

  it('groups refused resources by code, keeping a message only where all of them share it', () => {
    const fitted = fitReport(
      Array.from({ length: 5_000 }, (_, i) => refused(i)),
      32 * KB,
    );
    expect(fitted.compact).toHaveLength(1);
    expect(fitted.compact![0]).toMatchObject({
      outcome: 'failed',
      errorCode: 'InvalidOperation.DeletionProtection',
    });
  });
});

describe('packReports', () => {
  it('packs a 500-id group that shares everything but ids into a few entries and unpacks it losslessly', () => {
    const all = [
      ...Array.from({ length: 500 }, (_, i) => ({
        ...deleted(i),
        requestIds: [`batch-${Math.floor(i / 100)}`],
      })),
      refused(500),
      { ...refused(501), message: 'names i-bp1...501' },
    ];
    const packs = packReports(all);
    expect(packs).toHaveLength(5 + 2);
    expect(size(packs)).toBeLessThan(size(all) / 4);
    const byId = (rs: ResourceReport[]) => [...rs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(unpackReports(packs))).toEqual(byId(all));
    expect(byId(unpackReports({ packed: packs }))).toEqual(byId(all));
    expect(unpackReports(all)).toEqual(all);
  });
});

describe('pageResources', () => {
  const all = [deleted(0), refused(1), deleted(2), refused(3), entry(4, 'not-found')];

  it('pages in report order, filtered by outcome and kind, with the total', () => {
    const q = (arg: unknown) => pageResources(all, resourcesQuerySchema.parse(arg));
    expect(q({ outcome: 'failed', offset: 0, limit: 1 })).toEqual({ total: 2, resources: [refused(1)] });
    expect(q({ outcome: 'failed', offset: 1, limit: 1 })).toEqual({ total: 2, resources: [refused(3)] });
    expect(q({ kind: 'volcengine.ecs.instance' })).toEqual({ total: 0, resources: [] });
    expect(q({}).total).toBe(5);
    expect(q({ offset: 10 })).toEqual({ total: 5, resources: [] });
  });

  it('refuses malformed pages', () => {
    expect(resourcesQuerySchema.safeParse({ limit: MAX_RESOURCES_PAGE + 1 }).success).toBe(false);
    expect(resourcesQuerySchema.safeParse({ offset: -1 }).success).toBe(false);
    expect(resourcesQuerySchema.safeParse({ outcome: 'gone' }).success).toBe(false);
    expect(resourcesQuerySchema.safeParse({ page: 2 }).success).toBe(false);
  });
});

describe('TeardownLedger', () => {
  it('reports a discovered resource that vanished as already gone, a named one never listed as not found', () => {
    const ledger = new TeardownLedger();
    ledger.addTargets([{ kind: KIND, region: REGION, ids: ['i-named'] }]);
    ledger.addTargets([{ kind: KIND, region: REGION, ids: ['i-listed'] }], true);
    ledger.merge([
      { kind: KIND, region: REGION, id: 'i-named', outcome: 'not-found' },
      { kind: KIND, region: REGION, id: 'i-listed', outcome: 'not-found' },
    ]);
    expect(ledger.all().map((r) => [r.id, r.outcome])).toEqual([
      ['i-named', 'not-found'],
      ['i-listed', 'already-gone'],
    ]);
  });

  it('fails only groups in which no id was found, with NothingFound', () => {
    const ledger = new TeardownLedger();
    const groups = [
      { kind: KIND, region: REGION, ids: ['i-a', 'i-b'] },
      { kind: KIND, region: 'cn-shanghai', ids: ['i-c', 'i-d'] },
    ];
    ledger.addTargets(groups);
    ledger.merge([
      { kind: KIND, region: REGION, id: 'i-a', outcome: 'not-found' },
      { kind: KIND, region: REGION, id: 'i-b', outcome: 'not-found' },
      { kind: KIND, region: 'cn-shanghai', id: 'i-c', outcome: 'not-found' },
      { kind: KIND, region: 'cn-shanghai', id: 'i-d', outcome: 'deleted' },
    ]);
    expect(ledger.failNothingFound(groups)).toBe(1);
    expect(ledger.all().map((r) => [r.id, r.outcome, r.errorCode])).toEqual([
      ['i-a', 'failed', 'NothingFound'],
      ['i-b', 'failed', 'NothingFound'],
      ['i-c', 'not-found', undefined],
      ['i-d', 'deleted', undefined],
    ]);
  });

  it('names kind, region, application and account, and what to check', () => {
    expect(
      nothingFoundMessage({ kind: 'alibabacloud.sae.instance', region: REGION, appId: 'app-1', ids: ['x'] }),
    ).toBe(
      'nothing found: none of the 1 alibabacloud.sae.instance ids exists in region cn-hangzhou, application app-1. ' +
        "Check the ids, the region, the application id and the account the worker's credentials belong to; " +
        'set options.allowMissing to accept ids that do not exist',
    );
    const withAccount = {
      kind: 'tencentcloud.gaap.proxy' as const,
      ids: ['link-1', 'link-2'],
      account: 'prod',
    };
    expect(nothingFoundMessage(withAccount)).toMatch(
      /^nothing found: none of the 2 tencentcloud.gaap.proxy ids exists in account prod\. Check the ids and the account/,
    );
  });
});
