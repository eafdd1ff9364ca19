// Step 3: per account and action flow control, answered with the provider's throttling code.
import { perAction } from '../settings';
import { callOf, fail, type GatewayStep } from './chain';

export const quotaStep: GatewayStep = {
  name: 'quota',
  request(ex, core) {
    const call = callOf(ex);
    const rate = perAction(core.settings.quotaByAction, call) ?? core.settings.quotaPerSecond;
    const key = `${call.account}|${call.provider}|${call.service}|${call.action}`;
    if (core.quota.take(key, rate, core.clock.now())) return undefined;
    return fail(ex.family.throttled(call), 'throttled');
  },
};
