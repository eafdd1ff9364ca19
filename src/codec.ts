// Public payloads are plain JSON (`json/plain`) that any Temporal client and the UI can read, and
// stay under 512 KB at 10,000 resources because reports compact themselves (src/workflows/report.ts).
// Nothing is compressed any more; LegacyGzipDecoder only decodes `binary/gzip` payloads that earlier
// versions wrote, so histories and results recorded before stay readable by our client and worker.
// With TEARDOWN_ENCRYPTION_KEYS set, every payload is AES-256-GCM encrypted (src/encryption/): the
// UI and `temporal` CLI then read them through the codec server (src/codec-server/).
import { gunzipSync } from 'node:zlib';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AesGcmCodec } from './encryption/aes-gcm-codec';
import { keyRingFromEnv, type KeyRing } from './encryption/keys';

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

/** A data converter with this key ring (undefined: no encryption; encrypted payloads then fail to decode). */
export function dataConverterWithKeys(ring: KeyRing | undefined): DataConverter {
  return { payloadCodecs: [new LegacyGzipDecoder(), new AesGcmCodec(() => ring)] };
}

let cached: { raw: string | undefined; ring: KeyRing | undefined } | undefined;

/** The ring of TEARDOWN_ENCRYPTION_KEYS as it is now (parsed again only when the variable changes). */
export function currentKeyRing(): KeyRing | undefined {
  const raw = process.env.TEARDOWN_ENCRYPTION_KEYS;
  if (cached === undefined || cached.raw !== raw) cached = { raw, ring: keyRingFromEnv() };
  return cached.ring;
}

/**
 * The data converter of every cloud-teardown client and worker: encryption follows
 * TEARDOWN_ENCRYPTION_KEYS (off when unset). Decoding runs last-to-first: decrypt, then un-gzip.
 */
export const teardownDataConverter: DataConverter = {
  payloadCodecs: [new LegacyGzipDecoder(), new AesGcmCodec(currentKeyRing)],
};
