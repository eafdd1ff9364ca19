// Step 1: the family checks the signature (skew against the emulator's clock, nonces) and
// resolves account, product, action and parameters; refusals carry the provider's auth codes.
import { findEmulatorAccount } from '../accounts';
import { findTemporaryKeys } from '../sts';
import type { GatewayStep } from './chain';

export const authenticateStep: GatewayStep = {
  name: 'authenticate',
  request(ex, core) {
    const call = ex.family.authenticate(ex.raw, {
      findAccount: (accessKeyId) =>
        findEmulatorAccount(ex.family.provider, accessKeyId) ??
        findTemporaryKeys(core.productMemory.get(`${ex.family.provider}.sts`), accessKeyId),
      products: core.products,
      now: core.clock.now(),
      requestId: ex.requestId,
      clockSkewSeconds: core.settings.clockSkewSeconds,
      rememberNonce: (key) => core.nonces.remember(key),
    });
    ex.call = call;
    ex.product = core.products.find(
      (p) => p.provider === call.provider && p.service === call.service && p.version === call.version,
    );
    const token = call.params.ClientToken;
    if (typeof token === 'string' && token !== '') ex.clientToken = token;
    return undefined;
  },
};
