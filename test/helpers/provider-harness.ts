// Shared set-up of the provider and emulator tests: an in-process emulator started once per file
// and reset before each test, call contexts for its accounts, catchers for the errors a call must
// end in, polling helpers, throwaway local HTTP servers and the Alibaba SDK as the emulator tests
// drive it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../src/emulator/server';
import { EmulatorApiError, type CloudProvider, type RawRequest } from '../../src/emulator/types';
import { ProviderError } from '../../src/providers/errors';
import type { CallContext, CloudCredentials } from '../../src/providers/types';

// ---- the emulator -----------------------------------------------------------------------------

/**
 * Starts an emulator before the file's tests (beforeAll), closes it after them (afterAll) and
 * resets it before each test (beforeEach, registered here, so it runs before the file's own
 * beforeEach hooks). The answer stands for the running emulator from the first hook on: every
 * property read goes to the emulator started for this file.
 */
export function useEmulator(options: StartEmulatorOptions = {}): Emulator {
  let running: Emulator | undefined;
  const current = (): Emulator => {
    if (!running) throw new Error('the emulator starts in beforeAll: use it in hooks and tests only');
    return running;
  };
  beforeAll(async () => {
    running = await startEmulator(options);
  });
  afterAll(() => running?.close());
  beforeEach(() => current().reset());
  return new Proxy({} as Emulator, {
    get(_target, property) {
      const emu = current();
      const value: unknown = Reflect.get(emu, property);
      return typeof value === 'function' ? value.bind(emu) : value;
    },
  });
}

/** One admin API call (/_emulator/...): JSON `body`, or `rawBody` as sent; the answer parsed. */
export async function adminRequest(
  emulator: { url: string },
  method: string,
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  return { status: res.status, body: await res.json() };
}

/** A call context for the emulator's default account of `cloud`; `overrides` win. */
export function callContext(
  emu: Emulator,
  cloud: CloudProvider,
  overrides: Partial<CallContext> = {},
): CallContext {
  const { accessKeyId, accessKeySecret } = emu.accounts[cloud];
  return {
    credentials: { accessKeyId, accessKeySecret },
    endpoint: emu.endpoint,
    timeoutMs: 5_000,
    ...overrides,
  };
}

// ---- errors a call must end in -------------------------------------------------------------------

/** The ProviderError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function captureProviderError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError, but the call succeeded');
}

/** The EmulatorApiError `run` throws; anything else it throws is thrown on, and throwing nothing fails. */
export function captureEmulatorError(run: () => unknown): EmulatorApiError {
  try {
    run();
  } catch (err) {
    if (err instanceof EmulatorApiError) return err;
    throw err;
  }
  throw new Error('expected an EmulatorApiError, but the call was accepted');
}

// ---- waiting ----------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until `done` holds or `timeoutMs` has passed, and answers the last value read. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await sleep(intervalMs);
  }
}

/** Waits for `check` to hold; throws when it does not within `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until a call of `action` is in flight in the emulator (past its ClientToken check, waiting
 * out its latency): a test that needs "a second call while the first is in flight" sends the
 * second after this, never after a guessed sleep. Give the action a latency of seconds, so the
 * first call is still in flight when the test reacts, however loaded the machine is.
 */
export async function untilInFlight(
  emu: Pick<Emulator, 'inFlight'>,
  action: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(() => emu.inFlight().some((c) => c.action === action), timeoutMs);
}

/** Latency for a call a test catches in flight (see untilInFlight): margins of seconds to the test's reaction and to the SDKs' 3 s read timeouts. */
export const IN_FLIGHT_LATENCY_MS = 1_500;

// ---- local HTTP servers -------------------------------------------------------------------------------

/** Listens on a free port of 127.0.0.1 and answers the server's 'host:port'. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Drops the server's open connections and closes it. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A 'host:port' nobody listens on (a port just freed). */
export async function deadEndpoint(): Promise<string> {
  const closed = createServer();
  const endpoint = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return endpoint;
}

/** A request as the capture server received it. */
interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A throwaway server (started in beforeAll, closed in afterAll) that records every request and
 * answers each with HTTP 200 and `answer` as JSON, for tests that look at what an SDK sends.
 */
export function useCaptureServer(answer: string) {
  const captured: Captured[] = [];
  let server: Server;
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      });
    });
    endpoint = await listen(server);
  });
  afterAll(() => closeServer(server));
  return {
    /** The server's 'host:port' (once beforeAll has run). */
    get endpoint(): string {
      return endpoint;
    },
    get port(): number {
      return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    },
    /** Runs `send` and answers the first request it made, as the emulator core would hand it over. */
    async request(send: () => Promise<unknown>): Promise<RawRequest> {
      const before = captured.length;
      await send();
      const c = captured[before]!;
      const url = new URL(c.url, 'http://x');
      return {
        method: c.method,
        path: url.pathname,
        query: url.searchParams,
        headers: c.headers,
        body: c.body,
      };
    },
  };
}

// ---- the Alibaba SDK -----------------------------------------------------------------------------------

/** An @alicloud/openapi-client client speaking plain HTTP to `endpoint` as `credentials`. */
export function alibabaSdk(
  endpoint: string,
  credentials: CloudCredentials,
  extra: Partial<{ signatureAlgorithm: string; regionId: string }> = {},
): OpenApi {
  const { accessKeyId, accessKeySecret } = credentials;
  return new OpenApi(
    new $OpenApi.Config({ accessKeyId, accessKeySecret, endpoint, protocol: 'http', ...extra }),
  );
}

/** An Alibaba RPC answer, error or not. */
export interface RpcAnswer {
  ok: boolean;
  status: number;
  code?: string;
  body: Record<string, any>;
  message?: string;
}

/** One RPC call (POST '/', form body) through the SDK with its retries off; errors are answers too. */
export async function callAlibabaRpc(
  client: OpenApi,
  action: string,
  query: Record<string, string>,
  opts: { version?: string; body?: Record<string, string> } = {},
): Promise<RpcAnswer> {
  const params = new $OpenApi.Params({
    action,
    version: opts.version ?? '2014-05-26',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  try {
    const res = await client.callApi(
      params,
      new $OpenApi.OpenApiRequest({ query, body: opts.body }),
      new $Util.RuntimeOptions({ autoretry: false }),
    );
    return { ok: true, status: res.statusCode as number, body: res.body as Record<string, any> };
  } catch (e) {
    const err = e as { code?: string; data?: Record<string, any>; message?: string };
    return {
      ok: false,
      code: err.code,
      status: err.data?.statusCode,
      body: err.data ?? {},
      message: err.message,
    };
  }
}
