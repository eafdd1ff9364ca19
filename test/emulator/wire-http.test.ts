// Truncated and oversized requests over real HTTP, per family: a body larger than the emulator
// takes is refused in the family's envelope, a client that goes away mid-body leaves a recorded
// refusal (the request was answered, not left hanging), and the server keeps serving either way.
import { connect } from 'node:net';
import type { CloudProvider } from '../../src/emulator/types';
import { useCoreEmulator } from '../helpers/core-emulator';
import { waitFor } from '../helpers/provider-harness';

const { em, call, describe1 } = useCoreEmulator();

/** Headers that carry only each family's marks (no valid signature: the body check comes first). */
const MARKS: Array<[CloudProvider, Record<string, string>]> = [
  ['alibabacloud', { 'x-acs-action': 'DescribeInstances', authorization: 'ACS3-HMAC-SHA256 Credential=x' }],
  ['tencentcloud', { 'x-tc-action': 'DescribeProxies', authorization: 'TC3-HMAC-SHA256 Credential=x' }],
  ['volcengine', { 'x-date': '20261204T000000Z', authorization: 'HMAC-SHA256 Credential=x' }],
];

/** The error code of a body in the family's envelope. */
function codeOf(provider: CloudProvider, body: any): string | undefined {
  if (provider === 'alibabacloud') return body.Code;
  if (provider === 'tencentcloud') return body.Response?.Error?.Code;
  return body.ResponseMetadata?.Error?.Code;
}

describe('oversized and truncated requests over HTTP', () => {
  it.each(MARKS)('%s: a body over 16 MB is refused in the family’s envelope', async (provider, headers) => {
    const res = await fetch(`${em.url}/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.alloc(17 * 1024 * 1024, 0x61),
    });
    expect(res.status).toBe(provider === 'tencentcloud' ? 200 : 413);
    const code = codeOf(provider, await res.json());
    expect(code).toBe(provider === 'tencentcloud' ? 'RequestSizeLimitExceeded' : 'InvalidParameter');
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
  });

  it.each(MARKS)(
    '%s: a client gone mid-body leaves a recorded refusal, and the server keeps serving',
    async (provider, headers) => {
      const socket = connect(em.port, em.host);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const lines = Object.entries({ ...headers, host: em.endpoint, 'content-length': '100000' }).map(
        ([k, v]) => `${k}: ${v}`,
      );
      socket.write(`POST / HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n{"RegionId":"cn-ha`);
      socket.destroy();
      await waitFor(() => em.calls({ provider }).some((c) => c.errorCode === 'InvalidParameter'), 10_000);
      expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    },
  );
});
