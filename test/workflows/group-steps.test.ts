// The pure decisions of a resource group (src/workflows/group/steps.ts), with fake provider answers.
import { KIND_NAMES, KINDS } from '../../src/kinds';
import { PROVIDERS } from '../../src/providers/registry';
import type { Assessment } from '../../src/providers/types';
import {
  afterRefusedDelete,
  afterRefusedDryRun,
  backoff,
  bisect,
  blameAfterConfirm,
  byTracking,
  MIN_CALL_WINDOW_MS,
  prepareStepOrder,
  sortDeleteAnswer,
  stepsAsked,
  stepsInOrder,
  stillThere,
  summariseWaiting,
  wouldDeleteMessage,
} from '../../src/workflows/group/steps';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${i}`);

describe('bisect', () => {
  it('halves a batch, the first half larger, keeping order', () => {
    expect(bisect(ids(5))).toEqual([
      ['i-0', 'i-1', 'i-2'],
      ['i-3', 'i-4'],
    ]);
    expect(bisect(['a', 'b'])).toEqual([['a'], ['b']]);
  });
});

describe('afterRefusedDelete', () => {
  it('aborts the group when credentials are refused', () => {
    expect(afterRefusedDelete({ errorClass: 'auth' }, 60_000)).toEqual({ action: 'abort' });
  });

  it('re-sends busy and throttled batches while there is time, confirms once there is not', () => {
    expect(afterRefusedDelete({ errorClass: 'busy' }, 60_000)).toEqual({ action: 'resend' });
    expect(afterRefusedDelete({ errorClass: 'throttled' }, MIN_CALL_WINDOW_MS + 1)).toEqual({
      action: 'resend',
    });
    expect(afterRefusedDelete({ errorClass: 'busy' }, MIN_CALL_WINDOW_MS)).toEqual({
      action: 'confirm',
      goneMeans: 'deleted',
    });
  });

  it('confirms before blaming everything else; absent after "gone" means already gone', () => {
    expect(afterRefusedDelete({ errorClass: 'gone' }, 60_000)).toEqual({
      action: 'confirm',
      goneMeans: 'already-gone',
    });
    for (const errorClass of ['permanent', 'needs-operator', 'transient'] as const)
      expect(afterRefusedDelete({ errorClass }, 60_000)).toEqual({ action: 'confirm', goneMeans: 'deleted' });
  });
});

describe('blameAfterConfirm', () => {
  const sent = ids(4);

  it('settles when every id vanished (a lost answer of our own delete)', () => {
    expect(blameAfterConfirm({ errorClass: 'transient' }, sent, [])).toEqual({ action: 'settled' });
  });

  it('re-sends the rest when some vanished, or the provider said gone', () => {
    expect(blameAfterConfirm({ errorClass: 'permanent' }, sent, ['i-1', 'i-2'])).toEqual({
      action: 'resend',
      ids: ['i-1', 'i-2'],
    });
    expect(blameAfterConfirm({ errorClass: 'gone' }, sent, sent)).toEqual({ action: 'resend', ids: sent });
  });

  it('splits a batch refused whole for good, so only the culprit is blamed', () => {
    expect(blameAfterConfirm({ errorClass: 'permanent' }, sent, sent)).toEqual({
      action: 'split',
      batches: [
        ['i-0', 'i-1'],
        ['i-2', 'i-3'],
      ],
    });
    expect(blameAfterConfirm({ errorClass: 'needs-operator' }, sent, sent).action).toBe('split');
  });

  it('blames a single refused id, and every id when retries were exhausted', () => {
    expect(blameAfterConfirm({ errorClass: 'permanent' }, ['i-0'], ['i-0'])).toEqual({
      action: 'blame',
      ids: ['i-0'],
    });
    expect(blameAfterConfirm({ errorClass: 'transient' }, sent, sent)).toEqual({
      action: 'blame',
      ids: sent,
    });
  });
});

describe('afterRefusedDryRun', () => {
  it('splits batches (not for auth), marks a single gone id gone, fails the rest', () => {
    expect(afterRefusedDryRun({ errorClass: 'permanent' }, ids(3))).toEqual({
      action: 'split',
      batches: [['i-0', 'i-1'], ['i-2']],
    });
    expect(afterRefusedDryRun({ errorClass: 'auth' }, ids(3))).toEqual({ action: 'fail' });
    expect(afterRefusedDryRun({ errorClass: 'gone' }, ['i-0'])).toEqual({ action: 'gone' });
    expect(afterRefusedDryRun({ errorClass: 'needs-operator' }, ['i-0'])).toEqual({ action: 'fail' });
  });
});

describe('sortDeleteAnswer', () => {
  it('sorts outcomes by what happens next and ignores ids already settled', () => {
    const sorted = sortDeleteAnswer(
      [
        { id: 'a', result: 'accepted' },
        { id: 'b', result: 'gone' },
        { id: 'c', result: 'retry', errorCode: 'IncorrectInstanceStatus', message: 'busy' },
        { id: 'd', result: 'failed', errorCode: 'Forbidden', message: 'no', errorClass: 'permanent' },
        { id: 'e', result: 'accepted' },
      ],
      (id) => id !== 'e',
    );
    expect(sorted.accepted).toEqual(['a']);
    expect(sorted.gone).toEqual(['b']);
    expect(sorted.resend.map((o) => o.id)).toEqual(['c']);
    expect(sorted.failed.map((o) => [o.id, o.errorCode])).toEqual([['d', 'Forbidden']]);
  });
});

describe('prepare steps', () => {
  const waiting: Assessment[] = [
    { id: 'a', state: 'needs-prepare', step: 'stop', status: 'Running' },
    { id: 'b', state: 'transitional', status: 'Stopping' },
    { id: 'c', state: 'needs-prepare', step: 'convert', status: 'Running' },
    { id: 'd', state: 'needs-prepare', step: 'stop', status: 'Running' },
  ];

  it('runs in the declared order, undeclared steps last', () => {
    expect(stepsAsked(waiting)).toEqual(['stop', 'convert']);
    expect(stepsInOrder(waiting, ['convert', 'stop'])).toEqual(['convert', 'stop']);
    expect(stepsInOrder(waiting, ['stop'])).toEqual(['stop', 'convert']);
    expect(stepsInOrder([], ['convert', 'stop'])).toEqual([]);
  });

  it.each(KIND_NAMES)('%s: its provider module prepares exactly when the metadata declares steps', (kind) => {
    expect(Boolean(PROVIDERS[kind]!.prepare)).toBe(prepareStepOrder(KINDS[kind]!).length > 0);
  });

  it('summarises what a group waits for', () => {
    expect(summariseWaiting(waiting)).toBe('2 stop (Running), 1 Stopping, 1 convert (Running)');
    expect(wouldDeleteMessage(waiting[0]!)).toBe('would stop it first (now Running)');
    expect(wouldDeleteMessage(waiting[1]!)).toBe('would wait for it to leave Stopping');
    expect(wouldDeleteMessage({ id: 'x', state: 'ready', status: 'Stopped' })).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('backs off by a factor up to a cap', () => {
    expect(backoff(1_000, 1.5, 30_000)).toBe(1_500);
    expect(backoff(25_000, 2, 30_000)).toBe(30_000);
  });

  it('keeps only ids still there and deletable', () => {
    expect(
      stillThere([
        { id: 'a', state: 'ready', status: 'Stopped' },
        { id: 'b', state: 'transitional', status: 'Stopping' },
        { id: 'c', state: 'needs-prepare', step: 'stop', status: 'Running' },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('groups accepted deletions by their tracking id', () => {
    const grouped = byTracking(
      new Map([
        ['a', 'co-1'],
        ['b', undefined],
        ['c', 'co-1'],
      ]),
    );
    expect([...grouped]).toEqual([
      ['co-1', ['a', 'c']],
      [undefined, ['b']],
    ]);
  });
});
