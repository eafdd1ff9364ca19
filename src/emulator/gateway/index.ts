// The gateway: a cloud request runs through the steps below, then the family renders the answer
// in the provider's envelope and the call log records it. Nothing a client sends may crash it.
import { randomUUID } from 'node:crypto';
import type { EmulatorCore } from '../core';
import { EmulatorApiError, type CloudFamily, type RawRequest, type RenderedResponse } from '../types';
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

/** The family whose signature scheme the request is in; a family whose check throws does not match. */
function familyOf(core: EmulatorCore, raw: RawRequest): CloudFamily | undefined {
  return core.families.find((f) => {
    try {
      return f.matches(raw);
    } catch {
      return false;
    }
  });
}

/** The answer to a request in no family's scheme (there is no provider to answer as). */
const UNRECOGNIZED: RenderedResponse = {
  status: 400,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({
    Error: {
      Code: 'UnrecognizedRequest',
      Message:
        'The request is not signed with any scheme the emulator serves (ACS3/RPC, TC3, Volcengine HMAC-SHA256).',
    },
  }),
};

/** Any cloud request, as the HTTP server hands it over: its family answers it, in its own envelope. */
export async function answerCloudRequest(
  core: EmulatorCore,
  steps: readonly GatewayStep[],
  raw: RawRequest,
): Promise<RenderedResponse> {
  const family = familyOf(core, raw);
  return family ? serveCloudRequest(core, steps, family, raw) : UNRECOGNIZED;
}

/**
 * A request whose body could not be read (too large, or the client went away): refused in the
 * envelope of the family its headers and query name, before any step runs.
 */
export function answerUnreadableBody(
  core: EmulatorCore,
  raw: RawRequest,
  tooLarge: boolean,
): RenderedResponse {
  const family = familyOf(core, raw);
  if (!family) return UNRECOGNIZED;
  const error =
    family.bodyRefused?.(tooLarge) ??
    new EmulatorApiError(tooLarge ? 413 : 400, 'InvalidParameter', 'The request body could not be read.');
  const requestId = family.newRequestId?.() ?? randomUUID();
  const ex: Exchange = { family, raw, requestId };
  const final: Answer = { outcome: { ok: false, error }, kind: 'normal' };
  const rendered = render(ex, final);
  record(core, ex, final, rendered);
  return rendered;
}
