// The gateway as a chain of small steps, in the manner of LocalStack's handler chain: each step
// looks at the exchange and either lets it through or answers it; once an answer is known, the
// steps that ran see it in reverse order (to remember a ClientToken, end an in-flight call).
import type { CallKind } from '../call-log';
import type { EmulatorCore } from '../core';
import {
  EmulatorApiError,
  type ApiCall,
  type CloudFamily,
  type ProductHandler,
  type RawRequest,
} from '../types';

export type Outcome = { ok: true; payload: unknown } | { ok: false; error: EmulatorApiError };

/** An answer and what kind of answer it is (for the call log's counters). */
export interface Answer {
  outcome: Outcome;
  kind: CallKind;
}

/** One request on its way through the chain; steps fill in what they learn. */
export interface Exchange {
  readonly family: CloudFamily;
  readonly raw: RawRequest;
  readonly requestId: string;
  /** Set by the authenticate step. */
  call?: ApiCall;
  /** The product serving the call's service and version, if any (authenticate step). */
  product?: ProductHandler;
  /** The call's ClientToken, when it sent a non-empty one. */
  clientToken?: string;
}

export interface GatewayStep {
  readonly name: string;
  /** Answers the exchange (the chain stops here) or returns nothing to let it through. */
  request(ex: Exchange, core: EmulatorCore): Answer | undefined | Promise<Answer | undefined>;
  /** Sees the final answer, for every step whose request ran, last step first. */
  response?(ex: Exchange, answer: Answer, core: EmulatorCore): void;
}

export function answer(outcome: Outcome, kind: CallKind = 'normal'): Answer {
  return { outcome, kind };
}

export const fail = (error: EmulatorApiError, kind: CallKind = 'normal'): Answer =>
  answer({ ok: false, error }, kind);

export function internalError(): EmulatorApiError {
  return new EmulatorApiError(
    500,
    'InternalError',
    'The request processing has failed due to some unknown error, exception or failure.',
  );
}

/** A provider error stays what it is; anything else thrown is the emulator's bug: InternalError. */
export function answerForThrown(err: unknown, where: string): Answer {
  if (err instanceof EmulatorApiError) return fail(err);
  console.error(`[emulator] ${where} failed`, err);
  return fail(internalError());
}

/** The exchange's call; a step placed after authenticate can rely on it. */
export function callOf(ex: Exchange): ApiCall {
  if (!ex.call) throw new Error('gateway step placed before authenticate');
  return ex.call;
}

export async function runChain(
  steps: readonly GatewayStep[],
  ex: Exchange,
  core: EmulatorCore,
): Promise<Answer> {
  const ran: GatewayStep[] = [];
  let result: Answer | undefined;
  for (const step of steps) {
    ran.push(step);
    try {
      result = await step.request(ex, core);
    } catch (err) {
      const action = ex.call ? `${ex.call.service}.${ex.call.action}` : step.name;
      result = answerForThrown(err, action);
    }
    if (result) break;
  }
  // The last step (the product handler) always answers; an empty chain is a wiring bug.
  const final = result ?? fail(internalError());
  for (const step of ran.reverse()) step.response?.(ex, final, core);
  return final;
}
