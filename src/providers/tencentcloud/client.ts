// Shared wiring of the Tencent Cloud provider modules (design.md section 7): builds a
// tencentcloud-sdk-nodejs-common CommonClient for a call context (the SDK has no retries of its
// own; Temporal owns retries), makes one call, validates the answer with the module's zod schema,
// and turns whatever the SDK throws into a ProviderError classified by the module's table.
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import type { z } from 'zod';
import type { ErrorClass } from '../errors';
import { ProviderError, makeClassifier } from '../errors';
import type { CallContext } from '../types';

/** Codes every Tencent Cloud product answers (common error codes), per design.md section 5. */
export const TENCENT_COMMON_ERRORS: Record<string, ErrorClass> = {
  'RequestLimitExceeded*': 'throttled',
  LimitExceeded: 'throttled',
  'InternalError*': 'transient',
  // Our own codes for answers that never reached a provider table (see toProviderError).
  RequestTimeout: 'transient',
  NetworkError: 'transient',
  MalformedResponse: 'transient',
  'ResourceInUse*': 'busy',
  ResourceBusy: 'busy',
  'ResourceUnavailable*': 'busy',
  'FailedOperation.ActionIsDoing': 'busy',
  // Exact code only: a ResourceNotFound.<Something> may name a dependency, not the resource itself.
  ResourceNotFound: 'gone',
  'InvalidParameter*': 'permanent',
  'MissingParameter*': 'permanent',
  'UnknownParameter*': 'permanent',
  InvalidAction: 'permanent',
  ActionOffline: 'permanent',
  'UnauthorizedOperation*': 'permanent',
  'UnsupportedOperation*': 'permanent',
  // Tencent's ClientToken-reuse answer; our tokens are a pure function of the parameters, so a
  // duplicate means a bug on our side (like IdempotentParameterMismatch elsewhere).
  'FailedOperation.DuplicatedRequest': 'permanent',
  'AuthFailure*': 'auth',
  'AuthFailure.SignatureExpire': 'clock',
  // Only a person can clear these (audit of the Tencent tables): an account frozen for a
  // violation, a service agreement not yet accepted, a proxy that is not a standard one (change it
  // in the console), an account without enterprise verification. Never "busy" or "auth".
  'ResourceUnavailable.AccountViolation': 'needs-operator',
  'FailedOperation.UserNotConfirmProtocol': 'needs-operator',
  'FailedOperation.NonStandardProxy': 'needs-operator',
  'AuthFailure.NotEnterpriseAuthorization': 'needs-operator',
  // The SDK refuses to sign without a key pair.
  InvalidCredentials: 'auth',
};

export type TencentClassifier = (code: string, httpStatus?: number) => ErrorClass;

/** A product's classifier: its own table over the shared one (product entries win). */
export function makeTencentClassifier(productTable: Record<string, ErrorClass>): TencentClassifier {
  return makeClassifier({ ...TENCENT_COMMON_ERRORS, ...productTable });
}

/** One Tencent product API: where it lives and how its errors are classified. */
export interface TencentProduct {
  /** Endpoint prefix: `<service>.tencentcloudapi.com`. */
  service: string;
  version: string;
  classify: TencentClassifier;
}

/** A successful answer: the validated `Response` object. */
export type TencentAnswer<T> = T & { RequestId: string };

function fail(code: string, message: string, errorClass: ErrorClass, requestId?: string): ProviderError {
  return new ProviderError('tencentcloud', code, message, errorClass, undefined, requestId);
}

/** ctx.endpoint ('host:port' or 'http(s)://host:port') or the product's real public endpoint. */
export function resolveEndpoint(ctx: CallContext, service: string): { endpoint: string; protocol: string } {
  if (ctx.endpoint) {
    const match = /^(?:(https?):\/\/)?([^/\s]+)\/?$/.exec(ctx.endpoint.trim());
    if (!match)
      throw fail(
        'InvalidEndpoint',
        `endpoint "${ctx.endpoint}" is not host[:port] or http(s)://host[:port]`,
        'permanent',
      );
    // A bare host:port is the emulator (or a local proxy), which speaks plain HTTP.
    return { endpoint: match[2], protocol: `${match[1] ?? 'http'}://` };
  }
  return { endpoint: `${service}.tencentcloudapi.com`, protocol: 'https://' };
}

export function createClient(ctx: CallContext, product: TencentProduct): CommonClient {
  const { endpoint, protocol } = resolveEndpoint(ctx, product.service);
  return new CommonClient(`${product.service}.tencentcloudapi.com`, product.version, {
    credential: {
      secretId: ctx.credentials.accessKeyId,
      secretKey: ctx.credentials.accessKeySecret,
      token: ctx.credentials.securityToken,
    },
    region: ctx.region,
    profile: {
      httpProfile: {
        endpoint,
        protocol,
        reqMethod: 'POST',
        // The SDK takes seconds and multiplies by 1000.
        reqTimeout: ctx.timeoutMs / 1000,
      },
    },
  });
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Whatever the SDK threw, as a classified ProviderError. The SDK throws TencentCloudSDKHttpException
 * for everything: with `.code` for an API error (HTTP 200 + Response.Error), with `.httpCode` for a
 * non-200 answer, and with neither when the request never got an answer (it wraps the network
 * error's message only).
 */
export function toProviderError(err: unknown, classify: TencentClassifier): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as {
    code?: unknown;
    httpCode?: unknown;
    requestId?: unknown;
    message?: unknown;
    type?: unknown;
  };
  const message = nonEmpty(e.message) ?? String(err);
  const requestId = nonEmpty(e.requestId);
  const code = nonEmpty(e.code);
  if (code) return new ProviderError('tencentcloud', code, message, classify(code), 200, requestId);
  const status = Number(e.httpCode);
  if (Number.isInteger(status) && status > 0) {
    const httpCode = `HTTP${status}`;
    return new ProviderError(
      'tencentcloud',
      httpCode,
      `HTTP ${status} ${message}`.trim(),
      classify(httpCode, status),
      status,
      requestId,
    );
  }
  // A 200 whose body is not JSON (node-fetch's FetchError 'invalid-json'), or JSON without a
  // Response object (a gateway's page): the SDK does not wrap these.
  if (e.type === 'invalid-json' || err instanceof SyntaxError || err instanceof TypeError) {
    return fail('MalformedResponse', message, 'transient');
  }
  if (e.type === 'request-timeout' || /timeout|timed out/i.test(message))
    return fail('RequestTimeout', message, 'transient');
  return fail('NetworkError', message, 'transient');
}

/** One call: `Response` validated by `schema`, or a classified ProviderError. */
export async function callTencent<S extends z.ZodType>(
  ctx: CallContext,
  product: TencentProduct,
  action: string,
  params: Record<string, unknown>,
  schema: S,
): Promise<TencentAnswer<z.infer<S>>> {
  if (!ctx.credentials.accessKeyId || !ctx.credentials.accessKeySecret) {
    throw fail('InvalidCredentials', 'a Tencent Cloud SecretId and SecretKey are required', 'auth');
  }
  let response: unknown;
  try {
    response = await createClient(ctx, product).request(action, params);
  } catch (err) {
    throw toProviderError(err, product.classify);
  }
  const requestId = nonEmpty((response as { RequestId?: unknown } | undefined)?.RequestId);
  const parsed = schema.safeParse(response);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(
      'MalformedResponse',
      `${product.service} ${action} answered an unexpected shape: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
      'transient',
      requestId,
    );
  }
  return { ...(parsed.data as object), RequestId: requestId ?? '' } as TencentAnswer<z.infer<S>>;
}
