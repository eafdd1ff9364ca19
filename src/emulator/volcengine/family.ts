// Volcengine's OpenAPI wire protocol (design.md sections 7-8): the HMAC-SHA256 header signature
// exactly as @volcengine/openapi 1.36.2 computes it (lib/base/sign.js), routing by the credential
// scope's service plus the Action/Version query, and the `ResponseMetadata` envelopes.
//
// Gateway codes, HTTP statuses and CodeN values follow Volcengine's public "公共错误码" tables
// (ECS flavour: InvalidTimestamp is 403 there, 400 on some other products' pages).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  EmulatorApiError,
  type ApiCall,
  type CloudFamily,
  type EmulatorAccount,
  type ProductHandler,
  type RawRequest,
  type RenderedResponse,
} from '../types';

export const VOLCENGINE_ALGORITHM = 'HMAC-SHA256';
/** Default accepted difference between X-Date and the emulator's clock. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 900;

/** Numeric codes Volcengine's gateway puts next to its string codes; service-level codes carry none. */
const CODE_N: Record<string, number> = {
  MissingParameter: 100002,
  MissingAuthenticationToken: 100003,
  MissingRequestInfo: 100004,
  MissingSignature: 100005,
  InvalidTimestamp: 100006,
  ServiceNotFound: 100007,
  InvalidActionOrVersion: 100008,
  InvalidAccessKey: 100009,
  SignatureDoesNotMatch: 100010,
  AccessDenied: 100013,
  InternalError: 100014,
  InternalServiceTimeout: 100016,
  FlowLimitExceeded: 100018,
  InvalidAuthorization: 100024,
  AccountFlowLimitExceeded: 100027,
};

/** What the envelope names besides the error, known before authentication finished. */
interface EnvelopeMeta {
  Action?: string;
  Version?: string;
  Service?: string;
  Region?: string;
}

/** An auth/routing refusal; carries what the envelope needs because `render` then gets no ApiCall. */
export class VolcengineGatewayError extends EmulatorApiError {
  constructor(
    httpStatus: number,
    code: string,
    message: string,
    readonly meta: EnvelopeMeta,
  ) {
    super(httpStatus, code, message);
  }
}

// ---- canonical request (mirrors lib/base/sign.js) -----------------------------------------------

/**
 * The SDK's uriEscape: encodeURIComponent, then escape() on what it leaves unescaped besides
 * A-Za-z0-9_.~- (that is !'()*: escape() turns !'() into %XX and keeps *), then %2A for '*'.
 */
export function uriEscape(value: string): string {
  try {
    return encodeURIComponent(value)
      .replace(/[!'()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/[*]/g, '%2A');
  } catch {
    // encodeURIComponent throws on lone surrogates; the SDK then drops the pair (empty string).
    return '';
  }
}

/** Keys sorted by code unit (as Object.keys(...).sort() does), repeated keys' values sorted. */
export function canonicalQuery(query: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of query) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  return [...grouped.keys()]
    .sort()
    .map((key) => {
      const escapedKey = uriEscape(key);
      if (!escapedKey) return '';
      const values = grouped.get(key)!;
      if (values.length === 1) return `${escapedKey}=${uriEscape(values[0]!)}`;
      return `${escapedKey}=${values.map(uriEscape).sort().join(`&${escapedKey}=`)}`;
    })
    .filter((part) => part)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export interface SignatureInput {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  signedHeaders: string[];
  xDate: string;
  date: string;
  region: string;
  service: string;
  secret: string;
}

/** The hex signature the SDK would have produced for this request. */
export function computeSignature(input: SignatureInput): string {
  const canonicalHeaders = input.signedHeaders
    .map((name) => `${name}:${(headerValue(input.headers, name) ?? '').replace(/\s+/g, ' ').trim()}`)
    .join('\n');
  // The SDK hashes the body into X-Content-Sha256 whenever there is one, and signs "" otherwise.
  const bodyHash = headerValue(input.headers, 'x-content-sha256') ?? sha256Hex(input.body);
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path || '/',
    canonicalQuery(input.query),
    `${canonicalHeaders}\n`,
    input.signedHeaders.join(';'),
    bodyHash,
  ].join('\n');
  const scope = [input.date, input.region, input.service, 'request'].join('/');
  const stringToSign = [VOLCENGINE_ALGORITHM, input.xDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(input.secret, input.date);
  const kRegion = hmac(kDate, input.region);
  const kService = hmac(kRegion, input.service);
  const kSigning = hmac(kService, 'request');
  return hmac(kSigning, stringToSign).toString('hex');
}

/** X-Date is ISO 8601 basic: 20240102T030405Z. */
export function parseXDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(ms) ? undefined : ms;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string, meta: EnvelopeMeta): ParsedAuthorization {
  const invalid = () =>
    new VolcengineGatewayError(
      400,
      'InvalidAuthorization',
      "Invalid 'Authorization' header, Pls check authorization header.",
      meta,
    );
  if (!header.startsWith(`${VOLCENGINE_ALGORITHM} `)) throw invalid();
  const fields = new Map<string, string>();
  for (const part of header.slice(VOLCENGINE_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid();
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!signature) {
    throw new VolcengineGatewayError(401, 'MissingSignature', 'The request is missing signature.', meta);
  }
  if (credential === undefined || signedHeaders === undefined) throw invalid();
  const scope = credential.split('/');
  if (
    scope.length !== 5 ||
    scope.some((part) => !part) ||
    scope[4] !== 'request' ||
    !/^\d{8}$/.test(scope[1]!)
  ) {
    throw new VolcengineGatewayError(
      400,
      'InvalidCredential',
      "Invalid credential in 'Authorization', Pls check credential in authorization header.",
      meta,
    );
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders
      .split(';')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    signature: signature.toLowerCase(),
  };
}

/** Parameters as the service reads them: the query, plus a urlencoded or JSON body when one was sent. */
function requestParams(req: RawRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of req.query) {
    if (key !== 'Action' && key !== 'Version') params[key] = value;
  }
  if (req.body.length === 0) return params;
  const contentType = headerValue(req.headers, 'content-type') ?? '';
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(req.body.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
    } catch {
      // A body that is not JSON carries no parameters; the action's own validation answers.
    }
  } else if (contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) {
      if (key !== 'Action' && key !== 'Version') params[key] = value;
    }
  }
  return params;
}

function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// ---- the family ---------------------------------------------------------------------------------

export interface VolcengineFamilyOptions {
  /** Largest accepted |X-Date - now|, in seconds. */
  clockSkewSeconds?: number;
}

/** Volcengine request ids: the UTC time to the second, then 20 upper-case hex digits. */
export function volcengineRequestId(now = Date.now()): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]|\.\d{3}Z$/g, '');
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export function createVolcengineFamily(options: VolcengineFamilyOptions = {}): CloudFamily {
  return {
    provider: 'volcengine',

    matches(req: RawRequest): boolean {
      const auth = headerValue(req.headers, 'authorization');
      if (auth?.startsWith(`${VOLCENGINE_ALGORITHM} `)) return true;
      // Unsigned, or signed badly (empty or cut Authorization), but clearly aimed at Volcengine:
      // answer its MissingAuthenticationToken / InvalidAuthorization. The families before this one
      // in the registry have claimed their own marks already.
      return headerValue(req.headers, 'x-date') !== undefined;
    },

    authenticate(req, env): ApiCall {
      const action = req.query.get('Action') ?? undefined;
      const version = req.query.get('Version') ?? undefined;
      const meta: EnvelopeMeta = { Action: action, Version: version };
      const auth = headerValue(req.headers, 'authorization');
      if (!auth) {
        throw new VolcengineGatewayError(
          401,
          'MissingAuthenticationToken',
          'Request is missing Authentication Token.',
          meta,
        );
      }
      const parsed = parseAuthorization(auth, meta);
      meta.Service = parsed.service;
      meta.Region = parsed.region;

      const xDate = headerValue(req.headers, 'x-date');
      if (!xDate) {
        throw new VolcengineGatewayError(
          400,
          'MissingRequestInfo',
          'The request is missing X-Date information.',
          meta,
        );
      }
      const skewMs = (env.clockSkewSeconds ?? options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
      const signedAt = parseXDate(xDate);
      if (signedAt === undefined || Math.abs(env.now - signedAt) > skewMs) {
        throw new VolcengineGatewayError(
          403,
          'InvalidTimestamp',
          'The Signature of the request is expired.',
          meta,
        );
      }
      const account = env.findAccount(parsed.accessKeyId);
      if (!account || account.provider !== 'volcengine') {
        throw new VolcengineGatewayError(
          401,
          'InvalidAccessKey',
          `The accesskey [${parsed.accessKeyId}] included in the request is invalid.`,
          meta,
        );
      }
      if (!verify(req, parsed, xDate, account)) {
        throw new VolcengineGatewayError(
          401,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method. Consult the service documentation for details.',
          meta,
        );
      }

      if (!action || !version) {
        throw new VolcengineGatewayError(
          400,
          'MissingParameter',
          `The request is missing ${action ? 'Version' : 'Action'} parameter.`,
          meta,
        );
      }
      const ofService = env.products.filter(
        (p) => p.provider === 'volcengine' && p.service === parsed.service,
      );
      if (ofService.length === 0) {
        throw new VolcengineGatewayError(
          404,
          'ServiceNotFound',
          `This service[${parsed.service}] not found.`,
          meta,
        );
      }
      const product = ofService.find(
        (p: ProductHandler) => p.version === version && Object.hasOwn(p.actions, action),
      );
      if (!product) {
        throw new VolcengineGatewayError(
          404,
          'InvalidActionOrVersion',
          `Could not find operation ${action} for version ${version}.`,
          meta,
        );
      }
      return {
        provider: 'volcengine',
        service: product.service,
        action,
        version,
        region: parsed.region,
        accessKeyId: parsed.accessKeyId,
        account: account.account,
        params: requestParams(req),
        requestId: env.requestId,
        raw: req,
      };
    },

    render(call, outcome, requestId): RenderedResponse {
      const meta: EnvelopeMeta = call
        ? { Action: call.action, Version: call.version, Service: call.service, Region: call.region }
        : outcome.ok === false && outcome.error instanceof VolcengineGatewayError
          ? outcome.error.meta
          : {};
      const responseMetadata: Record<string, unknown> = {
        RequestId: requestId,
        Action: meta.Action,
        Version: meta.Version,
        Service: meta.Service,
        Region: meta.Region,
      };
      let status = 200;
      let body: Record<string, unknown>;
      if (outcome.ok) {
        body = { ResponseMetadata: responseMetadata, Result: outcome.payload ?? {} };
      } else {
        const { error } = outcome;
        status = error.httpStatus;
        const codeN = CODE_N[error.code];
        responseMetadata.Error =
          codeN === undefined
            ? { Code: error.code, Message: error.message }
            : { Code: error.code, CodeN: codeN, Message: error.message };
        body = { ResponseMetadata: responseMetadata };
      }
      return {
        status,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': requestId },
        body: JSON.stringify(body),
      };
    },

    throttled(): EmulatorApiError {
      return new EmulatorApiError(
        429,
        'AccountFlowLimitExceeded',
        'Request was denied due to exceeding the request rate limit of this account. Please try again later.',
      );
    },

    idempotentParameterMismatch(): EmulatorApiError {
      return new EmulatorApiError(
        400,
        'IdempotentParameterMismatch',
        'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.',
      );
    },

    idempotentProcessing(): EmulatorApiError {
      return new EmulatorApiError(
        412,
        'IdempotentProcessing',
        'The request uses the same client token as a previous one that is still in process.',
      );
    },

    invalidClientToken(): EmulatorApiError {
      return new EmulatorApiError(
        400,
        'InvalidClientToken.Malformed',
        'The specified ClientToken is malformed.',
      );
    },

    bodyRefused(tooLarge): EmulatorApiError {
      return tooLarge
        ? new EmulatorApiError(
            413,
            'InvalidParameter',
            'The request body is larger than the service accepts.',
          )
        : new EmulatorApiError(400, 'InvalidParameter', 'The request body could not be read.');
    },

    peekAction(req: RawRequest): string | undefined {
      return req.query.get('Action') ?? undefined;
    },

    newRequestId(): string {
      return volcengineRequestId();
    },
  };

  function verify(
    req: RawRequest,
    parsed: ParsedAuthorization,
    xDate: string,
    account: EmulatorAccount,
  ): boolean {
    // The scope's date and X-Date come from one clock reading in the SDK; a mismatch is a forgery.
    if (parsed.date !== xDate.slice(0, 8)) return false;
    // The SDK always signs x-date; a signature that leaves it out could be replayed at any time.
    if (!parsed.signedHeaders.includes('x-date')) return false;
    const declaredBodyHash = headerValue(req.headers, 'x-content-sha256');
    if (declaredBodyHash !== undefined && declaredBodyHash !== sha256Hex(req.body)) return false;
    if (declaredBodyHash !== undefined && !parsed.signedHeaders.includes('x-content-sha256')) return false;
    const expected = computeSignature({
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      body: req.body,
      signedHeaders: parsed.signedHeaders,
      xDate,
      date: parsed.date,
      region: parsed.region,
      service: parsed.service,
      secret: account.accessKeySecret,
    });
    return safeEqualHex(expected, parsed.signature);
  }
}

/** The family with default settings, as registered in src/emulator/registry.ts. */
export const volcengineFamily: CloudFamily = createVolcengineFamily();
