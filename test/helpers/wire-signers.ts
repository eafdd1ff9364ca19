// Requests signed the way each provider's SDK signs them, built directly as the emulator's
// RawRequest (no HTTP, no SDK: thousands per second for the wire property tests). Alibaba's and
// Volcengine's canonical forms come from the emulator's own exports (which the SDK-driven family
// tests check against the real SDKs); TC3 is short enough to write out here.
import { createHash, createHmac } from 'node:crypto';
import { acs3CanonicalRequest, acs3StringToSign, rpcSignature } from '../../src/emulator/alibabacloud/family';
import type { EmulatorAccount, RawRequest } from '../../src/emulator/types';
import { computeSignature } from '../../src/emulator/volcengine/family';

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** Alibaba's timestamps: ISO 8601 UTC to the second. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface RpcInput {
  method: 'GET' | 'POST';
  action: string;
  version: string;
  params: Record<string, string>;
  nonce: string;
  now: number;
}

/** Alibaba RPC (HMAC-SHA1): every parameter in the query, the signature over all of them. */
export function signRpc(account: EmulatorAccount, input: RpcInput): RawRequest {
  const all: Record<string, string> = {
    ...input.params,
    Action: input.action,
    Version: input.version,
    Format: 'JSON',
    AccessKeyId: account.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: input.nonce,
    Timestamp: isoSeconds(input.now),
  };
  const query = new URLSearchParams({
    ...all,
    Signature: rpcSignature(input.method, all, account.accessKeySecret),
  });
  return {
    method: input.method,
    path: '/',
    query,
    headers: { host: 'ecs.aliyuncs.com' },
    body: Buffer.alloc(0),
  };
}

export interface Acs3Input {
  method: string;
  path: string;
  action: string;
  version: string;
  query: Record<string, string>;
  body: Buffer;
  contentType?: string;
  nonce: string;
  now: number;
}

/** Alibaba ACS3-HMAC-SHA256: signed host, x-acs-* and content-type headers, the body by its hash. */
export function signAcs3(account: EmulatorAccount, input: Acs3Input): RawRequest {
  const payloadHash = sha256Hex(input.body);
  const headers: Record<string, string> = {
    host: 'ecs.cn-hangzhou.aliyuncs.com',
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': isoSeconds(input.now),
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': payloadHash,
    ...(input.contentType ? { 'content-type': input.contentType } : {}),
  };
  const signed = Object.keys(headers).sort();
  const canonical = acs3CanonicalRequest(input.method, input.path, input.query, headers, signed, payloadHash);
  const signature = createHmac('sha256', account.accessKeySecret)
    .update(acs3StringToSign(canonical))
    .digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${account.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  return {
    method: input.method,
    path: input.path,
    query: new URLSearchParams(input.query),
    headers,
    body: input.body,
  };
}

export interface Tc3Input {
  service: string;
  action: string;
  version: string;
  region?: string;
  body: Buffer;
  now: number;
}

/** Tencent TC3-HMAC-SHA256, as the Node SDK sends a POST: content-type and host signed. */
export function signTc3(account: EmulatorAccount, input: Tc3Input): RawRequest {
  const timestamp = Math.floor(input.now / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const host = `${input.service}.tencentcloudapi.com`;
  const contentType = 'application/json; charset=utf-8';
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${host}\n`,
    'content-type;host',
    sha256Hex(input.body),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${account.accessKeySecret}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': contentType,
      host,
      'x-tc-action': input.action,
      'x-tc-version': input.version,
      'x-tc-timestamp': String(timestamp),
      ...(input.region ? { 'x-tc-region': input.region } : {}),
      authorization: `TC3-HMAC-SHA256 Credential=${account.accessKeyId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    },
    body: input.body,
  };
}

export interface VolcInput {
  method: 'GET' | 'POST';
  service: string;
  region: string;
  action: string;
  version: string;
  query: Record<string, string>;
  body: Buffer;
  contentType?: string;
  now: number;
}

/** Volcengine HMAC-SHA256: Action and Version in the query, host and x-date (and content-type) signed. */
export function signVolc(account: EmulatorAccount, input: VolcInput): RawRequest {
  const xDate = new Date(input.now).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const query = new URLSearchParams({ ...input.query, Action: input.action, Version: input.version });
  const headers: Record<string, string> = {
    host: 'open.volcengineapi.com',
    'x-date': xDate,
    ...(input.contentType ? { 'content-type': input.contentType } : {}),
  };
  const signedHeaders = Object.keys(headers).sort();
  const date = xDate.slice(0, 8);
  const signature = computeSignature({
    method: input.method,
    path: '/',
    query,
    headers,
    body: input.body,
    signedHeaders,
    xDate,
    date,
    region: input.region,
    service: input.service,
    secret: account.accessKeySecret,
  });
  headers.authorization = `HMAC-SHA256 Credential=${account.accessKeyId}/${date}/${input.region}/${input.service}/request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return { method: input.method, path: '/', query, headers, body: input.body };
}
