// Step 2: an authenticated call is in flight until it is answered (Emulator.inFlight()).
import { callOf, type GatewayStep } from './chain';

export const inFlightStep: GatewayStep = {
  name: 'in-flight',
  request(ex, core) {
    const call = callOf(ex);
    core.inFlight.set(ex.requestId, {
      provider: call.provider,
      service: call.service,
      action: call.action,
      clientToken: ex.clientToken,
      since: core.clock.now(),
    });
    return undefined;
  },
  response(ex, _answer, core) {
    core.inFlight.delete(ex.requestId);
  },
};
