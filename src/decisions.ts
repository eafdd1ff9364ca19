// The arguments of the teardown's updates (and their signal twins), as other callers send them.
// Each update answers with the report (src/report.ts).
import { z } from 'zod';

export const approvalSchema = z.object({
  approvedBy: z.string().min(1, 'must name who approves'),
  comment: z.string().optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const rejectionSchema = z.object({
  rejectedBy: z.string().min(1, 'must name who rejects'),
  reason: z.string().min(1, 'must say why'),
});
export type Rejection = z.infer<typeof rejectionSchema>;

/** Moves the start time of a teardown still waiting for it; must be in the future. */
export const postponeSchema = z.object({
  until: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time like "2026-11-27T18:00:00Z"' }),
});
export type Postpone = z.infer<typeof postponeSchema>;
