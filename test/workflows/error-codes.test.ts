// Every error code of every seed document, injected on the kind's delete call through the
// emulator, reaches the class design.md assigns it: retried classes end deleted after the burst
// (same ClientToken where the API has one), permanent and needs-operator ones fail at once with
// the provider's code, gone is success.
import type { TeardownReport } from '../../src/contract';
import { KIND_NAMES } from '../../src/kinds';
import { FIXTURES } from '../helpers/kinds';
import { startStack, testId, type Stack } from '../helpers/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'codes' });
  // Throttling has its own tests; here every call should meet only the injected fault.
  stack.emulator.setSettings({ quotaPerSecond: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

describe.each(KIND_NAMES)('%s seed error codes', (kind) => {
  const fixture = FIXTURES[kind];

  it.concurrent.each(fixture.seedCodes)(
    '%s (HTTP %i) is handled as %s',
    async (code, httpStatus, errorClass) => {
      const id = fixture.newId();
      fixture.seed(stack, id);
      const retried = errorClass === 'throttled' || errorClass === 'busy' || errorClass === 'transient';
      const burst = retried ? 2 : errorClass === 'gone' ? 1 : 1_000;
      // Tencent answers every API error with HTTP 200 (the code is in the body): no status to inject.
      stack.emulator.injectFault({
        action: fixture.deleteAction,
        code,
        httpStatus: httpStatus >= 400 ? httpStatus : undefined,
        count: burst,
        resourceId: id,
      });

      const tid = testId(`code-${code}`);
      await stack.teardown.startTeardown(tid, {
        resources: [fixture.group([id])],
        options: { pollInterval: '300ms', deadline: '2m' },
      });
      const report: TeardownReport = await stack.teardown.waitForReport(tid);
      const resource = report.resources.find((r) => r.id === id)!;
      const deletes = stack.emulator
        .calls({ action: fixture.deleteAction })
        .filter((c) => JSON.stringify(c.params).includes(id));

      if (retried) {
        // Two refused calls, then one that works: at least 3 attempts (a loaded machine may add a
        // retry of a call that timed out, under the same token).
        expect(resource.outcome).toBe('deleted');
        expect(resource.attempts).toBeGreaterThanOrEqual(3);
        expect(deletes.slice(0, 2).map((c) => c.errorCode)).toEqual([code, code]);
        const tokens = new Set(deletes.map((c) => c.clientToken));
        expect(tokens.size).toBe(1); // the same token (or, without tokens, none) on every retry
      } else if (errorClass === 'gone') {
        expect(['already-gone', 'deleted']).toContain(resource.outcome);
      } else {
        expect(resource).toMatchObject({ outcome: 'failed', errorCode: code, attempts: 1 });
        expect(deletes).toHaveLength(1);
      }
    },
  );
});
