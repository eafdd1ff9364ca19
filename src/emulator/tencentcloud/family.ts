// Tencent Cloud's wire protocol (API 3.0, TC3-HMAC-SHA256) as tencentcloud-sdk-nodejs-common 4.1.220
// speaks it: POST / with a JSON body (GET with a flattened query also works), the X-TC-* headers,
// and `Authorization: TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=content-type;host, Signature=<hex>`. Every answer, error or not, is HTTP 200 with
// `{ "Response": { ..., "RequestId" } }`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type {
  ApiCall,
  CloudFamily,
  EmulatorAccount,
  ProductHandler,
  RawRequest,
  RenderedResponse,
} from '../types';
import { tokenProblem } from '../sts';
import { EmulatorApiError } from '../types';

/** Tencent refuses a request whose X-TC-Timestamp is more than five minutes off the server clock. */
export const TENCENT_CLOCK_SKEW_SECONDS = 300;

const ALGORITHM = 'TC3-HMAC-SHA256';

/** A Tencent API error: always rendered with HTTP 200, like the real gateway does. */
export function tencentError(code: string, message: string): EmulatorApiError {
  return new EmulatorApiError(200, code, message);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value[0];
  return value;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (!value) throw tencentError('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
  const match =
    /^TC3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
      value.trim(),
    );
  if (!match) {
    throw tencentError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header does not follow the TC3-HMAC-SHA256 format: ' +
        '`TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<Service>/tc3_request, SignedHeaders=..., Signature=...`.',
    );
  }
  const scope = match[1].split('/');
  if (
    scope.length !== 4 ||
    scope[3] !== 'tc3_request' ||
    !scope[0] ||
    !/^\d{4}-\d{2}-\d{2}$/.test(scope[1]) ||
    !scope[2]
  ) {
    throw tencentError(
      'AuthFailure.InvalidAuthorization',
      'The Credential of the Authorization header must be `<SecretId>/<YYYY-MM-DD>/<Service>/tc3_request`.',
    );
  }
  const signedHeaders = match[2].toLowerCase().split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('content-type')) {
    throw tencentError(
      'AuthFailure.InvalidAuthorization',
      'SignedHeaders must include at least content-type and host.',
    );
  }
  return {
    secretId: scope[0],
    date: scope[1],
    service: scope[2],
    signedHeaders,
    signature: match[3].toLowerCase(),
  };
}

function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/**
 * The canonical query string as the SDK builds it for GET (querystring.stringify, which escapes
 * like encodeURIComponent). RawRequest only keeps the parsed query, so it is re-encoded.
 */
function canonicalQuery(query: URLSearchParams): string {
  const parts: string[] = [];
  for (const [key, value] of query) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return parts.join('&');
}

function stringToSign(
  req: RawRequest,
  auth: ParsedAuthorization,
  timestamp: number,
  hostValue: string,
): string {
  // Header names and values are lower-cased and trimmed (Tencent's signature v3 rules); host is
  // taken without the port, which is what the Node SDK signs (URL.hostname).
  const canonicalHeaders = auth.signedHeaders
    .map((name) => {
      const value = name === 'host' ? hostValue : (header(req.headers, name) ?? '');
      return `${name}:${value.trim().toLowerCase()}\n`;
    })
    .join('');
  const method = req.method.toUpperCase();
  const payloadHash = sha256Hex(method === 'GET' ? '' : req.body);
  const canonicalRequest = [
    method,
    req.path || '/',
    method === 'GET' ? canonicalQuery(req.query) : '',
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  return [
    ALGORITHM,
    String(timestamp),
    `${auth.date}/${auth.service}/tc3_request`,
    sha256Hex(canonicalRequest),
  ].join('\n');
}

function sign(secretKey: string, date: string, service: string, toSign: string): string {
  const kDate = hmac('TC3' + secretKey, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(toSign).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Host header split into hostname and port ('[::1]:8080' included). */
function splitHost(host: string): { hostname: string; withPort: string } {
  const trimmed = host.trim();
  const bracketed = /^(\[[^\]]+\])(?::\d+)?$/.exec(trimmed);
  if (bracketed) return { hostname: bracketed[1], withPort: trimmed };
  const colon = trimmed.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(trimmed.slice(colon + 1)))
    return { hostname: trimmed.slice(0, colon), withPort: trimmed };
  return { hostname: trimmed, withPort: trimmed };
}

/** `AppSids.0=a&AppSids.1=b&Filters.0.Name=x` back into `{ AppSids: ['a','b'], Filters: [{ Name: 'x' }] }`. */
function unflatten(query: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, raw] of query) {
    const path = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]);
      const slot: string | number = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = raw;
      } else {
        if (container[slot] === undefined || typeof container[slot] !== 'object')
          container[slot] = nextIsIndex ? [] : {};
        node = container[slot] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}

function parseParams(req: RawRequest): Record<string, unknown> {
  const method = req.method.toUpperCase();
  if (method === 'GET') return unflatten(req.query);
  if (method !== 'POST') {
    throw tencentError('InvalidParameter', `HTTP method ${req.method} is not supported; use POST or GET.`);
  }
  const contentType = (header(req.headers, 'content-type') ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    throw tencentError(
      'InvalidParameter',
      `Content-Type ${contentType || '(none)'} is not supported for POST; send application/json.`,
    );
  }
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw tencentError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw tencentError('InvalidParameter', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function hasAction(product: ProductHandler, action: string): boolean {
  return Object.prototype.hasOwnProperty.call(product.actions, action);
}

/**
 * Which product serves action+version. The scope's service is only a hint: with an overridden
 * endpoint the SDK puts the host's first label there ('127' for 127.0.0.1), so routing is by the
 * X-TC-Action / X-TC-Version pair.
 */
function route(products: ProductHandler[], action: string, version: string, hints: string[]): ProductHandler {
  const candidates = products.filter(
    (p) => p.provider === 'tencentcloud' && p.version === version && hasAction(p, action),
  );
  if (candidates.length === 0) {
    throw tencentError(
      'InvalidAction',
      `The action ${action} (version ${version}) was not found or is not supported.`,
    );
  }
  for (const hint of hints) {
    const named = candidates.find((p) => p.service === hint);
    if (named) return named;
  }
  return candidates[0];
}

/**
 * Actions the gateway serves unsigned: the caller has no keys yet, it proves itself with the token
 * in the body. The SDK sends them with `Authorization: SKIP` (OIDCRoleArnCredential, skipSign).
 */
const UNSIGNED_ACTIONS = new Set(['sts:AssumeRoleWithWebIdentity']);

/** The account an unsigned call is booked on (quotas and the call log); it owns no resources. */
export const UNSIGNED_ACCOUNT = 'unsigned';

function unsignedCall(req: RawRequest, env: Parameters<CloudFamily['authenticate']>[1]): ApiCall {
  const action = header(req.headers, 'x-tc-action')?.trim() ?? '';
  const version = header(req.headers, 'x-tc-version')?.trim() ?? '';
  const product = route(env.products, action, version, ['sts']);
  if (!UNSIGNED_ACTIONS.has(`${product.service}:${action}`)) {
    throw tencentError('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
  }
  return {
    provider: 'tencentcloud',
    service: product.service,
    action,
    version,
    region: header(req.headers, 'x-tc-region')?.trim() || undefined,
    accessKeyId: '',
    account: UNSIGNED_ACCOUNT,
    params: parseParams(req),
    requestId: env.requestId,
    raw: req,
  };
}

export interface TencentFamilyOptions {
  /** Used when the emulator passes no clockSkewSeconds setting. */
  clockSkewSeconds?: number;
}

export function createTencentFamily(options: TencentFamilyOptions = {}): CloudFamily {
  const defaultSkew = options.clockSkewSeconds ?? TENCENT_CLOCK_SKEW_SECONDS;

  return {
    provider: 'tencentcloud',

    matches(req: RawRequest): boolean {
      if (header(req.headers, 'x-tc-action') !== undefined) return true;
      return (header(req.headers, 'authorization') ?? '').trimStart().startsWith(ALGORITHM);
    },

    peekAction(req: RawRequest): string | undefined {
      return header(req.headers, 'x-tc-action')?.trim() || undefined;
    },

    authenticate(req, env): ApiCall {
      if (header(req.headers, 'authorization')?.trim() === 'SKIP') return unsignedCall(req, env);
      const auth = parseAuthorization(header(req.headers, 'authorization'));
      const action = header(req.headers, 'x-tc-action')?.trim();
      const version = header(req.headers, 'x-tc-version')?.trim();
      const rawTimestamp = header(req.headers, 'x-tc-timestamp')?.trim();
      if (!action)
        throw tencentError('MissingParameter', 'The request is missing the required header X-TC-Action.');
      if (!version)
        throw tencentError('MissingParameter', 'The request is missing the required header X-TC-Version.');
      if (!rawTimestamp)
        throw tencentError('MissingParameter', 'The request is missing the required header X-TC-Timestamp.');
      if (!/^\d{1,12}$/.test(rawTimestamp)) {
        throw tencentError('InvalidParameter', 'X-TC-Timestamp must be a Unix timestamp in seconds.');
      }
      const timestamp = Number(rawTimestamp);
      // The emulator's clockSkewSeconds setting wins over Tencent's own five minutes.
      const skew = env.clockSkewSeconds ?? defaultSkew;
      const nowSeconds = Math.floor(env.now / 1000);
      if (Math.abs(nowSeconds - timestamp) > skew) {
        throw tencentError(
          'AuthFailure.SignatureExpire',
          `Signature expired. Timestamp ${timestamp} differs from the server time ${nowSeconds} by more than ${skew} seconds.`,
        );
      }
      const account: EmulatorAccount | undefined = env.findAccount(auth.secretId);
      if (!account || account.provider !== 'tencentcloud') {
        throw tencentError(
          'AuthFailure.SecretIdNotFound',
          `The SecretId ${auth.secretId} is not found, please ensure that your SecretId is correct.`,
        );
      }
      // Temporary keys (STS) need their own token, unexpired; long-term keys take none.
      const tokenIssue = tokenProblem(account, header(req.headers, 'x-tc-token') || undefined, env.now);
      if (tokenIssue) {
        throw tencentError(
          'AuthFailure.TokenFailure',
          tokenIssue === 'expired'
            ? 'The X-TC-Token has expired: request new temporary credentials.'
            : tokenIssue === 'unexpected'
              ? 'The X-TC-Token is invalid: these keys are not temporary credentials.'
              : 'The X-TC-Token is missing or does not belong to these temporary credentials.',
        );
      }
      if (auth.date !== utcDate(timestamp)) {
        throw tencentError(
          'AuthFailure.SignatureFailure',
          `The date ${auth.date} of the credential scope is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)}).`,
        );
      }
      const host = header(req.headers, 'host') ?? '';
      const { hostname, withPort } = splitHost(host);
      // The Node SDK signs the host without the port; other SDKs sign what they send. Accept both.
      const hostCandidates = hostname === withPort ? [hostname] : [hostname, withPort];
      const valid = hostCandidates.some((h) =>
        sameHex(
          sign(account.accessKeySecret, auth.date, auth.service, stringToSign(req, auth, timestamp, h)),
          auth.signature,
        ),
      );
      if (!valid) {
        throw tencentError(
          'AuthFailure.SignatureFailure',
          'The provided credentials could not be validated. Please check your signature is correct.',
        );
      }
      const firstLabel = hostname
        .replace(/^\[|\]$/g, '')
        .split('.')[0]
        .toLowerCase();
      const product = route(env.products, action, version, [auth.service, firstLabel]);
      // The scope must name the product (real endpoint) or the host's first label (what the SDK
      // signs with an overridden endpoint); anything else would fail on the real gateway too.
      if (auth.service !== product.service && auth.service !== firstLabel) {
        throw tencentError(
          'AuthFailure.SignatureFailure',
          `The service ${auth.service} of the credential scope does not match ${product.service}.`,
        );
      }
      const params = parseParams(req);
      const region = header(req.headers, 'x-tc-region')?.trim() || undefined;
      return {
        provider: 'tencentcloud',
        service: product.service,
        action,
        version,
        region,
        accessKeyId: auth.secretId,
        account: account.account,
        params,
        requestId: env.requestId,
        raw: req,
      };
    },

    render(_call, outcome, requestId): RenderedResponse {
      const headers = { 'Content-Type': 'application/json', 'X-TC-RequestId': requestId };
      if (outcome.ok) {
        const payload =
          outcome.payload && typeof outcome.payload === 'object' && !Array.isArray(outcome.payload)
            ? (outcome.payload as Record<string, unknown>)
            : {};
        return {
          status: 200,
          headers,
          body: JSON.stringify({ Response: { ...payload, RequestId: requestId } }),
        };
      }
      const { error } = outcome;
      // Tencent answers every API error with HTTP 200 and the envelope, whatever status a fault
      // carries. Only a fault coded `HTTP<status>` (e.g. HTTP502) fails below the API, the way a
      // load balancer in front of it does: that status, no envelope.
      const gateway = /^HTTP([1-5]\d\d)$/.exec(error.code);
      if (gateway && gateway[1] !== '200') {
        return {
          status: Number(gateway[1]),
          headers: { 'Content-Type': 'text/plain', 'X-TC-RequestId': requestId },
          body: error.message,
        };
      }
      return {
        status: 200,
        headers,
        body: JSON.stringify({
          Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId },
        }),
      };
    },

    throttled(call): EmulatorApiError {
      return tencentError(
        'RequestLimitExceeded',
        `Your current request times exceeds the frequency limit of ${call.action} for a second. Please reduce the frequency of calls.`,
      );
    },

    // GAAP, the Tencent product here that takes a ClientToken, documents exactly one code about
    // ClientToken reuse: FailedOperation.DuplicatedRequest ("duplicated request, check the value of
    // ClientToken"); Tencent has no IdempotentParameterMismatch. Terraform's GAAP code builds a new
    // token for every retry, which fits GAAP refusing a reused token. Same token + same parameters
    // replays the first answer (design section 8); same token + other parameters is the duplicate.
    idempotentParameterMismatch(call): EmulatorApiError {
      return tencentError(
        'FailedOperation.DuplicatedRequest',
        `Duplicated request: the ClientToken of this ${call.action} was already used with other parameters. Please check the value of ClientToken.`,
      );
    },

    invalidClientToken(call): EmulatorApiError {
      return tencentError(
        'InvalidParameterValue',
        `The ClientToken of ${call.action} must be at most 64 ASCII characters.`,
      );
    },

    // RequestSizeLimitExceeded is one of Tencent's common error codes (the request is too large).
    bodyRefused(tooLarge): EmulatorApiError {
      return tooLarge
        ? tencentError('RequestSizeLimitExceeded', 'The request size exceeds the limit.')
        : tencentError('InvalidParameter', 'The request body could not be read.');
    },

    // "The operation is in progress, do not repeat it": GAAP's code for a second request while the
    // first one with the same ClientToken is still running.
    idempotentProcessing(call): EmulatorApiError {
      return tencentError(
        'FailedOperation.ActionIsDoing',
        `The ${call.action} request with this ClientToken is still being processed. Do not repeat the operation.`,
      );
    },
  };
}

export const tencentFamily: CloudFamily = createTencentFamily();

// ---- parameter checks shared by the Tencent products -----------------------------------------
// Tencent's own codes: MissingParameter (absent), InvalidParameter (wrong type or shape),
// InvalidParameterValue (right type, value out of range), UnknownParameter (a name the action does
// not take).

export function rejectUnknown(params: Record<string, unknown>, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name))
      throw tencentError('UnknownParameter', `The parameter \`${name}\` is not recognized.`);
  }
}

export function present(params: Record<string, unknown>, name: string): boolean {
  return params[name] !== undefined && params[name] !== null;
}

export function stringList(
  params: Record<string, unknown>,
  name: string,
  opts: { max: number; required?: boolean },
): string[] | undefined {
  if (!present(params, name)) {
    if (opts.required)
      throw tencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
    return undefined;
  }
  const value = params[name];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw tencentError('InvalidParameter', `The parameter \`${name}\` must be an array of strings.`);
  }
  const list = value as string[];
  if (list.length === 0)
    throw tencentError('InvalidParameterValue', `The parameter \`${name}\` must not be empty.`);
  if (list.length > opts.max) {
    throw tencentError(
      'InvalidParameterValue',
      `The parameter \`${name}\` takes at most ${opts.max} items, got ${list.length}.`,
    );
  }
  if (list.some((v) => v.trim() === '')) {
    throw tencentError('InvalidParameterValue', `The parameter \`${name}\` must not contain empty strings.`);
  }
  return [...new Set(list)];
}

/** An integer parameter; GET queries carry numbers as strings, so numeric strings are accepted. */
export function integer(
  params: Record<string, unknown>,
  name: string,
  opts: { min: number; max: number; required?: boolean },
): number | undefined {
  if (!present(params, name)) {
    if (opts.required)
      throw tencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
    return undefined;
  }
  const raw = params[name];
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw tencentError('InvalidParameter', `The parameter \`${name}\` must be an integer.`);
  }
  if (value < opts.min || value > opts.max) {
    throw tencentError(
      'InvalidParameterValue',
      `The parameter \`${name}\` must be between ${opts.min} and ${opts.max}, got ${value}.`,
    );
  }
  return value;
}

export function string(
  params: Record<string, unknown>,
  name: string,
  opts: { maxLength: number; oneOf?: readonly string[] },
): string | undefined {
  if (!present(params, name)) return undefined;
  const value = params[name];
  if (typeof value !== 'string')
    throw tencentError('InvalidParameter', `The parameter \`${name}\` must be a string.`);
  if (value.length > opts.maxLength) {
    throw tencentError(
      'InvalidParameterValue',
      `The parameter \`${name}\` is longer than ${opts.maxLength} characters.`,
    );
  }
  if (opts.oneOf && !opts.oneOf.includes(value)) {
    throw tencentError(
      'InvalidParameterValue',
      `The parameter \`${name}\` must be one of ${opts.oneOf.join(', ')}, got ${value}.`,
    );
  }
  return value;
}

/** An array of objects (Filters, TagSet): each item checked by `item`. */
export function objectList<T>(
  params: Record<string, unknown>,
  name: string,
  max: number,
  item: (value: Record<string, unknown>, index: number) => T,
): T[] | undefined {
  if (!present(params, name)) return undefined;
  const value = params[name];
  if (!Array.isArray(value) || value.some((v) => !v || typeof v !== 'object' || Array.isArray(v))) {
    throw tencentError('InvalidParameter', `The parameter \`${name}\` must be an array of objects.`);
  }
  if (value.length > max) {
    throw tencentError(
      'InvalidParameterValue',
      `The parameter \`${name}\` takes at most ${max} items, got ${value.length}.`,
    );
  }
  return value.map((v, i) => item(v as Record<string, unknown>, i));
}

export function unixSeconds(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
