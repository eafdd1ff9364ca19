// The emulator's settings: core defaults, the durations each product declares, and patches
// merged key by key (so setting one duration keeps the others).
import type { ApiCall, EmulatorSettings, ProductHandler } from './types';

/** Settings patch: maps (durations, per-action values) are merged key by key. */
export type SettingsPatch = Partial<EmulatorSettings>;

export const CORE_DEFAULTS: Omit<EmulatorSettings, 'durations'> = {
  latencyMs: 0,
  latencyByAction: {},
  quotaPerSecond: 20,
  quotaByAction: {},
  clockSkewSeconds: 900,
  clientTokenTtlSeconds: 0,
  modelChecks: true,
};

/** The durations every product declares; two products declaring one name is a registry bug. */
export function productDurations(products: readonly ProductHandler[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const product of products) {
    for (const [name, ms] of Object.entries(product.durations ?? {})) {
      if (Object.hasOwn(out, name) && out[name] !== ms)
        throw new Error(`emulator products declare the duration ${name} twice (${out[name]} and ${ms} ms)`);
      out[name] = ms;
    }
  }
  return out;
}

/** The settings an emulator serving `products` starts from. */
export function defaultSettings(products: readonly ProductHandler[]): EmulatorSettings {
  return { ...structuredClone(CORE_DEFAULTS), durations: productDurations(products) };
}

export function mergeSettings(base: EmulatorSettings, patch: SettingsPatch): EmulatorSettings {
  return {
    ...base,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    latencyByAction: { ...base.latencyByAction, ...patch.latencyByAction },
    quotaByAction: { ...base.quotaByAction, ...patch.quotaByAction },
    durations: { ...base.durations, ...patch.durations },
  };
}

/** Per-action lookups accept 'provider.service.Action' or the bare action name. */
export function perAction(map: Record<string, number>, call: ApiCall): number | undefined {
  return map[`${call.provider}.${call.service}.${call.action}`] ?? map[call.action];
}

/** A product's table of named durations ({ stop: { name, defaultMs } }) as ProductHandler.durations. */
export function declaredDurations(
  table: Record<string, { name: string; defaultMs: number }>,
): Record<string, number> {
  return Object.fromEntries(Object.values(table).map(({ name, defaultMs }) => [name, defaultMs]));
}
