// The provider module of every kind by kind name, filled as the modules load (each calls
// registerProvider once). Import src/providers/registry.ts to get the built-in kinds loaded.
import type { KindName } from './kind';
import type { KindProvider } from './types';

export const PROVIDERS: Record<KindName, KindProvider> = {};

export function registerProvider<P extends KindProvider>(provider: P): P {
  const known = PROVIDERS[provider.meta.kind];
  if (known && known !== provider) throw new Error(`kind ${provider.meta.kind} has two provider modules`);
  PROVIDERS[provider.meta.kind] = provider;
  return provider;
}
