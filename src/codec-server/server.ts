// The codec server: the UI and `temporal --codec-endpoint` send it payloads and get them back
// encoded or decoded by the same codecs as our clients and workers (src/codec.ts). Browsers call it
// cross-origin from the UI, so it answers CORS preflights for the allowed origins; with a token,
// /encode and /decode need `Authorization: Bearer <token>` (preflights carry none and need none).
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { dataConverterWithKeys } from '../codec';
import { codecRequestSchema, describeIssue, fromJsonPayload, toJsonPayload } from './protocol';
import type { CodecServerSettings } from './settings';
import { BodyTooLargeError, readBoundedBody } from '../http-body';

const MAX_BODY_BYTES = 64 * 1024 * 1024; // the UI sends a whole history page of payloads at once
const ALLOWED_HEADERS = 'authorization, content-type, x-namespace';

export interface CodecServer {
  /** 'http://host:port' (the real port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export interface CodecServerOptions extends CodecServerSettings {
  /** Told about each request that failed (default: nothing). */
  onError?: (message: string) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  try {
    return (await readBoundedBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (err) {
    throw err instanceof BodyTooLargeError ? new HttpError(413, err.message) : err;
  }
}

function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin || !(allowed.includes('*') || allowed.includes(origin))) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

async function transcode(req: http.IncomingMessage, codecs: PayloadCodec[], op: 'encode' | 'decode') {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'body is not JSON (expected {"payloads":[...]})');
  }
  const parsed = codecRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, describeIssue(parsed.error));
  let payloads = parsed.data.payloads.map(fromJsonPayload);
  try {
    // The data converter's order: encode first to last, decode last to first.
    const order = op === 'encode' ? codecs : [...codecs].reverse();
    for (const codec of order) payloads = await codec[op](payloads);
  } catch (err) {
    throw new HttpError(422, err instanceof Error ? err.message : String(err));
  }
  return { payloads: payloads.map(toJsonPayload) };
}

export function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const codecs = dataConverterWithKeys(options.ring).payloadCodecs ?? [];
  const server = http.createServer((req, res) => {
    const cors = corsHeaders(req.headers.origin, options.corsOrigins);
    const send = (status: number, body?: unknown, extra: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { ...cors, ...extra, ...(text ? { 'content-type': 'application/json' } : {}) });
      res.end(text);
    };
    const path = new URL(req.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
    const op = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
    if (req.method === 'OPTIONS') {
      // A preflight from an origin not allowed gets no CORS headers: the browser then refuses the call.
      send(op && Object.keys(cors).length > 0 ? 204 : 403);
      return;
    }
    const fail = (err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      options.onError?.(`${req.method} ${path} ${status}: ${message}`);
      send(status, { message }, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    };
    if (!op) return fail(new HttpError(404, `no ${path || '/'} here: POST /encode or /decode`));
    if (req.method !== 'POST') return fail(new HttpError(405, `${path} takes POST`));
    if (options.token !== undefined) {
      const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      if (!given || !sameToken(given, options.token))
        return fail(new HttpError(401, given ? 'wrong bearer token' : 'needs Authorization: Bearer <token>'));
    }
    transcode(req, codecs, op).then((answer) => send(200, answer), fail);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as net.AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
