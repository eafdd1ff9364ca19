// The fake cloud's HTTP server (design.md section 8). One port serves every provider: each
// registered CloudFamily says whether a request is in its signature scheme, then the pipeline is
// authenticate -> call log -> injected faults -> quota -> ClientToken memory -> latency ->
// product handler -> the family's envelope. Nothing a client sends may crash it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defaultAccounts, EMULATOR_ACCOUNTS, findEmulatorAccount } from './accounts';
import { CallLog, type CallFilter, type CallKind, type EmulatorStats } from './call-log';
import { FaultInjector } from './faults';
import { ClientTokenMemory, paramsFingerprint, type StoredOutcome } from './idempotency';
import { QuotaLimiter } from './quota';
import { FAMILIES, PRODUCTS } from './registry';
import { MemoryStore } from './store';
import {
  EmulatorApiError,
  type ApiCall,
  type CallLogEntry,
  type CloudFamily,
  type CloudProvider,
  type EmulatedResource,
  type EmulatorAccount,
  type EmulatorContext,
  type EmulatorSettings,
  type FaultSpec,
  type ProductHandler,
  type RawRequest,
  type RenderedResponse,
  type SeedResource,
} from './types';

export type { CallFilter, EmulatorStats } from './call-log';
export type { EmulatorSettings, FaultSpec, SeedResource } from './types';

export const DEFAULT_SETTINGS: EmulatorSettings = {
  latencyMs: 0,
  latencyByAction: {},
  quotaPerSecond: 20,
  quotaByAction: {},
  durations: {
    'alibabacloud.ecs.stop': 3000,
    'alibabacloud.ecs.delete': 2000,
    'alibabacloud.ecs.convert': 2000,
  },
  clockSkewSeconds: 900,
};

/** Settings patch: maps (durations, per-action values) are merged key by key. */
export type SettingsPatch = Partial<EmulatorSettings>;

export interface StartEmulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  settings?: SettingsPatch;
  /** Default: the registry's lists. */
  families?: CloudFamily[];
  products?: ProductHandler[];
}

/** A call the emulator has authenticated and not answered yet. */
export interface InFlightCall {
  provider: CloudProvider;
  service: string;
  action: string;
  clientToken?: string;
  since: number;
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
  close(): Promise<void>;
  /** Drops resources, faults, calls, tokens, quotas and nonces; settings go back to the start values. */
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
}

// ---- validation of admin input ------------------------------------------------------------

const providerSchema = z.enum(['tencentcloud', 'alibabacloud', 'volcengine']);
const nonNegative = z.number().finite().nonnegative();

const scheduledChangeSchema = z.strictObject({
  afterMs: nonNegative,
  status: z.string().min(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  remove: z.boolean().optional(),
});

const seedSchema = z.strictObject({
  type: z.string().min(1),
  id: z.string().min(1),
  account: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  name: z.string().optional(),
  createdAt: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date')
    .optional(),
  then: z.array(scheduledChangeSchema).optional(),
});

const seedBodySchema = z.strictObject({ resources: z.array(seedSchema) });

const faultSchema = z
  .strictObject({
    provider: providerSchema.optional(),
    action: z.string().min(1),
    code: z.string().min(1),
    httpStatus: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    resourceId: z.string().min(1).optional(),
  })
  .refine((f) => !(f.count !== undefined && f.probability !== undefined), {
    message: 'give either count or probability, not both',
  });

const faultListSchema = z.strictObject({ faults: z.array(faultSchema) });

const settingsSchema = z.strictObject({
  latencyMs: nonNegative.optional(),
  latencyByAction: z.record(z.string(), nonNegative).optional(),
  quotaPerSecond: nonNegative.optional(),
  quotaByAction: z.record(z.string(), nonNegative).optional(),
  durations: z.record(z.string(), nonNegative).optional(),
  clockSkewSeconds: nonNegative.optional(),
});

const callsQuerySchema = z.strictObject({
  action: z.string().min(1).optional(),
  clientToken: z.string().min(1).optional(),
  provider: z.union([providerSchema, z.literal('unknown')]).optional(),
});

class AdminInputError extends Error {}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new AdminInputError(`invalid ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

// ---- helpers --------------------------------------------------------------------------------

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mergeSettings(base: EmulatorSettings, patch: SettingsPatch): EmulatorSettings {
  return {
    ...base,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    latencyByAction: { ...base.latencyByAction, ...patch.latencyByAction },
    quotaByAction: { ...base.quotaByAction, ...patch.quotaByAction },
    durations: { ...base.durations, ...patch.durations },
  };
}

function cloneResource(r: EmulatedResource): EmulatedResource {
  return structuredClone(r);
}

function jsonReply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Per-action lookups accept 'provider.service.Action' or the bare action name. */
function perAction(map: Record<string, number>, call: ApiCall): number | undefined {
  return map[`${call.provider}.${call.service}.${call.action}`] ?? map[call.action];
}

function isValidClientToken(token: string): boolean {
  return token.length <= 64 && /^[\x20-\x7e]+$/.test(token);
}

// ---- the emulator ---------------------------------------------------------------------------

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const families = opts.families ?? FAMILIES;
  const products = opts.products ?? PRODUCTS;
  const initialSettings = mergeSettings(
    DEFAULT_SETTINGS,
    parseOrThrow(settingsSchema, opts.settings ?? {}, 'settings'),
  );

  let settings = initialSettings;
  const store = new MemoryStore();
  const callLog = new CallLog();
  const inFlight = new Map<string, InFlightCall>();
  const faults = new FaultInjector();
  const tokens = new ClientTokenMemory();
  const quota = new QuotaLimiter();
  const nonces = new Map<string, number>();
  const productMemory = new Map<string, Map<string, unknown>>();

  function rememberNonce(key: string): boolean {
    const now = Date.now();
    const expiresAt = nonces.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    // A nonce only needs remembering while its timestamp is still acceptable.
    nonces.set(key, now + 2 * settings.clockSkewSeconds * 1000 + 1000);
    if (nonces.size > 100_000) {
      for (const [k, at] of nonces) if (at <= now) nonces.delete(k);
    }
    return true;
  }

  function contextFor(product: ProductHandler): EmulatorContext {
    const memoryKey = `${product.provider}.${product.service}`;
    let memory = productMemory.get(memoryKey);
    if (!memory) {
      memory = new Map();
      productMemory.set(memoryKey, memory);
    }
    return {
      store,
      duration: (name, defaultMs) => settings.durations[name] ?? defaultMs,
      now: () => Date.now(),
      memory,
    };
  }

  function seed(resources: SeedResource[]): EmulatedResource[] {
    const parsed = parseOrThrow(z.array(seedSchema), resources, 'seed resources');
    // Build every resource before storing any, so a bad entry seeds nothing.
    const built = parsed.map((s) => {
      const defaults = products.find((p) => p.resourceDefaults?.[s.type])?.resourceDefaults?.[s.type];
      const status = s.status ?? defaults?.status;
      if (!status) {
        throw new AdminInputError(
          `invalid seed resources: "status" is required for type ${s.type} (no product gives a default)`,
        );
      }
      const resource: EmulatedResource = {
        type: s.type,
        id: s.id,
        account: s.account ?? 'default',
        region: s.region ?? 'global',
        status,
        attributes: { ...structuredClone(defaults?.attributes ?? {}), ...(s.attributes ?? {}) },
        tags: { ...(s.tags ?? {}) },
        name: s.name ?? s.id,
        createdAt: s.createdAt ? new Date(Date.parse(s.createdAt)).toISOString() : new Date().toISOString(),
      };
      return { resource, then: s.then ?? [] };
    });
    return built.map(({ resource, then }) => {
      store.remove(resource.type, resource.account, resource.id);
      store.put(resource);
      if (then.length > 0) {
        store.scheduleSequence(resource.type, resource.account, resource.id, then, { replaceAll: true });
      }
      return cloneResource(resource);
    });
  }

  function setSettings(partial: SettingsPatch): EmulatorSettings {
    settings = mergeSettings(settings, parseOrThrow(settingsSchema, partial, 'settings'));
    return structuredClone(settings);
  }

  function reset(): void {
    store.clear();
    callLog.clear();
    faults.clear();
    tokens.clear();
    quota.clear();
    nonces.clear();
    productMemory.clear();
    settings = initialSettings;
  }

  function safeRender(
    family: CloudFamily,
    call: ApiCall | undefined,
    outcome: { ok: true; payload: unknown } | { ok: false; error: EmulatorApiError },
    requestId: string,
  ): RenderedResponse {
    try {
      return family.render(call, outcome, requestId);
    } catch (err) {
      // A payload that cannot be rendered is the emulator's bug: still answer in the family's shape.
      console.error('[emulator] render failed', err);
      try {
        return family.render(call, { ok: false, error: internalError() }, requestId);
      } catch {
        return {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            RequestId: requestId,
            Code: 'InternalError',
            Message: 'The emulator failed to render the answer.',
          }),
        };
      }
    }
  }

  function internalError(): EmulatorApiError {
    return new EmulatorApiError(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
    );
  }

  async function dispatch(family: CloudFamily, raw: RawRequest): Promise<RenderedResponse> {
    const requestId = family.newRequestId?.() ?? randomUUID();
    let call: ApiCall;
    try {
      call = family.authenticate(raw, {
        findAccount: (accessKeyId) => findEmulatorAccount(family.provider, accessKeyId),
        products,
        now: Date.now(),
        requestId,
        clockSkewSeconds: settings.clockSkewSeconds,
        rememberNonce,
      });
    } catch (err) {
      const error = err instanceof EmulatorApiError ? err : internalError();
      if (!(err instanceof EmulatorApiError)) console.error('[emulator] authenticate failed', err);
      let action = 'unknown';
      try {
        action = family.peekAction?.(raw) ?? 'unknown';
      } catch {
        // keep 'unknown'
      }
      callLog.record(
        {
          at: Date.now(),
          provider: family.provider,
          service: '',
          action,
          params: {},
          httpStatus: error.httpStatus,
          errorCode: error.code,
          requestId,
        },
        'normal',
      );
      return safeRender(family, undefined, { ok: false, error }, requestId);
    }

    const rawToken = call.params.ClientToken;
    const clientToken = typeof rawToken === 'string' && rawToken !== '' ? rawToken : undefined;
    inFlight.set(requestId, {
      provider: call.provider,
      service: call.service,
      action: call.action,
      clientToken,
      since: Date.now(),
    });
    const finish = (
      outcome: { ok: true; payload: unknown } | { ok: false; error: EmulatorApiError },
      kind: CallKind,
    ): RenderedResponse => {
      inFlight.delete(requestId);
      const rendered = safeRender(family, call, outcome, requestId);
      callLog.record(
        {
          at: Date.now(),
          provider: call.provider,
          service: call.service,
          action: call.action,
          account: call.account,
          clientToken,
          params: { ...call.params },
          httpStatus: rendered.status,
          errorCode: outcome.ok ? undefined : outcome.error.code,
          injected: kind === 'injected' ? true : undefined,
          requestId,
        },
        kind,
      );
      return rendered;
    };

    const fault = faults.match(call);
    if (fault) return finish({ ok: false, error: fault }, 'injected');

    const rate = perAction(settings.quotaByAction, call) ?? settings.quotaPerSecond;
    if (!quota.take(`${call.account}|${call.provider}|${call.service}|${call.action}`, rate, Date.now())) {
      return finish({ ok: false, error: family.throttled(call) }, 'throttled');
    }

    const product = products.find(
      (p) => p.provider === call.provider && p.service === call.service && p.version === call.version,
    );
    let tokenKey: string | undefined;
    if (clientToken !== undefined && product?.idempotentActions?.includes(call.action)) {
      if (!isValidClientToken(clientToken)) {
        const error =
          family.invalidClientToken?.(call) ??
          new EmulatorApiError(
            400,
            'InvalidParameter',
            'The ClientToken must be at most 64 ASCII characters.',
          );
        return finish({ ok: false, error }, 'normal');
      }
      tokenKey = [call.provider, call.account, call.service, call.action, clientToken].join('\u0000');
      const decision = tokens.begin(tokenKey, paramsFingerprint(call.params));
      if (decision.kind === 'mismatch')
        return finish({ ok: false, error: family.idempotentParameterMismatch(call) }, 'mismatch');
      if (decision.kind === 'processing')
        return finish({ ok: false, error: family.idempotentProcessing(call) }, 'processing');
      if (decision.kind === 'replay') return finish(decision.outcome, 'replay');
    }

    try {
      const latency = perAction(settings.latencyByAction, call) ?? settings.latencyMs;
      if (latency > 0) await sleep(latency);
      const handler =
        product && Object.hasOwn(product.actions, call.action) ? product.actions[call.action] : undefined;
      if (!handler) {
        throw new EmulatorApiError(
          404,
          'InvalidAction.NotFound',
          `The action ${call.action} is not served for ${call.service} ${call.version}.`,
        );
      }
      const payload = await handler(call, contextFor(product as ProductHandler));
      const outcome: StoredOutcome = {
        ok: true,
        payload: payload === undefined ? {} : structuredClone(payload),
      };
      if (tokenKey) tokens.complete(tokenKey, outcome);
      return finish(outcome, 'normal');
    } catch (err) {
      if (tokenKey) tokens.release(tokenKey);
      if (!(err instanceof EmulatorApiError))
        console.error(`[emulator] ${call.service}.${call.action} failed`, err);
      return finish({ ok: false, error: err instanceof EmulatorApiError ? err : internalError() }, 'normal');
    }
  }

  // ---- admin HTTP API (/_emulator/...) mirroring the in-process one ----

  async function admin(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer,
    res: ServerResponse,
  ) {
    const json = (): unknown => {
      if (body.length === 0) return {};
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new AdminInputError('the request body is not valid JSON');
      }
    };
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_emulator/health':
        return jsonReply(res, 200, { ok: true });
      case 'POST /_emulator/reset':
        reset();
        return jsonReply(res, 200, { ok: true });
      case 'POST /_emulator/resources': {
        // A bare array or { resources: [...] }; parsed separately so errors name the field.
        const body = json();
        const list = Array.isArray(body)
          ? body
          : parseOrThrow(seedBodySchema, body, 'seed resources').resources;
        const seeded = seed(list as SeedResource[]);
        return jsonReply(res, 200, { seeded: seeded.length, resources: seeded });
      }
      case 'GET /_emulator/resources': {
        const type = query.get('type') ?? undefined;
        const account = query.get('account') ?? undefined;
        const list = store.all(type).filter((r) => account === undefined || r.account === account);
        return jsonReply(res, 200, { resources: list.map(cloneResource) });
      }
      case 'GET /_emulator/faults':
        return jsonReply(res, 200, { faults: faults.list() });
      case 'POST /_emulator/faults': {
        // One fault or { faults: [...] }; parsed separately so errors name the field.
        const body = json();
        const specs =
          body && typeof body === 'object' && 'faults' in body
            ? parseOrThrow(faultListSchema, body, 'faults').faults
            : [parseOrThrow(faultSchema, body, 'fault')];
        specs.forEach((s) => faults.add(s));
        return jsonReply(res, 200, { faults: faults.list() });
      }
      case 'DELETE /_emulator/faults':
        faults.clear();
        return jsonReply(res, 200, { faults: [] });
      case 'GET /_emulator/settings':
        return jsonReply(res, 200, { settings });
      case 'POST /_emulator/settings':
        return jsonReply(res, 200, { settings: setSettings(json() as SettingsPatch) });
      case 'GET /_emulator/calls': {
        const filter = parseOrThrow(callsQuerySchema, Object.fromEntries(query), 'calls query');
        return jsonReply(res, 200, { calls: callLog.list(filter) });
      }
      case 'GET /_emulator/stats':
        return jsonReply(res, 200, callLog.stats());
      case 'GET /_emulator/accounts':
        return jsonReply(res, 200, { default: defaultAccounts(), accounts: EMULATOR_ACCOUNTS });
      default:
        return jsonReply(res, 404, { error: `no admin route ${method} ${path}` });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : 400;
      return jsonReply(res, status, {
        error: status === 413 ? 'request body too large' : 'could not read the request body',
      });
    }
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const method = (req.method ?? 'GET').toUpperCase();

    if (path === '/_emulator' || path.startsWith('/_emulator/')) {
      try {
        await admin(method, path, query, body, res);
      } catch (err) {
        if (err instanceof AdminInputError) return jsonReply(res, 400, { error: err.message });
        console.error('[emulator] admin request failed', err);
        return jsonReply(res, 500, { error: String(err) });
      }
      return;
    }

    const raw: RawRequest = { method, path, query, headers: req.headers, body };
    const family = families.find((f) => {
      try {
        return f.matches(raw);
      } catch {
        return false;
      }
    });
    if (!family) {
      return jsonReply(res, 400, {
        Error: {
          Code: 'UnrecognizedRequest',
          Message:
            'The request is not signed with any scheme the emulator serves (ACS3/RPC, TC3, Volcengine HMAC-SHA256).',
        },
      });
    }
    const rendered = await dispatch(family, raw);
    res.writeHead(rendered.status, rendered.headers);
    res.end(rendered.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[emulator] request failed', err);
      if (!res.headersSent) jsonReply(res, 500, { error: 'internal emulator error' });
      else res.end();
    });
  });
  // Keep-alive clients (the Alibaba SDK) must not hold close() open.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `${host}:${port}`;

  return {
    url: `http://${endpoint}`,
    port,
    host,
    endpoint,
    accounts: defaultAccounts(),
    allAccounts: EMULATOR_ACCOUNTS,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    reset,
    seed,
    resources: (type) => store.all(type).map(cloneResource),
    injectFault(spec) {
      faults.add(parseOrThrow(faultSchema, spec, 'fault'));
    },
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    setSettings,
    settings: () => structuredClone(settings),
    calls: (filter) => callLog.list(filter),
    inFlight: () => [...inFlight.values()],
    stats: () => callLog.stats(),
  };
}
