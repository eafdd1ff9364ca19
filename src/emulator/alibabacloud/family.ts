// Alibaba Cloud wire protocol: ACS3-HMAC-SHA256 as @alicloud/openapi-client 0.4.x signs it
// (callApi -> doRequest -> OpenApiUtil.getAuthorization) and the older RPC HMAC-SHA1 signature
// (Signature/SignatureNonce/Timestamp/AccessKeyId in the query or form). Errors use Alibaba's
// codes and body { RequestId, HostId, Code, Message, Recommend }; ROA products (SAE) get SAE's
// envelope { RequestId, Code, Message, TraceId, Data, ErrorCode, Success }.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { tokenProblem } from '../sts';
import {
  EmulatorApiError,
  type ApiCall,
  type EmulatorAccount,
  type CloudFamily,
  type ProductHandler,
  type RawRequest,
  type RenderedResponse,
} from '../types';

const DEFAULT_SKEW_SECONDS = 900;
const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** RPC parameters that belong to the protocol, not to the API: never handed to products. */
const RPC_COMMON_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'AccessKeyId',
  'Signature',
  'SecurityToken',
  'SignatureType',
  'BearerToken',
]);

/** Headers a valid ACS3 signature must cover, or a replayed/forged value could slip through. */
const ACS3_REQUIRED_SIGNED = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
];

// Alibaba's own messages for its common errors.
const MSG = {
  accessKeyNotFound: 'Specified access key is not found.',
  incomplete: 'The request signature does not conform to Aliyun standards.',
  expired: 'Specified time stamp or date value is expired.',
  badTimestamp: 'Specified time stamp or date value is not well formatted.',
  nonceUsed: 'Specified signature nonce was used already.',
  actionNotFound: 'Specified api is not found, please check your url and method.',
  badVersion: 'Specified parameter Version is not valid.',
  throttled: 'Request was denied due to user flow control.',
  mismatch: 'Request uses a client token in a previous request but is not identical to that request.',
  processing: 'The last token request is processing.',
  badToken: 'The ClientToken provided is invalid.',
};

/** Percent-encoding of OpenApiUtil (encodeURIComponent plus !'()*). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

function header(req: RawRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function missing(name: string): EmulatorApiError {
  return new EmulatorApiError(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

function incomplete(detail?: string): EmulatorApiError {
  return new EmulatorApiError(
    400,
    'IncompleteSignature',
    detail ? `${MSG.incomplete} ${detail}` : MSG.incomplete,
  );
}

/** Query parameters, later duplicates winning (as the SDK's object-shaped query would). */
function queryParams(req: RawRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) out[k] = v;
  return out;
}

function contentType(req: RawRequest): string {
  return (header(req, 'content-type') ?? '').toLowerCase();
}

function formParams(req: RawRequest): Record<string, string> {
  if (!contentType(req).includes('application/x-www-form-urlencoded') || req.body.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) out[k] = v;
  return out;
}

function jsonParams(req: RawRequest): Record<string, unknown> {
  if (!contentType(req).includes('json') || req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new EmulatorApiError(400, 'InvalidParameter', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EmulatorApiError(400, 'InvalidParameter', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** Accepts the ISO 8601 UTC form Alibaba documents: YYYY-MM-DDThh:mm:ssZ (optional fraction). */
function checkTimestamp(value: string, now: number, skewSeconds: number): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) {
    throw new EmulatorApiError(400, 'InvalidTimeStamp.Format', MSG.badTimestamp);
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new EmulatorApiError(400, 'InvalidTimeStamp.Format', MSG.badTimestamp);
  if (Math.abs(now - at) > skewSeconds * 1000) {
    throw new EmulatorApiError(400, 'InvalidTimeStamp.Expired', MSG.expired);
  }
}

function sameString(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The ACS3 canonical request exactly as OpenApiUtil.getAuthorization builds it. */
export function acs3CanonicalRequest(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  signedHeaders: string[],
  payloadHash: string,
): string {
  // The SDK applies these single (first-occurrence) replacements to its pathname before signing.
  const canonicalUri = (path || '').replace('+', '%20').replace('*', '%2A').replace('%7E', '~');
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${k}=${percentEncode(query[k])}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(headers[h] ?? '').trim()}\n`).join('');
  return [method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), payloadHash].join(
    '\n',
  );
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** The RPC HMAC-SHA1 string to sign: METHOD&%2F&encode(sorted k=v joined by &). */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export function rpcSignature(method: string, params: Record<string, string>, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(rpcStringToSign(method, params)).digest('base64');
}

type Env = Parameters<CloudFamily['authenticate']>[1];

// Which envelope a call gets; set when the call is authenticated (ROA products: SAE's).
const envelopes = new WeakMap<ApiCall, 'RPC' | 'ROA'>();

function regionOf(params: Record<string, unknown>, req: RawRequest): string | undefined {
  if (typeof params.RegionId === 'string' && params.RegionId) return params.RegionId;
  const fromHeader = header(req, 'x-acs-region-id');
  if (fromHeader) return fromHeader;
  // Real endpoints carry it: ecs.cn-hangzhou.aliyuncs.com, sae.cn-shanghai.aliyuncs.com.
  const host = header(req, 'host') ?? '';
  const m = /^[a-z0-9-]+\.([a-z]{2,}-[a-z0-9-]+)\.aliyuncs\.com/i.exec(host);
  return m ? m[1] : undefined;
}

function resolveProduct(
  products: ProductHandler[],
  action: string | undefined,
  version: string,
  req: RawRequest,
): { product: ProductHandler; action: string } {
  const sameVersion = products.filter((p) => p.provider === 'alibabacloud' && p.version === version);
  if (sameVersion.length === 0) throw new EmulatorApiError(400, 'InvalidVersion', MSG.badVersion);
  let decodedPath = req.path;
  try {
    decodedPath = decodeURIComponent(req.path);
  } catch {
    // keep the raw path; a malformed escape simply matches no route
  }
  for (const product of sameVersion) {
    const route = product.roaRoutes?.find(
      (r) => r.method.toUpperCase() === req.method && (r.path === req.path || r.path === decodedPath),
    );
    if (route && Object.hasOwn(product.actions, route.action)) return { product, action: route.action };
  }
  if (action) {
    const product = sameVersion.find((p) => Object.hasOwn(p.actions, action));
    if (product) return { product, action };
  }
  throw new EmulatorApiError(404, 'InvalidAction.NotFound', MSG.actionNotFound);
}

function buildCall(
  req: RawRequest,
  env: Env,
  accessKeyId: string,
  account: string,
  action: string | undefined,
  version: string,
  params: Record<string, unknown>,
): ApiCall {
  const routed = resolveProduct(env.products, action, version, req);
  const call: ApiCall = {
    provider: 'alibabacloud',
    service: routed.product.service,
    action: routed.action,
    version,
    region: regionOf(params, req),
    accessKeyId,
    account,
    params,
    requestId: env.requestId,
    raw: req,
  };
  envelopes.set(call, routed.product.roaRoutes && routed.product.roaRoutes.length > 0 ? 'ROA' : 'RPC');
  return call;
}

/** Temporary keys (STS) sign only with their own unexpired SecurityToken. */
function checkSecurityToken(account: EmulatorAccount, token: string | undefined, now: number): void {
  const problem = tokenProblem(account, token || undefined, now);
  // Long-term keys with a token: Alibaba ignores the token, and so do we.
  if (!problem || problem === 'unexpected') return;
  if (problem === 'expired')
    throw new EmulatorApiError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  throw new EmulatorApiError(
    400,
    'InvalidSecurityToken.MismatchWithAccessKey',
    'Specified SecurityToken mismatch with the AccessKey.',
  );
}

function rememberNonce(env: Env, accessKeyId: string, nonce: string): void {
  if (env.rememberNonce && !env.rememberNonce(`alibabacloud:${accessKeyId}:${nonce}`)) {
    throw new EmulatorApiError(400, 'SignatureNonceUsed', MSG.nonceUsed);
  }
}

function authenticateAcs3(req: RawRequest, authorization: string, env: Env): ApiCall {
  const m = /^(ACS3-[A-Za-z0-9-]+)\s+(.+)$/.exec(authorization.trim());
  if (!m) throw incomplete('The Authorization header is malformed.');
  if (m[1] !== ACS3_ALGORITHM) throw incomplete(`Specified signature algorithm ${m[1]} is not supported.`);
  const fields: Record<string, string> = {};
  for (const part of m[2].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const accessKeyId = fields.Credential;
  const signature = fields.Signature;
  if (!accessKeyId || !signature || fields.SignedHeaders === undefined) {
    throw incomplete('The Authorization header must carry Credential, SignedHeaders and Signature.');
  }
  const signedHeaders = fields.SignedHeaders.split(';')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const unsigned = ACS3_REQUIRED_SIGNED.filter((h) => !signedHeaders.includes(h));
  if (unsigned.length > 0) throw incomplete(`SignedHeaders must include ${unsigned.join(', ')}.`);

  const action = header(req, 'x-acs-action');
  const version = header(req, 'x-acs-version');
  if (!action) throw missing('Action');
  if (!version) throw missing('Version');
  const date = header(req, 'x-acs-date');
  const nonce = header(req, 'x-acs-signature-nonce');
  const payloadHash = header(req, 'x-acs-content-sha256');
  if (!date || !nonce || !payloadHash)
    throw incomplete('x-acs-date, x-acs-signature-nonce and x-acs-content-sha256 are required.');

  const account = env.findAccount(accessKeyId);
  if (!account) throw new EmulatorApiError(404, 'InvalidAccessKeyId.NotFound', MSG.accessKeyNotFound);
  checkTimestamp(date, env.now, env.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  checkSecurityToken(account, header(req, 'x-acs-security-token'), env.now);

  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = header(req, h) ?? '';
  const query = queryParams(req);
  const stringToSign = acs3StringToSign(
    acs3CanonicalRequest(req.method, req.path, query, headers, signedHeaders, payloadHash),
  );
  const expected = createHmac('sha256', account.accessKeySecret).update(stringToSign).digest('hex');
  if (!sameString(expected, signature.toLowerCase())) {
    throw new EmulatorApiError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
    );
  }
  // The signature covers the declared hash; the body must also be the one that was hashed.
  if (!sameString(sha256Hex(req.body), payloadHash.toLowerCase())) {
    throw new EmulatorApiError(
      400,
      'SignatureDoesNotMatch',
      'Specified signature does not match our calculation: x-acs-content-sha256 does not match the request body.',
    );
  }
  rememberNonce(env, accessKeyId, nonce);

  const params: Record<string, unknown> = { ...query, ...formParams(req), ...jsonParams(req) };
  return buildCall(req, env, accessKeyId, account.account, action, version, params);
}

function authenticateRpc(req: RawRequest, env: Env): ApiCall {
  const all: Record<string, string> = { ...queryParams(req), ...formParams(req) };
  for (const field of ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureNonce']) {
    if (!all[field]) throw incomplete(`The parameter ${field} is missing.`);
  }
  if (all.SignatureMethod !== 'HMAC-SHA1')
    throw incomplete(`Specified signature method ${all.SignatureMethod} is not supported.`);
  if (all.SignatureVersion !== undefined && all.SignatureVersion !== '1.0') {
    throw incomplete(`Specified signature version ${all.SignatureVersion} is not supported.`);
  }
  if (!all.Timestamp) throw missing('Timestamp');
  if (!all.Action) throw missing('Action');
  if (!all.Version) throw missing('Version');

  const account = env.findAccount(all.AccessKeyId);
  if (!account) throw new EmulatorApiError(404, 'InvalidAccessKeyId.NotFound', MSG.accessKeyNotFound);
  checkTimestamp(all.Timestamp, env.now, env.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  checkSecurityToken(account, all.SecurityToken, env.now);

  const { Signature: signature, ...signed } = all;
  const expected = rpcSignature(req.method, signed, account.accessKeySecret);
  if (!sameString(expected, signature)) {
    throw new EmulatorApiError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${rpcStringToSign(req.method, signed)}`,
    );
  }
  rememberNonce(env, all.AccessKeyId, all.SignatureNonce);

  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!RPC_COMMON_PARAMS.has(k)) params[k] = v;
  return buildCall(req, env, all.AccessKeyId, account.account, all.Action, all.Version, params);
}

/**
 * RPC actions the gateway serves unsigned: the caller has no keys yet and proves itself with a
 * token in the form (@alicloud/credentials OIDCRoleArnCredentialsProvider sends no signature).
 */
const UNSIGNED_ACTIONS = new Set(['2015-04-01:AssumeRoleWithOIDC']);

/** The account an unsigned call is booked on (quotas and the call log); it owns no resources. */
export const UNSIGNED_ACCOUNT = 'unsigned';

function isUnsignedRpc(req: RawRequest): boolean {
  const all = { ...queryParams(req), ...formParams(req) };
  return !looksLikeRpcSignature(all) && UNSIGNED_ACTIONS.has(`${all.Version}:${all.Action}`);
}

function unsignedRpc(req: RawRequest, env: Env): ApiCall {
  const all: Record<string, string> = { ...queryParams(req), ...formParams(req) };
  if (!all.Timestamp) throw missing('Timestamp');
  checkTimestamp(all.Timestamp, env.now, env.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!RPC_COMMON_PARAMS.has(k)) params[k] = v;
  return buildCall(req, env, '', UNSIGNED_ACCOUNT, all.Action, all.Version!, params);
}

function looksLikeRpcSignature(params: Record<string, string>): boolean {
  return (
    'SignatureMethod' in params ||
    'Signature' in params ||
    ('SignatureNonce' in params && 'AccessKeyId' in params)
  );
}

function traceIdOf(requestId: string): string {
  return requestId.replace(/-/g, '').toLowerCase();
}

function jsonResponse(status: number, requestId: string, body: unknown): RenderedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
    body: JSON.stringify(body),
  };
}

export const alibabaFamily: CloudFamily = {
  provider: 'alibabacloud',

  matches(req) {
    const authorization = header(req, 'authorization') ?? '';
    if (/^ACS3-/i.test(authorization) || /^acs\s/i.test(authorization)) return true;
    if (Object.keys(req.headers).some((h) => h.toLowerCase().startsWith('x-acs-'))) return true;
    return (
      looksLikeRpcSignature(queryParams(req)) || looksLikeRpcSignature(formParams(req)) || isUnsignedRpc(req)
    );
  },

  authenticate(req, env) {
    const authorization = header(req, 'authorization');
    if (authorization && /^ACS3-/i.test(authorization.trim()))
      return authenticateAcs3(req, authorization, env);
    if (authorization && /^acs\s/i.test(authorization.trim())) {
      throw incomplete(
        'The ROA HMAC-SHA1 signature (Authorization: acs) is not served; sign with ACS3-HMAC-SHA256.',
      );
    }
    if (looksLikeRpcSignature({ ...queryParams(req), ...formParams(req) })) return authenticateRpc(req, env);
    if (isUnsignedRpc(req)) return unsignedRpc(req, env);
    throw incomplete('The request carries neither an ACS3 Authorization header nor an RPC Signature.');
  },

  render(call, outcome, requestId) {
    const envelope = call ? (envelopes.get(call) ?? 'RPC') : 'RPC';
    if (outcome.ok) {
      if (envelope === 'ROA') {
        return jsonResponse(200, requestId, {
          RequestId: requestId,
          Code: '200',
          Message: 'success',
          TraceId: traceIdOf(requestId),
          Data: outcome.payload ?? null,
          ErrorCode: '',
          Success: true,
        });
      }
      const payload =
        outcome.payload && typeof outcome.payload === 'object' && !Array.isArray(outcome.payload)
          ? outcome.payload
          : {};
      // RequestId first for readability; ours wins over any the payload carries.
      const body: Record<string, unknown> = { RequestId: requestId, ...payload };
      body.RequestId = requestId;
      return jsonResponse(200, requestId, body);
    }
    const { error } = outcome;
    const product = call?.service ?? 'openapi';
    const hostId = call ? `${call.service}.aliyuncs.com` : 'aliyuncs.com';
    const recommend = `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${encodeURIComponent(
      product.charAt(0).toUpperCase() + product.slice(1),
    )}&requestId=${requestId}`;
    if (envelope === 'ROA') {
      return jsonResponse(error.httpStatus, requestId, {
        RequestId: requestId,
        Code: error.code,
        ErrorCode: error.code,
        Message: error.message,
        TraceId: traceIdOf(requestId),
        Success: false,
        HostId: hostId,
        Recommend: recommend,
      });
    }
    return jsonResponse(error.httpStatus, requestId, {
      RequestId: requestId,
      HostId: hostId,
      Code: error.code,
      Message: error.message,
      Recommend: recommend,
    });
  },

  throttled() {
    return new EmulatorApiError(400, 'Throttling.User', MSG.throttled);
  },

  idempotentParameterMismatch() {
    return new EmulatorApiError(400, 'IdempotentParameterMismatch', MSG.mismatch);
  },

  // ECS answers a token whose first request is still running with 403 LastTokenProcessing
  // ("The last token request is processing.", in ECS's own error tables, and what Terraform's
  // alicloud provider retries); it has no IdempotentProcessing code.
  idempotentProcessing() {
    return new EmulatorApiError(403, 'LastTokenProcessing', MSG.processing);
  },

  invalidClientToken() {
    return new EmulatorApiError(400, 'InvalidClientToken.ValueNotSupported', MSG.badToken);
  },

  // The same code as a body that is not JSON; the status says why.
  bodyRefused(tooLarge) {
    return tooLarge
      ? new EmulatorApiError(413, 'InvalidParameter', 'The request body is larger than the service accepts.')
      : new EmulatorApiError(400, 'InvalidParameter', 'The request body could not be read.');
  },

  peekAction(req) {
    return header(req, 'x-acs-action') ?? req.query.get('Action') ?? formParams(req).Action ?? undefined;
  },

  newRequestId() {
    return randomUUID().toUpperCase();
  },
};
