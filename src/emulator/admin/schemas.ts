// zod schemas of everything the admin API (in-process and /_emulator/...) accepts.
import { z } from 'zod';

/** Bad admin input: answered 400 with the message (which names the field). */
export class AdminInputError extends Error {}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new AdminInputError(`invalid ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

export const providerSchema = z.enum(['tencentcloud', 'alibabacloud', 'volcengine']);
const nonNegative = z.number().finite().nonnegative();
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

const scheduledChangeSchema = z.strictObject({
  afterMs: nonNegative,
  status: z.string().min(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  remove: z.boolean().optional(),
});

export const seedSchema = z.strictObject({
  type: z.string().min(1),
  id: z.string().min(1),
  account: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  name: z.string().optional(),
  createdAt: isoDate.optional(),
  then: z.array(scheduledChangeSchema).optional(),
});

export const seedBodySchema = z.strictObject({ resources: z.array(seedSchema) });

export const faultFields = z.strictObject({
  provider: providerSchema.optional(),
  action: z.string().min(1),
  code: z.string().min(1),
  httpStatus: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  count: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  resourceId: z.string().min(1).optional(),
});

export const faultSchema = faultFields.refine(
  (f) => !(f.count !== undefined && f.probability !== undefined),
  {
    message: 'give either count or probability, not both',
  },
);

export const faultListSchema = z.strictObject({ faults: z.array(faultSchema) });

export const settingsSchema = z.strictObject({
  latencyMs: nonNegative.optional(),
  latencyByAction: z.record(z.string(), nonNegative).optional(),
  quotaPerSecond: nonNegative.optional(),
  quotaByAction: z.record(z.string(), nonNegative).optional(),
  durations: z.record(z.string(), nonNegative).optional(),
  clockSkewSeconds: nonNegative.optional(),
  clientTokenTtlSeconds: nonNegative.optional(),
  modelChecks: z.boolean().optional(),
});

export const callsQuerySchema = z.strictObject({
  action: z.string().min(1).optional(),
  clientToken: z.string().min(1).optional(),
  provider: z.union([providerSchema, z.literal('unknown')]).optional(),
});

/** A point in time: ms since the epoch or an ISO date. */
const instantSchema = z.union([z.number().finite(), isoDate.transform((s) => Date.parse(s))]);

/** POST /_emulator/clock/{freeze,advance,set}: the time to freeze at, the step, the new time. */
export const clockFreezeSchema = z.strictObject({ at: instantSchema.optional() });
export const clockAdvanceSchema = z.strictObject({ ms: nonNegative });
export const clockSetSchema = z.strictObject({ at: instantSchema });
