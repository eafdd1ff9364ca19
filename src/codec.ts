// Public payloads are plain JSON (`json/plain`) that any Temporal client and the UI can read, and
// stay under 512 KB at 10,000 resources because reports compact themselves (src/workflows/report.ts).
// Nothing is compressed any more; this codec only decodes `binary/gzip` payloads that earlier
// versions wrote, so histories and results recorded before stay readable by our client and worker.
import { gunzipSync } from 'node:zlib';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const LEGACY_ENCODING = 'binary/gzip';

export class LegacyGzipDecoder implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || new TextDecoder().decode(encoding) !== LEGACY_ENCODING || !payload.data)
        return payload;
      return temporal.api.common.v1.Payload.decode(gunzipSync(payload.data)) as Payload;
    });
  }
}

/** The data converter of every cloud-teardown client and worker. */
export const teardownDataConverter: DataConverter = { payloadCodecs: [new LegacyGzipDecoder()] };
