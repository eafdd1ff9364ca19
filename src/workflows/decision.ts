// Approve and reject, as update or as signal: one reading of the argument and one set of rules
// for both, so the two ways in never disagree.
import type { TeardownStatus } from '../contract';

export type Decision = { approved: true; by: string } | { approved: false; by: string; reason: string };
export type DecisionKind = 'approve' | 'reject';

export interface DecisionState {
  status: TeardownStatus;
  decision?: Decision;
  requireApproval?: boolean;
}

/** The decision an `approve` ({ approvedBy }) or `reject` ({ rejectedBy, reason }) argument asks for. */
export function readDecision(kind: DecisionKind, arg: unknown): Decision {
  const a = (arg ?? {}) as { approvedBy?: unknown; rejectedBy?: unknown; reason?: unknown };
  return kind === 'approve'
    ? { approved: true, by: String(a.approvedBy ?? '') }
    : { approved: false, by: String(a.rejectedBy ?? ''), reason: String(a.reason ?? '') };
}

/** Throws (an update is refused, a signal ignored) unless this decision may be taken now. */
export function checkDecision(kind: DecisionKind, arg: unknown, state: DecisionState): Decision {
  const decision = readDecision(kind, arg);
  if (!decision.by.trim())
    throw new Error(`${kind === 'approve' ? 'approvedBy' : 'rejectedBy'}: must name who decides`);
  if (!state.requireApproval)
    throw new Error('this teardown was started without requireApproval; nothing to decide');
  if (state.decision !== undefined) throw new Error('this teardown has already been decided');
  if (state.status !== 'awaiting-approval') {
    throw new Error(
      `this teardown is ${state.status}; it can be approved or rejected once its preflight is done`,
    );
  }
  if (!decision.approved && !decision.reason.trim())
    throw new Error('reason: must say why the teardown is rejected');
  return decision;
}
