// Step 6: the configured latency, in real time (it stands for the network and the provider's
// own processing, which a test observes in flight; the emulator's clock does not move it).
import { perAction } from '../settings';
import { callOf, type GatewayStep } from './chain';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const latencyStep: GatewayStep = {
  name: 'latency',
  async request(ex, core) {
    const latency = perAction(core.settings.latencyByAction, callOf(ex)) ?? core.settings.latencyMs;
    if (latency > 0) await sleep(latency);
    return undefined;
  },
};
