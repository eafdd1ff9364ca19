// Fault storm (issue 12): 1,000 resources of every kind torn down while the emulator fails 20% of
// all calls with InternalError, 10% with the provider's throttling code and a share with each
// kind's busy codes. The teardown must complete, every resource deleted or reported with the code
// that stopped it, and the ClientTokens must never be misused (no IdempotentParameterMismatch).
// Truth comes from the emulator's call log and the report; nothing here is timed.
import type { FaultSpec } from '../../src/emulator/types';
import { KINDS, type KindMeta } from '../../src/kinds';
import type { CloudProvider } from '../../src/emulator/types';
import type { ErrorClass } from '../../src/providers/errors';
import { exampleGroup, exampleSeeds } from '../helpers/kinds';
import { startStack, testId, type Stack } from '../helpers/stack';

const PER_KIND = 200;
const INTERNAL_ERROR_SHARE = 0.2;
const THROTTLE_SHARE = 0.1;
/** Each busy code of a kind fails this share of that kind's calls. */
const BUSY_SHARE = 0.03;

/** The code (and HTTP status) each provider answers when it throttles, as the emulator renders it. */
const THROTTLE: Record<CloudProvider, { code: string; httpStatus: number }> = {
  alibabacloud: { code: 'Throttling.User', httpStatus: 400 },
  // Tencent Cloud answers its errors with HTTP 200 (the family renders that whatever the status).
  tencentcloud: { code: 'RequestLimitExceeded', httpStatus: 400 },
  volcengine: { code: 'AccountFlowLimitExceeded', httpStatus: 429 },
};
const INTERNAL_STATUS: Record<CloudProvider, number> = {
  alibabacloud: 500,
  tencentcloud: 500,
  volcengine: 500,
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ prefix: 'fault-storm' });
});
afterAll(async () => {
  await stack?.stop();
});

/** Faults on every action: a share of InternalError and throttling per provider, busy codes per kind. */
function stormFaults(kinds: KindMeta[]): { faults: FaultSpec[]; classOf: Map<string, ErrorClass> } {
  // A call meets the faults in order, each drawing on its own: the shares apply to what the earlier
  // ones let through, so the first two are scaled to fail 20% and 10% of all calls.
  const faults: FaultSpec[] = [];
  const classOf = new Map<string, ErrorClass>();
  for (const provider of Object.keys(THROTTLE) as CloudProvider[]) {
    faults.push({
      provider,
      action: '*',
      code: 'InternalError',
      httpStatus: INTERNAL_STATUS[provider],
      probability: INTERNAL_ERROR_SHARE,
    });
    faults.push({
      provider,
      action: '*',
      ...THROTTLE[provider],
      probability: THROTTLE_SHARE / (1 - INTERNAL_ERROR_SHARE),
    });
    classOf.set(`${provider}:InternalError`, 'transient');
    classOf.set(`${provider}:${THROTTLE[provider].code}`, 'throttled');
  }
  for (const meta of kinds) {
    const actions = new Set([
      meta.calls.describe,
      meta.calls.delete,
      meta.calls.poll,
      ...Object.values(meta.calls.prepare ?? {}),
    ]);
    for (const [code, httpStatus, errorClass] of meta.documentedErrors) {
      if (errorClass !== 'busy') continue;
      classOf.set(`${meta.cloud}:${code}`, 'busy');
      for (const action of actions) {
        faults.push({
          provider: meta.cloud,
          action,
          code,
          httpStatus: Math.max(httpStatus, 400),
          probability: BUSY_SHARE,
        });
      }
    }
  }
  return { faults, classOf };
}

it('1,000 mixed resources complete under 20% InternalError, 10% throttling and busy codes on every call', async () => {
  const kinds = Object.values(KINDS);
  const stamp = Date.now().toString(36);
  const groups = kinds.map((meta) => {
    const ids = Array.from({ length: PER_KIND }, (_, i) => `${meta.example.idPrefix}storm${stamp}${i}`);
    stack.emulator.seed(exampleSeeds(meta, ids));
    return exampleGroup(meta, ids);
  });
  const requested = new Set(groups.flatMap((g) => g.ids));
  expect(requested.size).toBe(PER_KIND * kinds.length);

  const { faults, classOf } = stormFaults(kinds);
  // Besides the shares, each busy code fails the first delete naming the kind's first id, so
  // every class shows up however the dice fall.
  for (const [i, meta] of kinds.entries()) {
    for (const [code, httpStatus, errorClass] of meta.documentedErrors) {
      if (errorClass !== 'busy') continue;
      const resourceId = groups[i]!.ids[0]!;
      const spec = { provider: meta.cloud, action: meta.calls.delete, code, resourceId, count: 1 };
      stack.emulator.injectFault({ ...spec, httpStatus: Math.max(httpStatus, 400) });
    }
  }
  for (const fault of faults) stack.emulator.injectFault(fault);

  const id = testId('fault-storm');
  const startedAt = Date.now();
  await stack.teardown.startTeardown(id, {
    resources: groups,
    options: { pollInterval: '300ms', deadline: '2h' },
  });
  const report = await stack.teardown.waitForReport(id);
  const seconds = (Date.now() - startedAt) / 1000;
  stack.emulator.clearFaults();

  // Completed: every resource deleted, or failed with the provider code that stopped it.
  expect(report.totals.requested).toBe(requested.size);
  expect(report.totals.pending).toBe(0);
  expect(report.totals.deleted + report.totals.failed).toBe(requested.size);
  const details = [
    ...report.resources.map((r) => ({ ids: [r.id], outcome: r.outcome, errorCode: r.errorCode })),
    ...(report.compact ?? []),
  ];
  expect(new Set(details.flatMap((d) => d.ids))).toEqual(requested);
  for (const d of details) {
    expect(['deleted', 'failed']).toContain(d.outcome);
    if (d.outcome === 'failed') expect(d.errorCode).toBeTruthy();
  }
  // What the report calls deleted is gone from the emulator; what it calls failed is still there.
  const remaining = new Set(
    kinds
      .flatMap((meta) => stack.emulator.resources(meta.kind).map((r) => r.id))
      .filter((r) => requested.has(r)),
  );
  const failedIds = new Set(details.filter((d) => d.outcome === 'failed').flatMap((d) => d.ids));
  expect(remaining).toEqual(failedIds);

  // Tokens were never reused for other parameters.
  const calls = stack.emulator.calls({});
  expect(calls.filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toEqual([]);

  // Attempts per error class, from the call log; the report counts the failed tries the workflow saw.
  const byClass: Record<string, number> = { ok: 0 };
  for (const call of calls) {
    if (!call.errorCode) byClass.ok!++;
    else {
      const cls = call.injected
        ? (classOf.get(`${call.provider}:${call.errorCode}`) ?? 'other')
        : call.errorCode;
      byClass[cls] = (byClass[cls] ?? 0) + 1;
    }
  }
  const injected = calls.filter((c) => c.injected).length;
  expect(byClass.transient).toBeGreaterThan(0);
  expect(byClass.throttled).toBeGreaterThan(0);
  expect(byClass.busy).toBeGreaterThan(0);
  for (const cls of ['transient', 'throttled', 'busy'] as const)
    expect(report.attempts?.[cls]).toBeGreaterThan(0);
  const mutatingAttempts = report.resources.reduce((sum, r) => sum + (r.attempts ?? 0), 0);
  console.log(
    `fault storm: ${requested.size} resources, ${report.totals.deleted} deleted, ${report.totals.failed} failed ` +
      `(${[...new Set(details.filter((d) => d.outcome === 'failed').map((d) => d.errorCode))].join(', ') || 'none'}); ` +
      `${calls.length} provider calls, ${injected} injected faults; calls by class ${JSON.stringify(byClass)}; ` +
      `failed tries per class in the report ${JSON.stringify(report.attempts)}; ` +
      `mutating attempts in the report's detail ${mutatingAttempts} over ${report.resources.length} resources; ${seconds.toFixed(0)} s`,
  );
});
