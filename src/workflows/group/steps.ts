// The decisions of a resource group, as pure functions over what the provider answered (in the
// manner of cloud-nuke's small deleters): which ids to re-send, when to split a refused batch, when
// a refusal is really about our ids. No Temporal API here, so test/workflows/steps.test.ts runs them
// with fake activity results and no server.
import type { KindMeta } from '../../kinds';
import type { Assessment, CallOutcome } from '../../providers/types';
import type { CallFailure } from '../failures';

/** An activity gets at least this long even when the deadline is closer (so it can report why). */
export const MIN_CALL_WINDOW_MS = 5_000;

/** Splits a batch in two halves (the first one larger), to find the id a provider refuses. */
export function bisect<T>(ids: readonly T[]): [T[], T[]] {
  const half = Math.ceil(ids.length / 2);
  return [ids.slice(0, half), ids.slice(half)];
}

/**
 * The first wait after a delete round: the providers' deletions take about a second (longer ones
 * are caught by the back-off that follows), so the first poll goes out then, not a whole poll
 * interval later.
 */
export const FIRST_POLL_MS = 1_000;

export function firstPollDelayMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, FIRST_POLL_MS);
}

/** The next poll interval: grows by `factor`, never past `max`. */
export function backoff(intervalMs: number, factor: number, maxMs: number): number {
  return Math.min(Math.round(intervalMs * factor), maxMs);
}

/** The kind's prepare steps in the order they must run (kind metadata declares it). */
export function prepareStepOrder(meta: KindMeta): readonly string[] {
  return Object.keys(meta.calls.prepare ?? {});
}

/**
 * The prepare steps the waiting resources need, in the declared order; steps the metadata does not
 * name come last, in the order the resources asked for them.
 */
export function stepsInOrder(waiting: readonly Assessment[], declared: readonly string[]): string[] {
  const needed = stepsAsked(waiting);
  return [...declared.filter((s) => needed.includes(s)), ...needed.filter((s) => !declared.includes(s))];
}

/** The steps in the order the resources first asked for them (the order before steps were declared). */
export function stepsAsked(waiting: readonly Assessment[]): string[] {
  const steps: string[] = [];
  for (const a of waiting) if (a.state === 'needs-prepare' && !steps.includes(a.step)) steps.push(a.step);
  return steps;
}

/** "2 stop (Running), 1 Stopping": what a group waits for while preparing. */
export function summariseWaiting(waiting: readonly Assessment[]): string {
  const counts = new Map<string, number>();
  for (const a of waiting) {
    const label =
      a.state === 'needs-prepare' ? `${a.step} (${a.status})` : 'status' in a ? a.status : a.state;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

/** What a dry run says about a resource that will be deleted (undefined: nothing to add). */
export function wouldDeleteMessage(a: Assessment): string | undefined {
  if (a.state === 'needs-prepare') return `would ${a.step} it first (now ${a.status})`;
  if (a.state === 'transitional') return `would wait for it to leave ${a.status}`;
  return undefined;
}

export type DryRunVerdict =
  | { action: 'split'; batches: [string[], string[]] }
  | { action: 'gone' }
  | { action: 'fail' };

/** A provider that refuses a whole dry-run batch for one id's sake must not blame the others. */
export function afterRefusedDryRun(failure: Pick<CallFailure, 'errorClass'>, ids: string[]): DryRunVerdict {
  if (ids.length > 1 && failure.errorClass !== 'auth') return { action: 'split', batches: bisect(ids) };
  return failure.errorClass === 'gone' ? { action: 'gone' } : { action: 'fail' };
}

/** The ids of a delete answer, sorted by what happens next. */
export interface SortedDeleteAnswer {
  accepted: string[];
  gone: string[];
  /** Re-sent in the next round, with a new generation (and so a new ClientToken). */
  resend: Array<Extract<CallOutcome, { result: 'retry' }>>;
  failed: Array<Extract<CallOutcome, { result: 'failed' }>>;
}

export function sortDeleteAnswer(
  outcomes: readonly CallOutcome[],
  isPending: (id: string) => boolean,
): SortedDeleteAnswer {
  const sorted: SortedDeleteAnswer = { accepted: [], gone: [], resend: [], failed: [] };
  for (const o of outcomes) {
    if (!isPending(o.id)) continue;
    if (o.result === 'accepted') sorted.accepted.push(o.id);
    else if (o.result === 'gone') sorted.gone.push(o.id);
    else if (o.result === 'retry') sorted.resend.push(o);
    else sorted.failed.push(o);
  }
  return sorted;
}

export type RefusedDelete =
  /** Credentials refused: nothing more is sent for this group. */
  | { action: 'abort' }
  /** Busy or throttled with time left: send the batch again in the next round. */
  | { action: 'resend' }
  /** Describe the ids again before blaming them; absent ones count as `goneMeans`. */
  | { action: 'confirm'; goneMeans: 'already-gone' | 'deleted' };

/** What to do after a whole delete call failed (Temporal's retries included). */
export function afterRefusedDelete(
  failure: Pick<CallFailure, 'errorClass'>,
  remainingMs: number,
): RefusedDelete {
  if (failure.errorClass === 'auth') return { action: 'abort' };
  if (
    (failure.errorClass === 'busy' || failure.errorClass === 'throttled') &&
    remainingMs > MIN_CALL_WINDOW_MS
  ) {
    // Temporal stops retrying when the next back-off would pass the call's window; there is
    // still time before the deadline, so send these again later (new generation).
    return { action: 'resend' };
  }
  // An earlier call of ours whose answer was lost (a crash, a timeout) may have deleted some, or
  // one id of an all-or-nothing batch vanished: look again first.
  return { action: 'confirm', goneMeans: failure.errorClass === 'gone' ? 'already-gone' : 'deleted' };
}

/** The ids a describe found still there and deletable (ready, or on their way to it). */
export function stillThere(live: readonly Assessment[]): string[] {
  return live.filter((a) => a.state === 'ready' || a.state === 'transitional').map((a) => a.id);
}

export type BlameVerdict =
  | { action: 'settled' }
  | { action: 'resend'; ids: string[] }
  | { action: 'split'; batches: [string[], string[]] }
  | { action: 'blame'; ids: string[] };

/**
 * Confirm before blaming: a refused batch was described again and `still` are the ids still there.
 * Some vanished (or the provider said gone): the rest are sent again. All still there and refused
 * for good: split, so only the culprit is blamed. Otherwise the refusal is theirs.
 */
export function blameAfterConfirm(
  failure: Pick<CallFailure, 'errorClass'>,
  sent: readonly string[],
  still: string[],
): BlameVerdict {
  if (still.length === 0) return { action: 'settled' };
  if (failure.errorClass === 'gone' || still.length < sent.length) return { action: 'resend', ids: still };
  if (still.length > 1 && (failure.errorClass === 'permanent' || failure.errorClass === 'needs-operator')) {
    return { action: 'split', batches: bisect(still) };
  }
  // Retries exhausted (transient), the deadline passed while busy, or refused for this id.
  return { action: 'blame', ids: still };
}

/** Accepted deletions grouped by what the provider answered to poll them with. */
export function byTracking(
  awaiting: ReadonlyMap<string, string | undefined>,
): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, string[]>();
  for (const [id, tracking] of awaiting) groups.set(tracking, [...(groups.get(tracking) ?? []), id]);
  return groups;
}
