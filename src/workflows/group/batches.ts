// How a group sends a step's read-only batches (describe, poll): all in flight together, so the per-action task queue's rate
// limit (held by the server at the provider's quota) is the only throttle. Histories recorded before
// this change sent them one after another and replay that way.
import type { KindMeta } from '../../providers/kind';
import type { GroupContext } from './context';

/** The patch id of concurrent describe and poll batches and of children started together. */
export const CONCURRENT_BATCHES = 'concurrent-batches';

/**
 * The patch id of listing kinds (KindMeta.describesByListing) described a whole group per call and
 * grouped `groupLimit` ids a child; older histories used describeLimit and GROUP_SIZE.
 */
export const DESCRIBE_BY_LISTING = 'describe-by-listing';

/** Most ids one describe or poll batch of this group carries. */
export function describeBatchLimit(ctx: Pick<GroupContext, 'patched' | 'meta'>): number {
  const listing = ctx.meta.describesByListing;
  return listing && ctx.patched(DESCRIBE_BY_LISTING) ? listing.groupLimit : ctx.meta.describeLimit;
}

/** Most ids one child of this kind takes (patched() decides, so call it from workflow code only). */
export function groupLimitOf(meta: KindMeta, groupSize: number, patched: (id: string) => boolean): number {
  return meta.describesByListing && patched(DESCRIBE_BY_LISTING)
    ? meta.describesByListing.groupLimit
    : groupSize;
}

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
