// Every product the emulator serves, filled as the product files load (each calls
// registerProduct once). Import src/emulator/registry.ts to get the built-in products loaded.
import type { KindMeta } from '../providers/kind';
import type { EmulatorContext, ProductHandler } from './types';

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
