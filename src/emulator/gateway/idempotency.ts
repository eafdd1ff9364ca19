// Step 5: ClientToken semantics of the product's idempotent actions. Same token + same
// parameters replays the first answer, other parameters answer IdempotentParameterMismatch, a
// token still in flight answers the provider's "processing" code. Only successes are remembered.
import { paramsFingerprint } from '../idempotency';
import { EmulatorApiError } from '../types';
import { answer, callOf, fail, type Exchange, type GatewayStep } from './chain';

/** Token keys claimed by this step, per exchange, so the response knows what to complete. */
const claimed = new WeakMap<Exchange, string>();

function isValidClientToken(token: string): boolean {
  return token.length <= 64 && /^[\x20-\x7e]+$/.test(token);
}

export const idempotencyStep: GatewayStep = {
  name: 'idempotency',
  request(ex, core) {
    const call = callOf(ex);
    const token = ex.clientToken;
    if (token === undefined || !ex.product?.idempotentActions?.includes(call.action)) return undefined;
    if (!isValidClientToken(token)) {
      return fail(
        ex.family.invalidClientToken?.(call) ??
          new EmulatorApiError(
            400,
            'InvalidParameter',
            'The ClientToken must be at most 64 ASCII characters.',
          ),
      );
    }
    const key = [call.provider, call.account, call.service, call.action, token].join('\u0000');
    const decision = core.tokens.begin(key, paramsFingerprint(call.params));
    switch (decision.kind) {
      case 'mismatch':
        return fail(ex.family.idempotentParameterMismatch(call), 'mismatch');
      case 'processing':
        return fail(ex.family.idempotentProcessing(call), 'processing');
      case 'replay':
        return answer(decision.outcome, 'replay');
      case 'new':
        claimed.set(ex, key);
        return undefined;
    }
  },
  response(ex, final, core) {
    const key = claimed.get(ex);
    if (key === undefined) return;
    if (final.outcome.ok) core.tokens.complete(key, final.outcome);
    else core.tokens.release(key);
  },
};
