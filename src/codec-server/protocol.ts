// The Temporal codec server protocol: POST /encode and POST /decode with `{"payloads":[...]}`, each
// payload in proto3 JSON (`metadata` values and `data` in base64), the namespace in `X-Namespace`.
// The answer has the same shape.
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const codecRequestSchema = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), base64).nullish(),
        data: base64.nullish(),
      }),
    )
    .max(10_000, 'at most 10,000 payloads per request'),
});

export type JsonPayload = z.infer<typeof codecRequestSchema>['payloads'][number];

export function fromJsonPayload({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function toJsonPayload({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}

/** "payloads[3].data: must be base64" from a zod error. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const where = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return where ? `${where}: ${issue.message}` : issue.message;
}
