// How a group sends a step's read-only batches (describe, poll): all in flight together, so the per-action task queue's rate
// limit (held by the server at the provider's quota) is the only throttle. Histories recorded before
// this change sent them one after another and replay that way.
import type { GroupContext } from './context';

/** The patch id of concurrent describe and poll batches and of children started together. */
export const CONCURRENT_BATCHES = 'concurrent-batches';

/** Like Promise.all, but waits for every promise before passing on the first rejection. */
export async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** Runs `send` for every batch: together, or in order when replaying an older history. */
export async function eachBatch<T>(
  ctx: Pick<GroupContext, 'patched'>,
  batches: Iterable<T>,
  send: (batch: T) => Promise<void>,
): Promise<void> {
  if (ctx.patched(CONCURRENT_BATCHES)) {
    await settleAll([...batches].map(send));
    return;
  }
  for (const batch of batches) await send(batch);
}
