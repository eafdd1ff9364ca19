// Delete: sends what prepare hands over in batches (several at once), re-sends what the provider
// asks for with a new generation, confirms before blaming a refused batch, and polls until every
// accepted deletion is confirmed gone or the deadline passes.
import { isCancellation } from '@temporalio/workflow';
import { describeFailure } from '../failures';
import { chunk } from '../util';
import { settleAll } from './batches';
import type { GroupContext } from './context';
import { pollAll } from './poll';
import { describeIds } from './preflight';
import {
  afterRefusedDelete,
  backoff,
  blameAfterConfirm,
  firstPollDelayMs,
  sortDeleteAnswer,
  stillThere,
} from './steps';

/**
 * Concurrent delete calls per group. Not all at once as describes and polls are: a delete sent is
 * never withdrawn, so a cancel must find the later batches still unsent.
 */
const DELETE_CONCURRENCY = 4;

export async function deleteAndConfirm(ctx: GroupContext): Promise<void> {
  const { ledger, handoff } = ctx;
  const awaiting = handoff.awaiting;
  let toDelete: string[] = [];
  let generation = 0;
  let interval = firstPollDelayMs(ctx.input.pollIntervalMs);
  while (!ledger.fatal) {
    toDelete.push(...handoff.ready.splice(0));
    if (toDelete.length === 0 && awaiting.size === 0) {
      if (!handoff.preparing) return;
      await ctx.waitFor(() => handoff.ready.length > 0 || !handoff.preparing);
      continue;
    }
    if (ctx.remainingMs() <= 0) {
      failAtDeadline(ctx, toDelete);
      return;
    }
    let resend: string[] = [];
    if (toDelete.length > 0) {
      resend = await deleteAll(ctx, toDelete, generation);
      generation++;
      await ctx.report('deleting', `deleting: ${awaiting.size} accepted, ${resend.length} to re-issue`);
    }
    toDelete = resend;
    if (awaiting.size === 0 && toDelete.length === 0) continue;
    await ctx.pause(interval);
    interval = backoff(interval, 1.5, ctx.input.maxPollIntervalMs);
    if (awaiting.size > 0) toDelete.push(...(await pollAll(ctx)));
  }
}

function failAtDeadline(ctx: GroupContext, unsent: string[]): void {
  const { ledger, handoff } = ctx;
  for (const id of unsent) {
    ledger.fail(id, { code: 'DeadlineExceeded', message: 'not deleted before the deadline' });
  }
  for (const id of handoff.awaiting.keys()) {
    const status = ledger.get(id)?.status;
    ledger.fail(id, {
      code: 'DeadlineExceeded',
      message: `not confirmed gone by the deadline (last status: ${status ?? 'unknown'})`,
    });
  }
  handoff.awaiting.clear();
}

/** Sends every delete batch (bisecting batches the provider refuses whole); returns ids to re-send. */
export async function deleteAll(ctx: GroupContext, ids: string[], generation: number): Promise<string[]> {
  const resend: string[] = [];
  const queue = chunk(ids, ctx.meta.batchLimit);
  const worker = async () => {
    for (
      let batch = queue.shift();
      batch && !ctx.ledger.fatal && !ctx.cancelRequested();
      batch = queue.shift()
    ) {
      queue.push(...(await deleteBatch(ctx, batch, generation, resend)));
    }
  };
  // Every sender finishes its batch in flight before a cancel (or error) is passed on.
  await settleAll(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
  return resend;
}

/** One delete call; returns sub-batches to try when the provider refused the batch as a whole. */
async function deleteBatch(
  ctx: GroupContext,
  ids: string[],
  generation: number,
  resend: string[],
): Promise<string[][]> {
  const { ledger } = ctx;
  try {
    const { answer, attempt } = await ctx.calls.delete(ids, generation);
    ledger.addRequest(ids, attempt, answer.requestId);
    const sorted = sortDeleteAnswer(answer.outcomes, (id) => ledger.isPending(id));
    for (const id of sorted.accepted) ctx.handoff.awaiting.set(id, answer.tracking);
    for (const id of sorted.gone) ledger.settle(id, 'already-gone');
    for (const o of sorted.resend) {
      ledger.update(o.id, { errorCode: o.errorCode, message: o.message });
      resend.push(o.id);
    }
    for (const o of sorted.failed)
      ledger.fail(o.id, { code: o.errorCode, message: o.message, errorClass: o.errorClass });
    return [];
  } catch (err) {
    if (isCancellation(err)) throw err;
    const failure = describeFailure(err);
    ledger.addRequest(ids, failure.attempt ?? 1, failure.requestId);
    const next = afterRefusedDelete(failure, ctx.remainingMs());
    if (next.action === 'abort') {
      ledger.abortWith(failure);
      return [];
    }
    if (next.action === 'resend') {
      resend.push(...ids.filter((id) => ledger.isPending(id)));
      return [];
    }
    const still = stillThere(await describeIds(ctx, ids, next.goneMeans));
    const verdict = blameAfterConfirm(failure, ids, still);
    if (verdict.action === 'resend') resend.push(...verdict.ids);
    else if (verdict.action === 'split') return verdict.batches;
    else if (verdict.action === 'blame')
      for (const id of verdict.ids) if (ledger.isPending(id)) ledger.fail(id, failure);
    return [];
  }
}
