// Every product the emulator serves, filled as the product files load (each calls
// registerProduct once). Import src/emulator/registry.ts to get the built-in products loaded.
import type { KindMeta } from '../providers/kind';
import type { ActionHandler, EmulatorApiError, EmulatorContext, ProductHandler } from './types';

export const PRODUCTS: ProductHandler[] = [];

export function registerProduct<P extends ProductHandler>(product: P): P {
  const same = PRODUCTS.find((p) => p.provider === product.provider && p.service === product.service);
  if (same && same !== product)
    throw new Error(`product ${product.provider}.${product.service} is defined twice`);
  if (!same) PRODUCTS.push(product);
  return product;
}

/** A kind's transition duration: the emulator's setting, else the kind's default (its metadata). */
export function kindDuration(ctx: EmulatorContext, meta: KindMeta, step: string): number {
  const defaultMs = meta.emulator.durations[step];
  if (defaultMs === undefined) throw new Error(`${meta.kind} declares no emulator duration "${step}"`);
  return Math.max(0, ctx.duration(`${meta.cloud}.${meta.service}.${step}`, defaultMs));
}

/**
 * A product's actions answering a call in a region the cloud does not have the way the cloud does
 * (`refuse`), before any handler runs: a worker pointed at a wrong region fails loudly.
 */
export function inRealRegions(
  actions: Record<string, ActionHandler>,
  regions: readonly string[],
  refuse: (region: string) => EmulatorApiError,
): Record<string, ActionHandler> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, handler]): [string, ActionHandler] => [
      name,
      (call, ctx) => {
        if (call.region !== undefined && !regions.includes(call.region)) throw refuse(call.region);
        return handler(call, ctx);
      },
    ]),
  );
}
