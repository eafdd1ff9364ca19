// The fake cloud's HTTP server (design.md section 8). One port serves every provider: requests
// under /_emulator go to the admin API (admin/routes.ts); every other request goes to the family
// whose signature scheme it is in, then through the gateway's steps (gateway/index.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultAccounts, EMULATOR_ACCOUNTS } from './accounts';
import { isAdminPath, serveAdmin, type AdminContext } from './admin/routes';
import { answerMetadata } from './metadata';
import { AdminInputError, faultSchema, parseOrThrow } from './admin/schemas';
import type { CallFilter, EmulatorStats } from './call-log';
import type { EmulatorClock } from './clock';
import { EmulatorCore, type InFlightCall } from './core';
import { answerCloudRequest, answerUnreadableBody, DEFAULT_STEPS, type GatewayStep } from './gateway';
import { BodyTooLargeError, closeServer, jsonReply, listen, readBody } from './http';
import { FAMILIES, PRODUCTS } from './registry';
import { defaultSettings, type SettingsPatch } from './settings';
import {
  loadStateFile,
  restoreSnapshot,
  saveStateFile,
  takeSnapshot,
  type EmulatorSnapshot,
} from './state-file';
import type { MemoryStore } from './store';
import type {
  CallLogEntry,
  CloudFamily,
  CloudProvider,
  EmulatedResource,
  EmulatorAccount,
  EmulatorSettings,
  FaultSpec,
  ProductHandler,
  SeedResource,
} from './types';

export type { CallFilter, EmulatorStats } from './call-log';
export type { ClockState } from './clock';
export { EmulatorClock } from './clock';
export type { InFlightCall } from './core';
export type { SettingsPatch } from './settings';
export type { EmulatorSnapshot } from './state-file';
export type { EmulatorSettings, FaultSpec, SeedResource } from './types';

/** The settings of an emulator serving the registry's products. */
export const DEFAULT_SETTINGS: EmulatorSettings = defaultSettings(PRODUCTS);

export interface StartEmulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  settings?: SettingsPatch;
  /** Default: the registry's lists. */
  families?: CloudFamily[];
  products?: ProductHandler[];
  /** Default: the gateway's steps. */
  steps?: readonly GatewayStep[];
  /** Default: a clock on real time. Pass one to control time from the start. */
  clock?: EmulatorClock;
  /** Resumed from on start when it exists; saveState() and /_emulator/state/save write it. */
  stateFile?: string;
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** 'host:port', what SDKs take as an endpoint. */
  readonly endpoint: string;
  /** The default account of each provider. */
  readonly accounts: Record<CloudProvider, EmulatorAccount>;
  /** Every built-in account (a second one per provider, 'other', for per-account tests). */
  readonly allAccounts: readonly EmulatorAccount[];
  readonly store: MemoryStore;
  /** The emulator's time: freeze(), advance(ms), set(ms), resume(), reset(), state(). */
  readonly clock: EmulatorClock;
  /** The state file given at start, if any. */
  readonly stateFile: string | undefined;
  close(): Promise<void>;
  /** Drops resources, faults, calls, tokens, quotas and nonces; settings and clock go back to the start. */
  reset(): void;
  /** Adds (or replaces) resources; throws with a message naming the field on bad input. */
  seed(resources: SeedResource[]): EmulatedResource[];
  resources(type?: string): EmulatedResource[];
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  faults(): Array<FaultSpec & { remaining?: number }>;
  setSettings(partial: SettingsPatch): EmulatorSettings;
  settings(): EmulatorSettings;
  calls(filter?: CallFilter): CallLogEntry[];
  /** Authenticated calls still being answered (the call log records a call when it is answered). */
  inFlight(): InFlightCall[];
  stats(): EmulatorStats;
  /** Everything a resumed emulator needs, as JSON. */
  snapshot(): EmulatorSnapshot;
  /** Replaces the whole state with a snapshot; throws (changing nothing) when it is not one. */
  restore(snapshot: unknown): void;
  /** Writes the snapshot to `file` (default the stateFile) atomically; answers the path. */
  saveState(file?: string): Promise<string>;
  /** Resumes from `file` (default the stateFile); false when it does not exist. */
  loadState(file?: string): Promise<boolean>;
}

function stateFileOf(given: string | undefined, fallback: string | undefined): string {
  const file = given ?? fallback;
  if (!file) throw new AdminInputError('no state file: start the emulator with --state-file (stateFile)');
  return file;
}

function requestHandler(core: EmulatorCore, steps: readonly GatewayStep[], admin: AdminContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      const tooLarge = err instanceof BodyTooLargeError;
      if (isAdminPath(path)) {
        return jsonReply(res, tooLarge ? 413 : 400, {
          error: tooLarge ? 'request body too large' : 'could not read the request body',
        });
      }
      const refused = answerUnreadableBody(
        core,
        { method, path, query, headers: req.headers, body: Buffer.alloc(0) },
        tooLarge,
      );
      res.writeHead(refused.status, refused.headers);
      return void res.end(refused.body);
    }
    if (isAdminPath(path)) return serveAdmin(admin, { method, path, query, body }, res);
    const metadata = answerMetadata(core, method, path, req.headers);
    if (metadata) {
      res.writeHead(metadata.status, metadata.headers);
      return void res.end(metadata.body);
    }
    const rendered = await answerCloudRequest(core, steps, {
      method,
      path,
      query,
      headers: req.headers,
      body,
    });
    res.writeHead(rendered.status, rendered.headers);
    res.end(rendered.body);
  };
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const core = new EmulatorCore(
    opts.families ?? FAMILIES,
    opts.products ?? PRODUCTS,
    opts.settings ?? {},
    opts.clock,
  );
  const saveState = async (file?: string) => {
    const target = stateFileOf(file, opts.stateFile);
    await saveStateFile(core, target);
    return target;
  };
  const loadState = (file?: string) => loadStateFile(core, stateFileOf(file, opts.stateFile));
  if (opts.stateFile) await loadState();

  const admin: AdminContext = {
    core,
    saveState: async () => ({ file: await saveState() }),
    loadState: async () => {
      const file = stateFileOf(undefined, opts.stateFile);
      return { file, loaded: await loadState(file) };
    },
  };
  const { server, port } = await listen(
    host,
    opts.port ?? 0,
    requestHandler(core, opts.steps ?? DEFAULT_STEPS, admin),
  );
  const endpoint = `${host}:${port}`;

  return {
    url: `http://${endpoint}`,
    port,
    host,
    endpoint,
    accounts: defaultAccounts(),
    allAccounts: EMULATOR_ACCOUNTS,
    store: core.store,
    clock: core.clock,
    stateFile: opts.stateFile,
    close: () => closeServer(server),
    reset: () => core.reset(),
    seed: (resources) => core.seed(resources),
    resources: (type) => structuredClone(core.store.all(type)),
    injectFault: (spec) => core.faults.add(parseOrThrow(faultSchema, spec, 'fault')),
    clearFaults: () => core.faults.clear(),
    faults: () => core.faults.list(),
    setSettings: (patch) => core.setSettings(patch),
    settings: () => structuredClone(core.settings),
    calls: (filter) => core.callLog.list(filter),
    inFlight: () => [...core.inFlight.values()],
    stats: () => core.callLog.stats(),
    snapshot: () => takeSnapshot(core),
    restore: (snapshot) => restoreSnapshot(core, snapshot),
    saveState,
    loadState,
  };
}
