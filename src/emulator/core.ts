// What the fake cloud holds between requests (design.md section 8): resources, settings, the
// clock, faults, the call log, ClientToken, nonce and quota memory, and each product's own
// memory (change orders, delete tasks). The gateway steps and the admin API both work on it.
import { z } from 'zod';
import { AdminInputError, parseOrThrow, seedSchema, settingsSchema } from './admin/schemas';
import { CallLog } from './call-log';
import { EmulatorClock } from './clock';
import { FaultInjector } from './faults';
import { ClientTokenMemory } from './idempotency';
import { NonceMemory } from './nonces';
import { QuotaLimiter } from './quota';
import { defaultSettings, mergeSettings, type SettingsPatch } from './settings';
import { MemoryStore } from './store';
import type {
  CloudFamily,
  CloudProvider,
  EmulatedResource,
  EmulatorContext,
  EmulatorSettings,
  ProductHandler,
  SeedResource,
} from './types';

/** A call the emulator has authenticated and not answered yet. */
export interface InFlightCall {
  provider: CloudProvider;
  service: string;
  action: string;
  clientToken?: string;
  since: number;
}

export class EmulatorCore {
  readonly clock: EmulatorClock;
  readonly store: MemoryStore;
  readonly callLog = new CallLog();
  readonly inFlight = new Map<string, InFlightCall>();
  readonly faults = new FaultInjector();
  readonly tokens: ClientTokenMemory;
  readonly quota = new QuotaLimiter();
  readonly nonces: NonceMemory;
  /** Per 'provider.service': the product's key/value memory (EmulatorContext.memory). */
  readonly productMemory = new Map<string, Map<string, unknown>>();
  /** What reset() goes back to. */
  readonly initialSettings: EmulatorSettings;
  private current: EmulatorSettings;

  constructor(
    readonly families: CloudFamily[],
    readonly products: ProductHandler[],
    settings: SettingsPatch = {},
    clock: EmulatorClock = new EmulatorClock(),
  ) {
    this.clock = clock;
    const now = () => this.clock.now();
    this.initialSettings = mergeSettings(
      defaultSettings(products),
      parseOrThrow(settingsSchema, settings, 'settings'),
    );
    this.current = this.initialSettings;
    this.store = new MemoryStore(now);
    this.tokens = new ClientTokenMemory(now, () => this.current.clientTokenTtlSeconds * 1000);
    this.nonces = new NonceMemory(now, () => this.current.clockSkewSeconds);
  }

  get settings(): EmulatorSettings {
    return this.current;
  }

  setSettings(patch: SettingsPatch): EmulatorSettings {
    this.current = mergeSettings(this.current, parseOrThrow(settingsSchema, patch, 'settings'));
    return structuredClone(this.current);
  }

  /** Replaces the settings wholesale (a resumed state file). */
  replaceSettings(settings: EmulatorSettings): void {
    this.current = structuredClone(settings);
  }

  contextFor(product: ProductHandler): EmulatorContext {
    const memoryKey = `${product.provider}.${product.service}`;
    let memory = this.productMemory.get(memoryKey);
    if (!memory) {
      memory = new Map();
      this.productMemory.set(memoryKey, memory);
    }
    return {
      store: this.store,
      duration: (name, defaultMs) => this.current.durations[name] ?? defaultMs,
      now: () => this.clock.now(),
      memory,
    };
  }

  /** Adds (or replaces) resources; a bad entry seeds nothing and the error names its field. */
  seed(resources: SeedResource[]): EmulatedResource[] {
    const parsed = parseOrThrow(z.array(seedSchema), resources, 'seed resources');
    const built = parsed.map((s) => {
      const defaults = this.products.find((p) => p.resourceDefaults?.[s.type])?.resourceDefaults?.[s.type];
      const status = s.status ?? defaults?.status;
      if (!status) {
        throw new AdminInputError(
          `invalid seed resources: "status" is required for type ${s.type} (no product gives a default)`,
        );
      }
      const createdAt = s.createdAt ? Date.parse(s.createdAt) : this.clock.now();
      const resource: EmulatedResource = {
        type: s.type,
        id: s.id,
        account: s.account ?? 'default',
        region: s.region ?? 'global',
        status,
        attributes: { ...structuredClone(defaults?.attributes ?? {}), ...(s.attributes ?? {}) },
        tags: { ...(s.tags ?? {}) },
        name: s.name ?? s.id,
        createdAt: new Date(createdAt).toISOString(),
      };
      return { resource, then: s.then ?? [] };
    });
    return built.map(({ resource, then }) => {
      this.store.remove(resource.type, resource.account, resource.id);
      this.store.put(resource);
      if (then.length > 0) {
        this.store.scheduleSequence(resource.type, resource.account, resource.id, then, { replaceAll: true });
      }
      return structuredClone(resource);
    });
  }

  /** Drops resources, faults, calls, tokens, quotas and nonces; settings and clock go back to the start. */
  reset(): void {
    this.store.clear();
    this.callLog.clear();
    this.faults.clear();
    this.tokens.clear();
    this.quota.clear();
    this.nonces.clear();
    this.productMemory.clear();
    this.clock.reset();
    this.current = this.initialSettings;
  }
}
