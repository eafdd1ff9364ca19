// The admin API, /_emulator/..., kept apart from the cloud gateway: seeding, faults, settings,
// the call log, the clock and the state file. Every input is checked by the zod schemas.
import type { ServerResponse } from 'node:http';
import { defaultAccounts, EMULATOR_ACCOUNTS } from '../accounts';
import type { EmulatorCore } from '../core';
import { jsonReply } from '../http';
import { restoreSnapshot, takeSnapshot } from '../state-file';
import type { SeedResource } from '../types';
import {
  AdminInputError,
  callsQuerySchema,
  clockAdvanceSchema,
  clockFreezeSchema,
  clockSetSchema,
  faultListSchema,
  faultSchema,
  parseOrThrow,
  seedBodySchema,
  settingsSchema,
} from './schemas';

export const ADMIN_PREFIX = '/_emulator';

export interface AdminContext {
  core: EmulatorCore;
  /** Writes the state file (--state-file); throws AdminInputError when none is configured. */
  saveState(): Promise<{ file: string }>;
  /** Reloads the state file. */
  loadState(): Promise<{ file: string; loaded: boolean }>;
}

interface AdminInput {
  query: URLSearchParams;
  /** The body as JSON ({} when empty); bad JSON is an AdminInputError. */
  json(): unknown;
}

type Route = (ctx: AdminContext, input: AdminInput) => unknown;

const ROUTES: Record<string, Route> = {
  'GET /health': () => ({ ok: true }),
  'POST /reset': ({ core }) => {
    core.reset();
    return { ok: true };
  },
  'POST /resources': ({ core }, { json }) => {
    // A bare array or { resources: [...] }; parsed separately so errors name the field.
    const body = json();
    const list = Array.isArray(body) ? body : parseOrThrow(seedBodySchema, body, 'seed resources').resources;
    const seeded = core.seed(list as SeedResource[]);
    return { seeded: seeded.length, resources: seeded };
  },
  'GET /resources': ({ core }, { query }) => {
    const type = query.get('type') ?? undefined;
    const account = query.get('account') ?? undefined;
    const list = core.store.all(type).filter((r) => account === undefined || r.account === account);
    return { resources: structuredClone(list) };
  },
  'GET /faults': ({ core }) => ({ faults: core.faults.list() }),
  'POST /faults': ({ core }, { json }) => {
    // One fault or { faults: [...] }; parsed separately so errors name the field.
    const body = json();
    const specs =
      body && typeof body === 'object' && 'faults' in body
        ? parseOrThrow(faultListSchema, body, 'faults').faults
        : [parseOrThrow(faultSchema, body, 'fault')];
    specs.forEach((s) => core.faults.add(s));
    return { faults: core.faults.list() };
  },
  'DELETE /faults': ({ core }) => {
    core.faults.clear();
    return { faults: [] };
  },
  'GET /settings': ({ core }) => ({ settings: core.settings }),
  'POST /settings': ({ core }, { json }) => ({
    settings: core.setSettings(parseOrThrow(settingsSchema, json(), 'settings')),
  }),
  'GET /calls': ({ core }, { query }) => ({
    calls: core.callLog.list(parseOrThrow(callsQuerySchema, Object.fromEntries(query), 'calls query')),
  }),
  'GET /stats': ({ core }) => core.callLog.stats(),
  'GET /accounts': () => ({ default: defaultAccounts(), accounts: EMULATOR_ACCOUNTS }),
  'GET /clock': ({ core }) => ({ clock: core.clock.state() }),
  'POST /clock/freeze': ({ core }, { json }) => ({
    clock: core.clock.freeze(parseOrThrow(clockFreezeSchema, json(), 'clock freeze').at),
  }),
  'POST /clock/advance': ({ core }, { json }) => ({
    clock: core.clock.advance(parseOrThrow(clockAdvanceSchema, json(), 'clock advance').ms),
  }),
  'POST /clock/set': ({ core }, { json }) => ({
    clock: core.clock.set(parseOrThrow(clockSetSchema, json(), 'clock set').at),
  }),
  'POST /clock/resume': ({ core }) => ({ clock: core.clock.resume() }),
  'POST /clock/reset': ({ core }) => ({ clock: core.clock.reset() }),
  'GET /state': ({ core }) => takeSnapshot(core),
  'PUT /state': ({ core }, { json }) => {
    restoreSnapshot(core, json());
    return { ok: true };
  },
  'POST /state/save': (ctx) => ctx.saveState(),
  'POST /state/load': (ctx) => ctx.loadState(),
};

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

export async function serveAdmin(
  ctx: AdminContext,
  req: { method: string; path: string; query: URLSearchParams; body: Buffer },
  res: ServerResponse,
): Promise<void> {
  const json = (): unknown => {
    if (req.body.length === 0) return {};
    try {
      return JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new AdminInputError('the request body is not valid JSON');
    }
  };
  const subPath = req.path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const route = Object.hasOwn(ROUTES, `${req.method} ${subPath}`)
    ? ROUTES[`${req.method} ${subPath}`]
    : undefined;
  if (!route) return jsonReply(res, 404, { error: `no admin route ${req.method} ${req.path}` });
  try {
    jsonReply(res, 200, await route(ctx, { query: req.query, json }));
  } catch (err) {
    if (err instanceof AdminInputError) return jsonReply(res, 400, { error: err.message });
    if (err instanceof RangeError) return jsonReply(res, 400, { error: err.message });
    console.error('[emulator] admin request failed', err);
    jsonReply(res, 500, { error: String(err) });
  }
}
