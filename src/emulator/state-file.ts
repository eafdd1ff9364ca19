// The emulator's state as a file (design.md section 8): resources with their pending transitions,
// answered ClientTokens, products' memory (change orders, delete tasks), faults, settings, the
// clock and the call log. A resumed emulator carries on where the saved one stopped; transitions
// that fell due while it was down have happened, as they would have on the real cloud.
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AdminInputError, faultFields, providerSchema } from './admin/schemas';
import type { EmulatorCore } from './core';

export const STATE_FORMAT = 'cloud-teardown-emulator-state/1';

const json = z.record(z.string(), z.unknown());

const resourceSchema = z.strictObject({
  type: z.string().min(1),
  account: z.string().min(1),
  region: z.string(),
  id: z.string().min(1),
  status: z.string(),
  attributes: json,
  tags: z.record(z.string(), z.string()),
  name: z.string(),
  createdAt: z.string(),
});

const pendingSchema = z.strictObject({
  at: z.number().finite(),
  channel: z.string(),
  change: z.strictObject({
    status: z.string().optional(),
    attributes: json.optional(),
    remove: z.boolean().optional(),
  }),
});

const callEntrySchema = z.strictObject({
  seq: z.number().int(),
  at: z.number(),
  provider: z.union([providerSchema, z.literal('unknown')]),
  service: z.string(),
  action: z.string(),
  account: z.string().optional(),
  clientToken: z.string().optional(),
  params: json,
  httpStatus: z.number().int(),
  errorCode: z.string().optional(),
  injected: z.boolean().optional(),
  requestId: z.string(),
});

const countMap = z.record(z.string(), z.number());

const statsSchema = z.strictObject({
  totalCalls: z.number(),
  callsByAction: countMap,
  callsByProviderAction: countMap,
  errorsByCode: countMap,
  quotaBreaches: z.strictObject({
    total: z.number(),
    byAction: countMap,
    byAccount: countMap,
    byAccountAction: countMap,
  }),
  idempotentParameterMismatches: z.number(),
  idempotentProcessing: z.number(),
  idempotentReplays: z.number(),
  injectedFaults: z.number(),
});

export const snapshotSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  savedAt: z.number().finite(),
  clock: z.strictObject({ now: z.number(), frozen: z.boolean(), offsetMs: z.number() }),
  settings: z.strictObject({
    latencyMs: z.number(),
    latencyByAction: countMap,
    quotaPerSecond: z.number(),
    quotaByAction: countMap,
    durations: countMap,
    clockSkewSeconds: z.number(),
    clientTokenTtlSeconds: z.number(),
    modelChecks: z.boolean(),
  }),
  resources: z.array(z.strictObject({ resource: resourceSchema, pending: z.array(pendingSchema) })),
  tokens: z.array(
    z.strictObject({
      key: z.string(),
      paramsHash: z.string(),
      at: z.number(),
      outcome: z.strictObject({ ok: z.literal(true), payload: z.unknown() }),
    }),
  ),
  productMemory: z.record(z.string(), z.array(z.tuple([z.string(), z.unknown()]))),
  faults: z.array(faultFields.extend({ remaining: z.number().int().positive().optional() })),
  callLog: z.strictObject({ entries: z.array(callEntrySchema), seq: z.number().int(), stats: statsSchema }),
});

export type EmulatorSnapshot = z.infer<typeof snapshotSchema>;

export function takeSnapshot(core: EmulatorCore): EmulatorSnapshot {
  return {
    format: STATE_FORMAT,
    savedAt: core.clock.now(),
    clock: core.clock.state(),
    settings: structuredClone(core.settings),
    resources: core.store.save(),
    tokens: core.tokens.save(),
    productMemory: Object.fromEntries(
      [...core.productMemory].map(([product, memory]) => [product, structuredClone([...memory])]),
    ),
    faults: core.faults.list(),
    callLog: core.callLog.save(),
  };
}

/** Replaces everything the core holds with the snapshot; throws (changing nothing) when it is not one. */
export function restoreSnapshot(core: EmulatorCore, input: unknown, source = 'state'): void {
  const parsed = snapshotSchema.safeParse(input);
  if (!parsed.success)
    throw new AdminInputError(`invalid emulator ${source}: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  core.reset();
  core.clock.restore(s.clock);
  core.replaceSettings(s.settings);
  core.store.restore(s.resources);
  core.tokens.restore(s.tokens);
  for (const [product, entries] of Object.entries(s.productMemory))
    core.productMemory.set(product, new Map(entries));
  for (const { remaining, ...spec } of s.faults)
    core.faults.add(remaining === undefined ? spec : { ...spec, count: remaining });
  core.callLog.restore(s.callLog);
}

/** Writes the snapshot atomically (a reader never sees half a file). */
export async function saveStateFile(core: EmulatorCore, file: string): Promise<EmulatorSnapshot> {
  const snapshot = takeSnapshot(core);
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot));
  await rename(temporary, file);
  return snapshot;
}

/** Loads a state file; false when there is none yet (a first start). */
export async function loadStateFile(core: EmulatorCore, file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AdminInputError(`invalid emulator state file ${file}: not JSON`);
  }
  restoreSnapshot(core, parsed, `state file ${file}`);
  return true;
}
