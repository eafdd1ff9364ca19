// One decision helper for approve / reject, as update and as signal (src/workflows/decision.ts).
import { computeTotals } from '../../src/contract';
import { checkDecision, readDecision, type DecisionState } from '../../src/workflows/decision';
import {
  dryRunSummary,
  endStatus,
  failureCodes,
  groupOutcome,
  runSummary,
  sampleIds,
} from '../../src/workflows/summaries';

const waiting: DecisionState = { status: 'awaiting-approval', requireApproval: true };

describe('checkDecision', () => {
  it('accepts an approval or a rejection with a reason while awaiting approval', () => {
    expect(checkDecision('approve', { approvedBy: 'ana' }, waiting)).toEqual({ approved: true, by: 'ana' });
    expect(checkDecision('reject', { rejectedBy: 'bo', reason: 'too soon' }, waiting)).toEqual({
      approved: false,
      by: 'bo',
      reason: 'too soon',
    });
  });

  it('refuses, naming the field or the reason', () => {
    expect(() => checkDecision('approve', {}, waiting)).toThrow('approvedBy: must name who decides');
    expect(() => checkDecision('reject', { rejectedBy: ' ' }, waiting)).toThrow(
      'rejectedBy: must name who decides',
    );
    expect(() => checkDecision('reject', { rejectedBy: 'bo', reason: '' }, waiting)).toThrow(
      'reason: must say why the teardown is rejected',
    );
    expect(() => checkDecision('approve', { approvedBy: 'ana' }, { status: 'running' })).toThrow(
      'started without requireApproval',
    );
    expect(() => checkDecision('approve', { approvedBy: 'ana' }, { ...waiting, status: 'running' })).toThrow(
      'this teardown is running; it can be approved or rejected once its preflight is done',
    );
    expect(() =>
      checkDecision(
        'approve',
        { approvedBy: 'ana' },
        { ...waiting, decision: readDecision('approve', { approvedBy: 'x' }) },
      ),
    ).toThrow('already been decided');
    expect(() => checkDecision('approve', undefined, waiting)).toThrow('approvedBy');
  });
});

describe('summaries', () => {
  it('samples ids, bounded', () => {
    expect(sampleIds(['a', 'b'])).toBe('a, b');
    expect(sampleIds(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(sampleIds(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });

  it('counts failure codes and says how a group ended', () => {
    const base = { kind: 'alibabacloud.ecs.instance' as const, region: 'cn-hangzhou' };
    const resources = [
      { ...base, id: 'a', outcome: 'deleted' as const },
      { ...base, id: 'b', outcome: 'failed' as const, errorCode: 'X' },
      { ...base, id: 'c', outcome: 'failed' as const, errorCode: 'X' },
      { ...base, id: 'd', outcome: 'pending' as const },
    ];
    expect(failureCodes(resources)).toBe('2x X');
    expect(groupOutcome(resources)).toBe('done: 1 deleted, 2 failed (2x X), 1 not deleted');
    expect(groupOutcome([])).toBe('done: nothing to do');
    expect(runSummary(resources)).toBe('1 deleted, 0 already gone, 2 failed, 0 skipped (2x X)');
    const dry = [
      { ...base, id: 'a', outcome: 'would-delete' as const },
      { ...base, id: 'b', outcome: 'not-found' as const },
    ];
    expect(dryRunSummary(dry)).toBe('1 would be deleted, 1 not found');
    expect(dryRunSummary(dry.slice(0, 1))).toBe('1 would be deleted');
  });

  it('ends completed, partially failed or failed by the totals', () => {
    const t = computeTotals([]);
    expect(endStatus({ ...t, deleted: 1, notFound: 1 })).toBe('completed');
    expect(endStatus({ ...t, deleted: 1, failed: 1 })).toBe('partially-failed');
    expect(endStatus({ ...t, failed: 2 })).toBe('failed');
    expect(endStatus({ ...t, pending: 1, alreadyGone: 1 })).toBe('partially-failed');
  });
});
