// Deletes one group of resources of one kind (same region / application): preflight, prepare
// (stop / convert), delete in batches under ClientTokens, poll until the provider confirms, and a
// per-resource report (design.md section 4). The phases live in ./group/; provider specifics stay
// in the provider modules, so every kind runs through the same durable state machine.
import { isCancellation, patched, setHandler } from '@temporalio/workflow';
import { ACCOUNTS_PATCH } from '../accounts';
import { computeTotals, type ResourceReport, type TeardownPhase } from '../contract';
import { describeFailure } from './failures';
import { temporalGroupContext, type GroupContext } from './group/context';
import { settleAll } from './group/batches';
import { deleteAndConfirm } from './group/delete';
import { GroupLedger } from './group/ledger';
import { pollAll } from './group/poll';
import { prepare } from './group/prepare';
import { dryRun, preflight } from './group/preflight';
import { backoff } from './group/steps';
import { progressQuery, type ResourceGroupInput } from './messages';
import { packReports, PACKED_REPORTS_PATCH, type GroupReports } from './report';
import { endStatus, groupOutcome } from './summaries';

/** After a cancel, how long accepted deletions are still polled so the report can say deleted. */
const CONFIRM_AFTER_CANCEL_MS = 2 * 60_000;

export async function deleteResourceGroup(input: ResourceGroupInput): Promise<GroupReports> {
  const ledger = new GroupLedger(input.kind, input.region ?? '', input.ids);
  let phase: TeardownPhase = 'preflight';
  const ctx = temporalGroupContext(input, ledger, (next) => (phase = next));
  setHandler(progressQuery, () => {
    const resources = ledger.all();
    return { status: 'running', phase, totals: computeTotals(resources), resources };
  });
  const reports = await runGroup(ctx);
  return patched(PACKED_REPORTS_PATCH) ? { packed: packReports(reports) } : reports;
}

/** The phases in order; a cancel ends them, confirms what was accepted, and reports what stands. */
export async function runGroup(ctx: GroupContext): Promise<ResourceReport[]> {
  if (ctx.input.account && ctx.patched(ACCOUNTS_PATCH) && !(await accountKnown(ctx))) {
    await ctx.shielded(() => ctx.report('done', groupOutcome(ctx.ledger.all()), 'failed'));
    return ctx.ledger.all();
  }
  try {
    const assessments = await preflight(ctx, ctx.input.ids);
    if (ctx.input.dryRun) {
      await dryRun(ctx, assessments);
    } else {
      // Ready resources are deleted while others are still being stopped or converted.
      ctx.handoff.preparing = true;
      await settleAll([prepare(ctx, assessments), deleteAndConfirm(ctx)]);
      sweepUnfinished(ctx);
    }
  } catch (err) {
    // Cancelled: in-flight calls finished (they ran in their own scopes); report what stands.
    if (!isCancellation(err)) throw err;
    await ctx.shielded(() => confirmAccepted(ctx));
    for (const id of ctx.ledger.pendingIds())
      ctx.ledger.update(id, { message: 'not deleted: the teardown was cancelled' });
    const details = `cancelled; ${groupOutcome(ctx.ledger.all())}`;
    await ctx.shielded(() => ctx.report('done', details, 'cancelled'));
    return ctx.ledger.all();
  }
  const all = ctx.ledger.all();
  const status = ctx.input.dryRun ? 'dry-run' : endStatus(computeTotals(all));
  await ctx.shielded(() => ctx.report('done', groupOutcome(all), status));
  return ctx.ledger.all();
}

/** An account the worker does not know fails every id with UnknownAccount, nothing sent. */
async function accountKnown(ctx: GroupContext): Promise<boolean> {
  try {
    await ctx.calls.checkAccount();
    return true;
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.ledger.abortWith(describeFailure(err));
    return false;
  }
}

/**
 * Deletions the provider already accepted are not undone by a cancel: confirm them (no new
 * deletes are sent), so the report says deleted rather than "not deleted". Bounded: a cancel
 * should end soon, not wait out a long deadline.
 */
async function confirmAccepted(ctx: GroupContext): Promise<void> {
  let interval = ctx.input.pollIntervalMs;
  const until = Math.min(ctx.input.deadlineAt, ctx.now() + CONFIRM_AFTER_CANCEL_MS);
  while (ctx.handoff.awaiting.size > 0 && ctx.now() < until && !ctx.ledger.fatal) {
    await ctx.pause(interval);
    interval = backoff(interval, 1.5, ctx.input.maxPollIntervalMs);
    await pollAll(ctx);
  }
}

/** A resource that changed state mid-way (restarted, say) is neither deleted nor left pending silently. */
function sweepUnfinished(ctx: GroupContext): void {
  for (const id of ctx.ledger.pendingIds()) {
    const status = ctx.ledger.get(id)?.status;
    ctx.ledger.fail(id, {
      code: 'StateChanged',
      message: `not deleted: its state changed during the teardown${status ? ` (now ${status})` : ''}; run the teardown again`,
    });
  }
}
