// Compresses large payloads (a 10,000-resource report, big progress signals) so they stay under
// Temporal's 2 MB payload limit and histories stay small. Small payloads, and so the summaries and
// details the UI shows, pass through untouched. Client and worker must both use this converter.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/gzip';
const ENCODING_BYTES = new TextEncoder().encode(ENCODING);
/** Below this many bytes a payload is sent as is. */
export const COMPRESS_ABOVE_BYTES = 32 * 1024;

export class LargePayloadCodec implements PayloadCodec {
  constructor(private readonly thresholdBytes = COMPRESS_ABOVE_BYTES) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if ((payload.data?.length ?? 0) < this.thresholdBytes) return payload;
      const whole = temporal.api.common.v1.Payload.encode(payload).finish();
      return { metadata: { encoding: ENCODING_BYTES }, data: gzipSync(whole) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || new TextDecoder().decode(encoding) !== ENCODING || !payload.data) return payload;
      return temporal.api.common.v1.Payload.decode(gunzipSync(payload.data)) as Payload;
    });
  }
}

/** The data converter of every cloud-teardown client and worker. */
export const teardownDataConverter: DataConverter = { payloadCodecs: [new LargePayloadCodec()] };
