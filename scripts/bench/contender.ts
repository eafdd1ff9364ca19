// One no-Temporal contender in its own process (so its CPU and memory are its own):
// `tsx scripts/bench/contender.ts <direct|loop> <plan.json>`; credentials and the endpoint come
// from the environment like the worker's. Prints one line `RESULT {json}`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KIND_NAMES } from '../../src/kinds';
import { runDirect } from './contenders/direct';
import { runLoop } from './contenders/loop';
import { sdkRunner } from './contenders/sdk-common';

const planSchema = z.object({
  targets: z.array(
    z.object({
      kind: z.enum(KIND_NAMES),
      region: z.string().optional(),
      appId: z.string().optional(),
      ids: z.array(z.string()),
    }),
  ),
  ratePerSecond: z.number().positive(),
});

export interface ContenderResult {
  wallMs: number;
  deleted: number;
  failed: number;
  failures: Array<{ id: string; why: string }>;
  calls: number;
  retries: number;
  throttledSeen: number;
  cpuSeconds: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [which, planFile] = process.argv.slice(2);
  if ((which !== 'direct' && which !== 'loop') || !planFile)
    throw new Error('usage: contender.ts <direct|loop> <plan.json>');
  const plan = planSchema.parse(JSON.parse(readFileSync(planFile, 'utf8')));
  const runner = sdkRunner(process.env, { ratePerSecond: plan.ratePerSecond, limit: true });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const outcome = await (which === 'direct' ? runDirect : runLoop)(runner, plan.targets);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const result: ContenderResult = {
    wallMs,
    deleted: outcome.deleted,
    failed: outcome.failed.length,
    failures: outcome.failed.slice(0, 10),
    calls: runner.stats.calls,
    retries: runner.stats.retries,
    throttledSeen: runner.stats.throttled,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`contender failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
