// Poll: asks the provider about every accepted deletion (grouped by what it answered to poll them
// with) and settles the confirmed ones; a failed poll is not a failed deletion.
import { isCancellation } from '@temporalio/workflow';
import type { PollOutcome } from '../../providers/types';
import { describeFailure } from '../failures';
import { chunk } from '../util';
import { describeBatchLimit, eachBatch } from './batches';
import type { GroupContext } from './context';
import { byTracking } from './steps';

/** Polls accepted deletions once; returns ids the provider wants re-sent. */
export async function pollAll(ctx: GroupContext): Promise<string[]> {
  const { ledger } = ctx;
  const awaiting = ctx.handoff.awaiting;
  const reissue: string[] = [];
  const statuses: string[] = [];
  const batches = [...byTracking(awaiting)].flatMap(([tracking, ids]) =>
    chunk(ids, describeBatchLimit(ctx)).map((batch) => ({ tracking, batch })),
  );
  await eachBatch(ctx, batches, async ({ tracking, batch }) => {
    let outcomes: PollOutcome[];
    try {
      outcomes = await ctx.calls.poll(batch, tracking);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      if (failure.errorClass === 'auth') ledger.abortWith(failure);
      // Keep waiting until the deadline.
      return;
    }
    for (const outcome of outcomes) {
      if (!awaiting.has(outcome.id)) continue;
      if (outcome.result === 'pending') {
        ledger.update(outcome.id, { status: outcome.status });
        statuses.push(outcome.status);
        continue;
      }
      awaiting.delete(outcome.id);
      if (outcome.result === 'gone')
        ledger.settle(outcome.id, 'deleted', { errorCode: undefined, message: undefined });
      else if (outcome.result === 'reissue') {
        ledger.update(outcome.id, { status: outcome.status });
        reissue.push(outcome.id);
      } else {
        const { errorCode: code, message, errorClass } = outcome;
        ledger.fail(outcome.id, { code, message, errorClass }, outcome.status);
      }
    }
  });
  const waitingOn = [...new Set(statuses)].slice(0, 3).join(', ');
  await ctx.report(
    'polling',
    `polling ${awaiting.size} ${ctx.input.kind}${waitingOn ? `: ${waitingOn}` : ''}`,
  );
  return reissue;
}
