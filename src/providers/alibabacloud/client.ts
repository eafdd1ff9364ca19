// Shared wiring of the Alibaba Cloud provider modules (design.md section 7): builds the
// @alicloud/openapi-client client for a call context, makes one RPC or ROA call with the SDK's own
// retries off (Temporal owns retries), and turns whatever the SDK throws into a ProviderError
// classified by the calling module's table. The error codes every Alibaba product shares
// (throttling, signatures, idempotency) live here once; products add their own.
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import type { ErrorClass } from '../errors';
import { ProviderError, makeClassifier, networkError } from '../errors';
import type { CallContext } from '../types';

/** Codes any Alibaba Cloud product answers (gateway level), per design.md section 5. */
export const ALIBABA_COMMON_ERRORS: Record<string, ErrorClass> = {
  'Throttling*': 'throttled',
  'Rejected.Throttling': 'throttled',
  ServiceUnavailable: 'throttled',
  'InternalError*': 'transient',
  ServiceTimeout: 'transient',
  // Our own codes for answers that never reached a provider table (see toProviderError).
  RequestTimeout: 'transient',
  MalformedResponse: 'transient',
  IdempotentProcessing: 'busy',
  'InvalidParameter*': 'permanent',
  'MissingParameter*': 'permanent',
  'InvalidAction*': 'permanent',
  IdempotentParameterMismatch: 'permanent',
  'InvalidClientToken.Malformed': 'permanent',
  'InvalidAccessKeyId*': 'auth',
  SignatureDoesNotMatch: 'auth',
  IncompleteSignature: 'auth',
  'Forbidden.RAM': 'auth',
  'Forbidden.AccessKeyDisabled': 'auth',
  'InvalidSecurityToken*': 'auth',
  // The SDK refuses to sign without a key pair.
  InvalidCredentials: 'auth',
  'InvalidTimeStamp.Expired': 'clock',
  SignatureNonceUsed: 'clock',
};

export type AlibabaClassifier = (code: string, httpStatus?: number) => ErrorClass;

/** A product's classifier: its own table over the shared one (product entries win). */
export function makeAlibabaClassifier(productTable: Record<string, ErrorClass>): AlibabaClassifier {
  return makeClassifier({ ...ALIBABA_COMMON_ERRORS, ...productTable });
}

/** One Alibaba product API: where it lives and how its errors are classified. */
export interface AlibabaProduct {
  /** Endpoint prefix: `<product>.<region>.aliyuncs.com`. */
  product: string;
  version: string;
  classify: AlibabaClassifier;
  /** Regions whose endpoint is not `<product>.<region>.aliyuncs.com` (finance, government). */
  endpoints?: Readonly<Record<string, string>>;
}

type QueryValue = string | number | boolean | undefined;
export type Query = Record<string, QueryValue>;

/** A successful answer: the parsed JSON body and the request id the provider gave it. */
export interface AlibabaAnswer<T> {
  body: T;
  requestId?: string;
}

function fail(code: string, message: string, errorClass: ErrorClass): ProviderError {
  return new ProviderError('alibabacloud', code, message, errorClass);
}

/** ctx.endpoint ('host:port' or 'http(s)://host:port') or the product's real regional endpoint. */
export function resolveEndpoint(
  ctx: CallContext,
  product: string,
  endpoints: Readonly<Record<string, string>> = {},
): { endpoint: string; protocol: string } {
  if (ctx.endpoint) {
    const match = /^(?:(https?):\/\/)?([^/]+)\/?$/.exec(ctx.endpoint.trim());
    if (!match)
      throw fail(
        'InvalidEndpoint',
        `endpoint "${ctx.endpoint}" is not host[:port] or http(s)://host[:port]`,
        'permanent',
      );
    // A bare host:port is the emulator (or a local proxy), which speaks plain HTTP.
    return { endpoint: match[2], protocol: match[1] ?? 'http' };
  }
  if (!ctx.region)
    throw fail(
      'MissingRegion',
      `a region is required to reach ${product}.<region>.aliyuncs.com`,
      'permanent',
    );
  return { endpoint: endpoints[ctx.region] ?? `${product}.${ctx.region}.aliyuncs.com`, protocol: 'https' };
}

function createClient(ctx: CallContext, api: AlibabaProduct): { client: OpenApi; protocol: string } {
  const { endpoint, protocol } = resolveEndpoint(ctx, api.product, api.endpoints);
  const client = new OpenApi(
    new $OpenApi.Config({
      accessKeyId: ctx.credentials.accessKeyId,
      accessKeySecret: ctx.credentials.accessKeySecret,
      securityToken: ctx.credentials.securityToken,
      endpoint,
      protocol,
      regionId: ctx.region,
      readTimeout: ctx.timeoutMs,
      connectTimeout: ctx.timeoutMs,
    }),
  );
  return { client, protocol };
}

// autoretry false makes the SDK's loop stop after the first attempt whatever maxAttempts says.
function runtime(ctx: CallContext): $Util.RuntimeOptions {
  return new $Util.RuntimeOptions({
    autoretry: false,
    maxAttempts: 1,
    readTimeout: ctx.timeoutMs,
    connectTimeout: ctx.timeoutMs,
  });
}

function toQuery(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== 'undefined' ? value : undefined;
}

/** A provider error code; SAE's `Code` may hold the HTTP status instead, which is no code. */
function errorCode(value: unknown): string | undefined {
  const s = nonEmptyString(typeof value === 'number' ? String(value) : value);
  return s && !/^\d+$/.test(s) ? s : undefined;
}

/**
 * Whatever the SDK (or its HTTP layer) threw, as a classified ProviderError. A provider answer
 * carries its body in `.data` with `.data.statusCode`; anything else never got one.
 */
export function toProviderError(err: unknown, classify: AlibabaClassifier): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    statusCode?: unknown;
    data?: Record<string, unknown>;
  };
  const data = e.data && typeof e.data === 'object' ? e.data : undefined;
  const status = Number(e.statusCode ?? data?.statusCode);
  if (Number.isInteger(status) && status > 0) {
    // SAE's envelope puts the string code in ErrorCode (Code may be numeric); ECS has Code only.
    const code = errorCode(data?.ErrorCode) ?? errorCode(e.code) ?? errorCode(data?.Code) ?? `HTTP${status}`;
    const message = nonEmptyString(data?.Message) ?? nonEmptyString(e.message) ?? `HTTP ${status}`;
    return new ProviderError(
      'alibabacloud',
      code,
      message,
      classify(code, status),
      status,
      nonEmptyString(data?.RequestId),
    );
  }
  const message = nonEmptyString(e.message) ?? String(err);
  if (e.code === 'InvalidCredentials' || e.code === 'ParameterMissing') {
    return fail(e.code, message, classify(e.code));
  }
  // The SDK parses every body as JSON: a gateway's HTML page ends up here.
  if (err instanceof SyntaxError) return fail('MalformedResponse', message, 'transient');
  if (e.name === 'RequestTimeoutError') return fail('RequestTimeout', message, 'transient');
  return networkError('alibabacloud', err);
}

function requestIdOf(body: unknown, headers: unknown): string | undefined {
  const fromBody = nonEmptyString((body as { RequestId?: unknown } | undefined)?.RequestId);
  if (fromBody) return fromBody;
  return nonEmptyString((headers as Record<string, unknown> | undefined)?.['x-acs-request-id']);
}

/** Where one call goes and how its request is laid out: RPC (POST '/') or ROA (method + path). */
interface CallShape {
  action: string;
  method: string;
  pathname: string;
  style: 'RPC' | 'ROA';
  reqBodyType: 'formData' | 'json';
}

/** One call with its parameters in the query; whatever fails is thrown as a classified ProviderError. */
async function call<T>(
  ctx: CallContext,
  api: AlibabaProduct,
  shape: CallShape,
  query: Query,
): Promise<AlibabaAnswer<T>> {
  try {
    const { client, protocol } = createClient(ctx, api);
    const params = new $OpenApi.Params({
      action: shape.action,
      version: api.version,
      protocol,
      pathname: shape.pathname,
      method: shape.method,
      authType: 'AK',
      style: shape.style,
      reqBodyType: shape.reqBodyType,
      bodyType: 'json',
    });
    const response = await client.callApi(
      params,
      new $OpenApi.OpenApiRequest({ query: toQuery(query) }),
      runtime(ctx),
    );
    return { body: response.body as T, requestId: requestIdOf(response.body, response.headers) };
  } catch (err) {
    throw toProviderError(err, api.classify);
  }
}

/** One RPC-style call (ECS): parameters in the query, POST to '/'. */
export async function callRpc<T>(
  ctx: CallContext,
  api: AlibabaProduct,
  action: string,
  query: Query,
): Promise<AlibabaAnswer<T>> {
  return call<T>(
    ctx,
    api,
    { action, method: 'POST', pathname: '/', style: 'RPC', reqBodyType: 'formData' },
    query,
  );
}

/** The envelope SAE (and other ROA products) wrap every answer in. */
export interface RoaEnvelope<D> {
  RequestId?: string;
  Code?: string | number;
  Message?: string;
  ErrorCode?: string;
  Success?: boolean;
  TraceId?: string;
  Data?: D;
}

/** One ROA-style call (SAE): method + path, parameters in the query, answer in the envelope's Data. */
export async function callRoa<D>(
  ctx: CallContext,
  api: AlibabaProduct,
  action: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  pathname: string,
  query: Query,
): Promise<AlibabaAnswer<RoaEnvelope<D>>> {
  const answer = await call<RoaEnvelope<D>>(
    ctx,
    api,
    { action, method, pathname, style: 'ROA', reqBodyType: 'json' },
    query,
  );
  // Some ROA answers come back HTTP 200 with Success=false: still an error.
  if (answer.body.Success === false) {
    const code = errorCode(answer.body.ErrorCode) ?? errorCode(answer.body.Code) ?? 'UnknownError';
    throw new ProviderError(
      'alibabacloud',
      code,
      nonEmptyString(answer.body.Message) ?? code,
      api.classify(code),
      undefined,
      answer.requestId,
    );
  }
  return answer;
}

/** Refuses a call with more ids than the provider takes in one request (a bug on our side). */
export function assertBatch(ids: string[], limit: number, what: string): void {
  if (ids.length > limit) {
    throw fail(
      'BatchTooLarge',
      `${what} takes at most ${limit} ids per call, got ${ids.length}`,
      'permanent',
    );
  }
}

/** Refuses a call that needs an input the caller did not give. */
export function required(value: string | undefined, code: string, message: string): string {
  if (!value) throw fail(code, message, 'permanent');
  return value;
}
