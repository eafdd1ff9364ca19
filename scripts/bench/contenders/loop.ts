// The per-resource loop: how Terraform destroy (10 resources at a time, its default parallelism)
// and aws-nuke delete — one resource per call: describe it, prepare it if needed, delete it, wait
// until it is gone, then take the next. Same SDK calls, limiter and back-off as the direct script.
import { KINDS } from '../../../src/kinds';
import type { Target } from '../workloads';
import type { ContenderOutcome } from './direct';
import { pollUntilDone, sleep, type SdkRunner } from './sdk-common';

export const LOOP_PARALLELISM = 10;
const DEADLINE_MS = 10 * 60_000;

export async function runLoop(runner: SdkRunner, targets: Target[]): Promise<ContenderOutcome> {
  const outcome: ContenderOutcome = { deleted: 0, failed: [] };
  const queue = targets.flatMap((t) => t.ids.map((id) => ({ t, id })));
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        if (await deleteOne(runner, item.t, item.id)) outcome.deleted++;
        else outcome.failed.push({ id: item.id, why: 'not deleted' });
      } catch (err) {
        outcome.failed.push({ id: item.id, why: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: LOOP_PARALLELISM }, worker));
  return outcome;
}

async function deleteOne(runner: SdkRunner, t: Target, id: string): Promise<boolean> {
  const meta = KINDS[t.kind];
  const provider = runner.provider(t.kind);
  const ctx = runner.ctx(t);
  const options = { force: false, convertPrepaid: false };
  for (let round = 0; round < 60; round++) {
    const [a] = await runner.call(t.kind, meta.calls.describe, () => provider.describe(ctx, [id], options));
    if (!a || a.state === 'gone') return true;
    if (a.state === 'blocked') return false;
    if (a.state === 'ready') break;
    if (a.state === 'needs-prepare') {
      const action = meta.calls.prepare?.[a.step] ?? a.step;
      await runner.call(t.kind, action, () =>
        provider.prepare!(ctx, a.step, [id], `bench-loop-${a.step}-${id}-${round}`),
      );
    }
    await sleep(1_000);
  }
  const answer = await runner.call(t.kind, meta.calls.delete, () =>
    provider.delete(ctx, [id], `bench-loop-${id}`, options),
  );
  const [o] = answer.outcomes;
  if (!o || o.result === 'gone') return true;
  if (o.result !== 'accepted') return false;
  const left = await pollUntilDone(
    async () => {
      const [p] = await runner.call(t.kind, meta.calls.poll, () => provider.poll(ctx, [id], answer.tracking));
      if (p?.result === 'pending') return { pending: [id], done: [] };
      if (p && p.result !== 'gone') throw new Error(`${id}: ${p.status}`);
      return { pending: [], done: [id] };
    },
    { firstMs: 500, maxMs: 4_000, deadlineMs: DEADLINE_MS },
  );
  return left.length === 0;
}
