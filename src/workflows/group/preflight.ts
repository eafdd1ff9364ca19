// Preflight: describe every id (gone, blocked, or how it stands), and the dry run's provider-side
// check of the delete. Also the describe used to re-check ids later (prepare, confirm before blaming).
import { isCancellation } from '@temporalio/workflow';
import type { Assessment } from '../../providers/types';
import { describeFailure } from '../failures';
import { chunk } from '../util';
import { describeBatchLimit, eachBatch } from './batches';
import type { GroupContext } from './context';
import { afterRefusedDryRun, wouldDeleteMessage } from './steps';

/** Describes ids; settles gone (never listed: not found) and blocked ones; returns assessments of the rest. */
export async function preflight(ctx: GroupContext, ids: string[]): Promise<Assessment[]> {
  const live = await describeIds(ctx, ids, 'not-found');
  await ctx.report('preflight', `preflight: ${live.length} of ${ids.length} ${ctx.input.kind} to delete`);
  return live;
}

/** `goneMeans`: what an absent resource is reported as ('deleted' when our own call removed it). */
export async function describeIds(
  ctx: GroupContext,
  ids: string[],
  goneMeans: 'not-found' | 'already-gone' | 'deleted' = 'already-gone',
): Promise<Assessment[]> {
  const { ledger } = ctx;
  const batches = chunk(ids, describeBatchLimit(ctx));
  // Kept per batch so the order of `live` does not depend on which answer came first.
  const answered: Assessment[][] = batches.map(() => []);
  await eachBatch(ctx, batches.keys(), async (i) => {
    if (ledger.fatal) return;
    try {
      answered[i] = await ctx.calls.describe(batches[i]!);
    } catch (err) {
      if (isCancellation(err)) throw err;
      ledger.failCall(batches[i]!, describeFailure(err));
    }
  });
  const live: Assessment[] = [];
  for (const a of answered.flat()) {
    if (!ledger.isPending(a.id)) continue;
    if (a.state === 'gone') ledger.settle(a.id, goneMeans);
    else if (a.state === 'blocked') {
      if (!a.skipped && a.errorClass === 'needs-operator') ledger.operatorIds.add(a.id);
      ledger.settle(a.id, a.skipped ? 'skipped' : 'failed', {
        errorCode: a.errorCode,
        message: a.message,
        status: a.status,
      });
    } else {
      ledger.update(a.id, { status: a.status });
      live.push(a);
    }
  }
  return live;
}

/** Reports what would be deleted, after the provider's own dry run of the delete where it has one. */
export async function dryRun(ctx: GroupContext, assessments: Assessment[]): Promise<void> {
  const deletable = assessments.filter((a) => a.state === 'ready').map((a) => a.id);
  for (const batch of chunk(deletable, ctx.meta.batchLimit)) await dryRunBatch(ctx, batch);
  for (const a of assessments) {
    if (!ctx.ledger.isPending(a.id)) continue;
    const message = wouldDeleteMessage(a);
    ctx.ledger.settle(a.id, 'would-delete', message ? { message } : {});
  }
}

async function dryRunBatch(ctx: GroupContext, ids: string[]): Promise<void> {
  if (ctx.ledger.fatal) return;
  try {
    await ctx.calls.dryRunDelete(ids);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const failure = describeFailure(err);
    const verdict = afterRefusedDryRun(failure, ids);
    if (verdict.action === 'split') {
      for (const half of verdict.batches) await dryRunBatch(ctx, half);
    } else if (verdict.action === 'gone') {
      for (const id of ids) ctx.ledger.settle(id, 'already-gone');
    } else ctx.ledger.failCall(ids, failure);
  }
}
