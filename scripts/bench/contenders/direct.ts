// The direct batched SDK script (no Temporal): every batch runs its own pipeline at once —
// describe, prepare what needs it, delete in the provider's largest batches, poll until gone —
// throttled only by the per-action limiter and backed off when the provider says so.
import { describeLimitOf, KINDS } from '../../../src/kinds';
import type { Assessment, DeleteAnswer } from '../../../src/providers/types';
import type { Target } from '../workloads';
import { pollUntilDone, sleep, type SdkRunner } from './sdk-common';

export interface ContenderOutcome {
  deleted: number;
  failed: Array<{ id: string; why: string }>;
}

const chunk = <T>(xs: T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

const DEADLINE_MS = 10 * 60_000;

export async function runDirect(runner: SdkRunner, targets: Target[]): Promise<ContenderOutcome> {
  const outcome: ContenderOutcome = { deleted: 0, failed: [] };
  const pipelines = targets.flatMap((t) =>
    chunk(t.ids, describeLimitOf(KINDS[t.kind]!)).map((ids) => batchPipeline(runner, t, ids, outcome)),
  );
  await Promise.all(pipelines);
  return outcome;
}

async function batchPipeline(runner: SdkRunner, t: Target, ids: string[], out: ContenderOutcome) {
  const meta = KINDS[t.kind];
  const provider = runner.provider(t.kind);
  const ctx = runner.ctx(t);
  const options = { force: false, convertPrepaid: false };
  const fail = (list: string[], err: unknown) =>
    out.failed.push(...list.map((id) => ({ id, why: err instanceof Error ? err.message : String(err) })));

  // Describe until every id is deletable (preparing those that need a stop or a conversion).
  const ready: string[] = [];
  let pending = ids;
  for (let round = 0; pending.length > 0 && round < 60; round++) {
    let assessments: Assessment[];
    try {
      assessments = await runner.call(t.kind, meta.calls.describe, () =>
        provider.describe(ctx, pending, options),
      );
    } catch (err) {
      fail(pending, err);
      return;
    }
    ready.push(...assessments.filter((a) => a.state === 'ready').map((a) => a.id));
    for (const a of assessments) if (a.state === 'gone') out.deleted++;
    for (const a of assessments) if (a.state === 'blocked') out.failed.push({ id: a.id, why: a.errorCode });
    const steps = new Map<string, string[]>();
    for (const a of assessments)
      if (a.state === 'needs-prepare') steps.set(a.step, [...(steps.get(a.step) ?? []), a.id]);
    for (const [step, stepIds] of steps) {
      const action = meta.calls.prepare?.[step] ?? step;
      for (const batch of chunk(stepIds, meta.prepareLimit))
        await runner.call(t.kind, action, () =>
          provider.prepare!(ctx, step, batch, `bench-${step}-${batch[0]}-${round}`),
        );
    }
    pending = assessments
      .filter((a) => a.state === 'needs-prepare' || a.state === 'transitional')
      .map((a) => a.id);
    if (pending.length > 0) await sleep(1_000);
  }
  if (pending.length > 0) fail(pending, new Error('never became deletable'));

  // A listing kind (MS) pays for the whole listing per poll: its accepted ids are polled
  // together once every batch is sent, not one listing per delete batch.
  const listing = Boolean(meta.describesByListing);
  const pollAccepted = async (accepted: string[], tracking: string | undefined) => {
    let waiting = accepted;
    const left = await pollUntilDone(
      async () => {
        const polled = await runner.call(t.kind, meta.calls.poll, () =>
          provider.poll(ctx, waiting, tracking),
        );
        const gone = polled.filter((p) => p.result === 'gone').map((p) => p.id);
        for (const p of polled)
          if (p.result === 'failed' || p.result === 'reissue') out.failed.push({ id: p.id, why: p.status });
        out.deleted += gone.length;
        waiting = polled.filter((p) => p.result === 'pending').map((p) => p.id);
        return { pending: waiting, done: gone };
      },
      { firstMs: 500, maxMs: 4_000, deadlineMs: DEADLINE_MS },
    );
    fail(left, new Error('not gone by the deadline'));
  };
  const acceptedAll: string[] = [];
  await Promise.all(
    chunk(ready, meta.batchLimit).map(async (batch) => {
      let answer: DeleteAnswer;
      try {
        answer = await runner.call(t.kind, meta.calls.delete, () =>
          provider.delete(ctx, batch, `bench-direct-${batch[0]}-${batch.length}`, options),
        );
      } catch (err) {
        fail(batch, err);
        return;
      }
      const accepted = answer.outcomes.filter((o) => o.result === 'accepted').map((o) => o.id);
      out.deleted += answer.outcomes.filter((o) => o.result === 'gone').length;
      for (const o of answer.outcomes)
        if (o.result === 'failed' || o.result === 'retry') out.failed.push({ id: o.id, why: o.errorCode });
      if (listing) acceptedAll.push(...accepted);
      else await pollAccepted(accepted, answer.tracking);
    }),
  );
  if (listing && acceptedAll.length > 0) await pollAccepted(acceptedAll, undefined);
}
