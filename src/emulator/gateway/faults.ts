// Step 4: injected faults (the next N calls of an action, or each with a probability).
import { callOf, fail, type GatewayStep } from './chain';

export const faultsStep: GatewayStep = {
  name: 'faults',
  request(ex, core) {
    const fault = core.faults.match(callOf(ex));
    return fault ? fail(fault, 'injected') : undefined;
  },
};
