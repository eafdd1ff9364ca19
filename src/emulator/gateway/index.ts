// The gateway: a cloud request runs through the steps below, then the family renders the answer
// in the provider's envelope and the call log records it. Nothing a client sends may crash it.
import { randomUUID } from 'node:crypto';
import type { EmulatorCore } from '../core';
import type { CloudFamily, RawRequest, RenderedResponse } from '../types';
import { authenticateStep } from './authenticate';
import { internalError, runChain, type Answer, type Exchange, type GatewayStep } from './chain';
import { faultsStep } from './faults';
import { handlerStep } from './handler';
import { idempotencyStep } from './idempotency';
import { inFlightStep } from './in-flight';
import { latencyStep } from './latency';
import { modelStep } from './model';
import { quotaStep } from './quota';

export type { Answer, Exchange, GatewayStep } from './chain';

/** The steps in order; a test may compose its own list. */
export const DEFAULT_STEPS: readonly GatewayStep[] = [
  authenticateStep,
  modelStep,
  inFlightStep,
  quotaStep,
  faultsStep,
  idempotencyStep,
  latencyStep,
  handlerStep,
];

function render(ex: Exchange, final: Answer): RenderedResponse {
  try {
    return ex.family.render(ex.call, final.outcome, ex.requestId);
  } catch (err) {
    // A payload that cannot be rendered is the emulator's bug: still answer in the family's shape.
    console.error('[emulator] render failed', err);
    try {
      return ex.family.render(ex.call, { ok: false, error: internalError() }, ex.requestId);
    } catch {
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          RequestId: ex.requestId,
          Code: 'InternalError',
          Message: 'The emulator failed to render the answer.',
        }),
      };
    }
  }
}

/** The action of a request that failed authentication, as far as the family can tell. */
function peekAction(ex: Exchange): string {
  try {
    return ex.family.peekAction?.(ex.raw) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function record(core: EmulatorCore, ex: Exchange, final: Answer, rendered: RenderedResponse): void {
  const call = ex.call;
  core.callLog.record(
    {
      at: core.clock.now(),
      provider: ex.family.provider,
      service: call?.service ?? '',
      action: call?.action ?? peekAction(ex),
      account: call?.account,
      clientToken: call ? ex.clientToken : undefined,
      params: call ? { ...call.params } : {},
      httpStatus: rendered.status,
      errorCode: final.outcome.ok ? undefined : final.outcome.error.code,
      injected: final.kind === 'injected' ? true : undefined,
      requestId: ex.requestId,
    },
    final.kind,
  );
}

export async function serveCloudRequest(
  core: EmulatorCore,
  steps: readonly GatewayStep[],
  family: CloudFamily,
  raw: RawRequest,
): Promise<RenderedResponse> {
  const ex: Exchange = { family, raw, requestId: family.newRequestId?.() ?? randomUUID() };
  const final = await runChain(steps, ex, core);
  const rendered = render(ex, final);
  record(core, ex, final, rendered);
  return rendered;
}
