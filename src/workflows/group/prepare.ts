// Prepare: runs the kind's prepare steps (stop, convert, ...) in their declared order, and waits
// until every live resource is ready (or settled, or out of time), handing each ready resource to
// the delete loop at once.
import { isCancellation } from '@temporalio/workflow';
import type { Assessment, CallOutcome } from '../../providers/types';
import { describeFailure } from '../failures';
import { chunk } from '../util';
import type { GroupContext } from './context';
import { describeIds } from './preflight';
import { backoff, prepareStepOrder, stepsAsked, stepsInOrder, summariseWaiting } from './steps';

export async function prepare(ctx: GroupContext, initial: Assessment[]): Promise<void> {
  const { ledger, handoff } = ctx;
  try {
    let current = initial;
    let generation = 0;
    let interval = ctx.input.pollIntervalMs;
    for (;;) {
      handoff.ready.push(
        ...current.filter((a) => a.state === 'ready' && ledger.isPending(a.id)).map((a) => a.id),
      );
      const waiting = current.filter((a) => a.state === 'needs-prepare' || a.state === 'transitional');
      if (waiting.length === 0 || ledger.fatal) return;
      if (ctx.remainingMs() <= 0) {
        for (const a of waiting) {
          ledger.fail(
            a.id,
            { code: 'DeadlineExceeded', message: `still ${a.status} at the deadline` },
            a.status,
          );
        }
        return;
      }
      for (const step of stepOrder(ctx, waiting)) {
        const ids = waiting.filter((a) => a.state === 'needs-prepare' && a.step === step).map((a) => a.id);
        for (const batch of chunk(ids, ctx.meta.prepareLimit)) {
          // A cancel stops new stop/convert calls too (they change the resource or its billing).
          if (ctx.cancelRequested()) break;
          await prepareBatch(ctx, step, batch, generation);
        }
      }
      await ctx.report(
        'preparing',
        `preparing: waiting for ${waiting.length} ${ctx.input.kind} (${summariseWaiting(waiting)})`,
      );
      await ctx.pause(interval);
      interval = backoff(interval, 2, ctx.input.maxPollIntervalMs);
      generation++;
      current = await describeIds(
        ctx,
        waiting.map((a) => a.id).filter((id) => ledger.isPending(id)),
      );
    }
  } finally {
    handoff.preparing = false;
  }
}

/**
 * The declared order. Histories recorded before it was followed ran steps in the order resources
 * asked for them; the patch marker is only needed (and only written) where the two orders differ.
 */
function stepOrder(ctx: GroupContext, waiting: Assessment[]): string[] {
  const asked = stepsAsked(waiting);
  const declared = stepsInOrder(waiting, prepareStepOrder(ctx.meta));
  if (asked.join() === declared.join()) return declared;
  return ctx.patched('prepare-steps-in-declared-order') ? declared : asked;
}

async function prepareBatch(
  ctx: GroupContext,
  step: string,
  ids: string[],
  generation: number,
): Promise<void> {
  try {
    const { answer, attempt } = await ctx.calls.prepare(step, ids, generation);
    ctx.ledger.addRequest(ids, attempt);
    for (const outcome of answer) applyPrepareOutcome(ctx, outcome);
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.ledger.failCall(ids, describeFailure(err));
  }
}

function applyPrepareOutcome(ctx: GroupContext, outcome: CallOutcome): void {
  if (!ctx.ledger.isPending(outcome.id)) return;
  if (outcome.result === 'gone') ctx.ledger.settle(outcome.id, 'already-gone');
  else if (outcome.result === 'failed')
    ctx.ledger.fail(outcome.id, {
      code: outcome.errorCode,
      message: outcome.message,
      errorClass: outcome.errorClass,
    });
}
