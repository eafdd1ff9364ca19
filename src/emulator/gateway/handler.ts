// Last step: the product's action handler; its payload is copied so later store changes never
// alter a remembered answer.
import { EmulatorApiError } from '../types';
import { answer, callOf, type GatewayStep } from './chain';

export const handlerStep: GatewayStep = {
  name: 'handler',
  async request(ex, core) {
    const call = callOf(ex);
    const product = ex.product;
    const handler =
      product && Object.hasOwn(product.actions, call.action) ? product.actions[call.action] : undefined;
    if (!product || !handler) {
      throw new EmulatorApiError(
        404,
        'InvalidAction.NotFound',
        `The action ${call.action} is not served for ${call.service} ${call.version}.`,
      );
    }
    const payload = await handler(call, core.contextFor(product));
    return answer({ ok: true, payload: payload === undefined ? {} : structuredClone(payload) });
  },
};
