// tencentcloud.ms.scan's provider module against the emulator (startEmulator): describe, delete
// and poll over the delete task's state machine, and every code of MS's error table (plus the
// common ones) injected as a fault reaching the class design.md section 5 assigns it.
import { prepareSteps } from '../../src/kinds';
import { MS_DELETE_DURATION, MS_SCAN_TYPE } from '../../src/emulator/tencentcloud/ms';
import type { ErrorClass } from '../../src/providers/errors';
import { tencentMsScan as ms } from '../../src/providers/tencentcloud/ms';
import type { CallContext, DeletionOptions } from '../../src/providers/types';
import { callContext, captureProviderError, sleep, useEmulator } from '../helpers/provider-harness';

const TASK_MS = 200;
const OPTIONS: DeletionOptions = { force: false, convertPrepaid: false };

const emu = useEmulator({ settings: { durations: { [MS_DELETE_DURATION]: TASK_MS } } });
let ctx: CallContext;
beforeAll(() => {
  ctx = callContext(emu, 'tencentcloud');
});

function seed(id: string, attributes: Record<string, unknown> = {}) {
  emu.seed([{ type: MS_SCAN_TYPE, id, attributes }]);
}

test('meta and shape', () => {
  expect(ms.meta.kind).toBe('tencentcloud.ms.scan');
  expect(ms.meta.batchLimit).toBe(20);
  expect(prepareSteps(ms.meta)).toEqual([]);
  expect(ms.prepare).toBeUndefined();
});

test('describe: pages the whole listing and matches AppSid exactly (no undocumented AppSid filter)', async () => {
  seed('app-1');
  seed('app-2', { TaskStatus: 2 });
  // Older scans of others fill more than one page: a module trusting a filter, or reading one
  // page, would call app-2 gone.
  for (let i = 0; i < 120; i++) seed(`other-${i}`, { TaskTime: 1_000 + i });
  const assessments = await ms.describe(ctx, ['app-1', 'app-2', 'app-ghost'], OPTIONS);
  expect(assessments).toEqual([
    { id: 'app-1', state: 'ready', status: 'TaskStatus 1 (DONE)' },
    { id: 'app-2', state: 'ready', status: 'TaskStatus 2 (PROCESSING)' },
    { id: 'app-ghost', state: 'gone' },
  ]);
  const calls = emu.calls({ action: 'DescribeScanInstances' });
  expect(calls.length).toBeGreaterThanOrEqual(2);
  for (const call of calls) expect(call.params.Filters).toBeUndefined();
});

test('describe: one listing answers any number of AppSids, its pages paced to the quota (pageIntervalMs)', async () => {
  const ids = Array.from({ length: 1_150 }, (_, i) => `app-${i}`);
  for (const [i, id] of ids.entries()) seed(id, { TaskTime: 1_000 + i });
  // 12 pages against 10 calls a second: sent back to back, the 11th would be throttled.
  emu.setSettings({ quotaByAction: { DescribeScanInstances: 10 } });
  try {
    const assessments = await ms.describe({ ...ctx, pageIntervalMs: 120 }, ids, OPTIONS);
    expect(assessments.filter((a) => a.state === 'ready')).toHaveLength(ids.length);
  } finally {
    emu.setSettings({ quotaByAction: {} });
  }
  const pages = emu.calls({ action: 'DescribeScanInstances' });
  expect(pages.map((c) => c.params.Offset)).toEqual(Array.from({ length: 12 }, (_, i) => i * 100));
  expect(pages.filter((c) => c.errorCode)).toEqual([]);
});

test('delete (Progress 2) -> poll pending (TaskStatus 2) -> poll gone', async () => {
  seed('app-1');
  seed('app-2');
  const answer = await ms.delete(ctx, ['app-1', 'app-2'], 'ct-ignored', OPTIONS);
  expect(answer.outcomes).toEqual([
    { id: 'app-1', result: 'accepted' },
    { id: 'app-2', result: 'accepted' },
  ]);
  expect(answer.requestId).toEqual(expect.any(String));
  // MS takes no ClientToken: only AppSids goes on the wire.
  expect(emu.calls({ action: 'DeleteScanInstances' })[0].params).toEqual({ AppSids: ['app-1', 'app-2'] });
  expect(await ms.poll(ctx, ['app-1', 'app-2'], undefined)).toEqual([
    { id: 'app-1', result: 'pending', status: 'TaskStatus 2 (PROCESSING)' },
    { id: 'app-2', result: 'pending', status: 'TaskStatus 2 (PROCESSING)' },
  ]);
  await sleep(TASK_MS + 50);
  expect(await ms.poll(ctx, ['app-1', 'app-2'], undefined)).toEqual([
    { id: 'app-1', result: 'gone' },
    { id: 'app-2', result: 'gone' },
  ]);
  // Re-sending the same delete (an activity retry) reports the finished task.
  expect(
    (await ms.delete(ctx, ['app-1', 'app-2'], 'ct', OPTIONS)).outcomes.every((o) => o.result === 'accepted'),
  ).toBe(true);
});

test('unknown AppSids: Progress 1 (no-op), accepted, and the poll confirms them gone', async () => {
  expect((await ms.delete(ctx, ['app-ghost'], 'ct', OPTIONS)).outcomes).toEqual([
    { id: 'app-ghost', result: 'accepted' },
  ]);
  expect(await ms.poll(ctx, ['app-ghost'], undefined)).toEqual([{ id: 'app-ghost', result: 'gone' }]);
});

test('Progress 3: the poll reports failed (TaskStatus 3) and a re-sent delete fails the batch (permanent)', async () => {
  seed('app-bad', { failDelete: 'error' });
  seed('app-ok');
  await ms.delete(ctx, ['app-bad', 'app-ok'], 'ct', OPTIONS);
  await sleep(TASK_MS + 50);
  const polled = await ms.poll(ctx, ['app-bad', 'app-ok'], undefined);
  expect(polled).toEqual([
    expect.objectContaining({
      id: 'app-bad',
      result: 'failed',
      status: 'TaskStatus 3 (ERROR)',
      errorCode: 'TaskStatus.Error',
      errorClass: 'permanent',
    }),
    expect.objectContaining({ id: 'app-ok', result: 'failed', errorCode: 'TaskStatus.Error' }),
  ]);
  const again = await ms.delete(ctx, ['app-bad', 'app-ok'], 'ct', OPTIONS);
  expect(again.outcomes).toEqual([
    expect.objectContaining({
      id: 'app-bad',
      result: 'failed',
      errorCode: 'Progress.Error',
      errorClass: 'permanent',
    }),
    expect.objectContaining({
      id: 'app-ok',
      result: 'failed',
      errorCode: 'Progress.Error',
      errorClass: 'permanent',
    }),
  ]);
});

test('TaskStatus 4 (timed out): the poll asks to re-issue, the re-issue starts a fresh task that finishes', async () => {
  seed('app-slow', { failDelete: 'timeout' });
  await ms.delete(ctx, ['app-slow'], 'ct', OPTIONS);
  await sleep(TASK_MS + 50);
  expect(await ms.poll(ctx, ['app-slow'], undefined)).toEqual([
    { id: 'app-slow', result: 'reissue', status: 'TaskStatus 4 (TIMEOUT)' },
  ]);
  expect((await ms.delete(ctx, ['app-slow'], 'ct-2', OPTIONS)).outcomes).toEqual([
    { id: 'app-slow', result: 'accepted' },
  ]);
  expect(await ms.poll(ctx, ['app-slow'], undefined)).toEqual([
    { id: 'app-slow', result: 'pending', status: 'TaskStatus 2 (PROCESSING)' },
  ]);
  await sleep(TASK_MS + 50);
  expect(await ms.poll(ctx, ['app-slow'], undefined)).toEqual([{ id: 'app-slow', result: 'gone' }]);
});

test('Progress 4 from DeleteScanInstances itself: retry (Progress.Timeout)', async () => {
  seed('app-slow', { failDelete: 'timeout' });
  await ms.delete(ctx, ['app-slow'], 'ct', OPTIONS);
  await sleep(TASK_MS + 50);
  expect((await ms.delete(ctx, ['app-slow'], 'ct', OPTIONS)).outcomes).toEqual([
    expect.objectContaining({ id: 'app-slow', result: 'retry', errorCode: 'Progress.Timeout' }),
  ]);
  // The next call is the re-issue.
  expect((await ms.delete(ctx, ['app-slow'], 'ct-2', OPTIONS)).outcomes).toEqual([
    { id: 'app-slow', result: 'accepted' },
  ]);
});

describe('every code of MS’s table (and the common ones) reaches its class', () => {
  const table: Array<[string, ErrorClass]> = [
    // MS's seed table
    ['InternalError', 'transient'],
    ['InternalError.ServerError', 'transient'],
    ['LimitExceeded', 'throttled'],
    // common codes
    ['RequestLimitExceeded', 'throttled'],
    ['InvalidParameter', 'permanent'],
    ['InvalidParameterValue', 'permanent'],
    ['MissingParameter', 'permanent'],
    ['UnknownParameter', 'permanent'],
    ['InvalidAction', 'permanent'],
    ['ActionOffline', 'permanent'],
    ['UnauthorizedOperation', 'permanent'],
    ['ResourceInUse', 'busy'],
    ['ResourceUnavailable', 'busy'],
    ['AuthFailure.UnauthorizedOperation', 'auth'],
    ['AuthFailure.SignatureExpire', 'clock'],
  ];
  test.each(table)('%s -> %s (delete, describe and poll)', async (code, errorClass) => {
    seed('app-1');
    for (const [action, run] of [
      ['DeleteScanInstances', () => ms.delete(ctx, ['app-1'], 'ct', OPTIONS)],
      ['DescribeScanInstances', () => ms.describe(ctx, ['app-1'], OPTIONS)],
      ['DescribeScanInstances', () => ms.poll(ctx, ['app-1'], undefined)],
    ] as const) {
      emu.injectFault({ provider: 'tencentcloud', action, code, count: 1 });
      const err = await captureProviderError(run());
      expect(err).toMatchObject({ cloud: 'tencentcloud', code, errorClass, httpStatus: 200 });
      expect(err.requestId).toEqual(expect.any(String));
      expect(ms.classify(code)).toBe(errorClass);
    }
  });

  test('a wrong secret is AuthFailure.SignatureFailure (auth), an unknown key AuthFailure.SecretIdNotFound', async () => {
    const wrong = { ...ctx, credentials: { ...ctx.credentials, accessKeySecret: 'not-the-secret' } };
    expect(await captureProviderError(ms.describe(wrong, ['app-1'], OPTIONS))).toMatchObject({
      code: 'AuthFailure.SignatureFailure',
      errorClass: 'auth',
    });
    const unknown = { ...ctx, credentials: { accessKeyId: 'AKIDnobody', accessKeySecret: 'x' } };
    expect(await captureProviderError(ms.describe(unknown, ['app-1'], OPTIONS))).toMatchObject({
      code: 'AuthFailure.SecretIdNotFound',
      errorClass: 'auth',
    });
  });

  test('over the 20/s quota: RequestLimitExceeded (throttled)', async () => {
    seed('app-1');
    emu.setSettings({ quotaByAction: { DescribeScanInstances: 1 } });
    await ms.describe(ctx, ['app-1'], OPTIONS);
    expect(await captureProviderError(ms.describe(ctx, ['app-1'], OPTIONS))).toMatchObject({
      code: 'RequestLimitExceeded',
      errorClass: 'throttled',
    });
  });
});
