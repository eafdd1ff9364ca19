// Workflow-visible retries and what they add up to, over fakes (no server): the next try's delay,
// giving up with the last error at the deadline or on a non-retryable failure, and the blocked
// line the parent's page shows.
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { BLOCKED_AFTER, RetryRecorder } from '../../src/workflows/group/blocked';
import { GroupLedger } from '../../src/workflows/group/ledger';
import { nextDelayMs, retried, type FailedTry, type RetryDeps } from '../../src/workflows/group/retries';

const KIND = 'alibabacloud.ecs.instance';

function refused(
  code: string,
  opts: { nonRetryable?: boolean; retryDelayMs?: number } = {},
): ActivityFailure {
  const cause = ApplicationFailure.create({
    type: code,
    message: `alibabacloud ${code}: try later`,
    nonRetryable: opts.nonRetryable,
    details: [{ errorClass: 'throttled', retryDelayMs: opts.retryDelayMs }],
  });
  const state = opts.nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.MAXIMUM_ATTEMPTS_REACHED;
  return new ActivityFailure('activity failed', 'deleteResources', '1', state, 'worker', cause);
}

function fakeDeps(remainingMs: number) {
  let now = Date.parse('2026-12-04T18:15:00Z');
  const failures: FailedTry[] = [];
  const settled: boolean[] = [];
  const deps: RetryDeps = {
    now: () => now,
    remainingMs: () => remainingMs - (now - Date.parse('2026-12-04T18:15:00Z')),
    sleep: async (ms) => void (now += ms),
    maxIntervalMs: 30_000,
    onFailure: async (t) => void failures.push(t),
    onSettled: async (_key, ok) => void settled.push(ok),
  };
  return { deps, failures, settled };
}

it('doubles from 1s to the longest wait, never below the class delay', () => {
  expect([1, 2, 3, 6, 9].map((n) => nextDelayMs(refused('X'), n, 30_000))).toEqual([
    1_000, 2_000, 4_000, 30_000, 30_000,
  ]);
  expect(nextDelayMs(refused('X', { retryDelayMs: 12_000 }), 1, 30_000)).toBe(12_000);
  expect(nextDelayMs(refused('X', { retryDelayMs: 300 }), 1, 30_000)).toBe(1_000);
});

it('tries again with the attempts made so far until the call goes through', async () => {
  const { deps, failures, settled } = fakeDeps(600_000);
  const priors: number[] = [];
  const answer = await retried(deps, 'DeleteInstances', ['i-1'], async (prior) => {
    priors.push(prior);
    if (prior < 4) throw refused('ServiceUnavailable');
    return 'ok';
  });
  expect(answer).toBe('ok');
  expect(priors).toEqual([0, 1, 2, 3, 4]);
  expect(failures.map((f) => f.nextAt! - f.at)).toEqual([1_000, 2_000, 4_000, 8_000]);
  expect(settled).toEqual([true]);
});

it('gives up at the deadline with DeadlineExceeded naming the last error, or at once when not retryable', async () => {
  const { deps, failures, settled } = fakeDeps(5_000);
  const thrown = await retried(deps, 'DeleteInstances', ['i-1'], async (prior) => {
    throw refused(prior < 2 ? 'ServiceUnavailable' : 'Throttling.User');
  }).catch((err: unknown) => err);
  expect(thrown).toBeInstanceOf(ApplicationFailure);
  expect(thrown).toMatchObject({ type: 'DeadlineExceeded', nonRetryable: true });
  expect((thrown as Error).message).toBe(
    'not done before the deadline; the last try answered Throttling.User: try later',
  );
  expect((thrown as ApplicationFailure).details?.[0]).toMatchObject({ errorClass: 'throttled' });
  // 1s, 2s waited; the next 4s would pass the 5s deadline.
  expect(failures.map((f) => f.nextAt === undefined)).toEqual([false, false, true]);
  expect(settled).toEqual([false]);

  const once = fakeDeps(600_000);
  const permanent = refused('InvalidParameter', { nonRetryable: true });
  await expect(
    retried(once.deps, 'DeleteInstances', ['i-1'], async () => {
      throw permanent;
    }),
  ).rejects.toBe(permanent);
  expect(once.failures).toHaveLength(1);
});

it('names the blocked call, code, count, since, next try and ids after BLOCKED_AFTER failures in a row', () => {
  const ledger = new GroupLedger(KIND, 'cn-hangzhou', ['i-bp1a', 'i-bp1b']);
  const recorder = new RetryRecorder(KIND, 'cn-hangzhou', ledger);
  const start = Date.parse('2026-12-04T18:15:00Z');
  const failure = { code: 'ServiceUnavailable', errorClass: 'throttled' as const, message: 'busy' };
  for (let n = 0; n < BLOCKED_AFTER; n++) {
    expect(recorder.blocked()).toBeUndefined();
    const at = start + n * 60_000;
    recorder.failed({
      key: 'k',
      action: 'DeleteInstances',
      ids: ['i-bp1a'],
      failure,
      at,
      nextAt: at + 30_000,
    });
  }
  expect(recorder.blocked()).toEqual({
    on: 'ServiceUnavailable',
    ids: ['i-bp1a'],
    details: `1 ${KIND} in cn-hangzhou blocked: DeleteInstances answered ServiceUnavailable 3 times since 18:15:00; next try 18:17:30; i-bp1a`,
  });
  expect(ledger.get('i-bp1a')).toMatchObject({
    lastErrorCode: 'ServiceUnavailable',
    lastErrorAt: '2026-12-04T18:17:00.000Z',
  });
  expect(recorder.takeCounts()).toEqual({ throttled: 3 });
  expect(recorder.takeCounts()).toEqual({});

  // Progress resumes: no longer blocked, and the resource loses its last error.
  recorder.settled('k', true);
  expect(recorder.blocked()).toBeUndefined();
  expect(ledger.get('i-bp1a')?.lastErrorCode).toBeUndefined();

  // A needs-operator refusal waits for a person.
  ledger.fail('i-bp1b', {
    code: 'InvalidOperation.DeletionProtection',
    message: 'on',
    errorClass: 'needs-operator',
  });
  expect(recorder.blocked()).toMatchObject({ on: 'operator', ids: ['i-bp1b'] });
});
