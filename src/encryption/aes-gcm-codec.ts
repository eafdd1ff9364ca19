// AES-256-GCM payload encryption (design.md, "Payload encryption"). Each payload is serialised
// whole (metadata included, so the server sees neither the encoding nor the data) and sealed with
// a fresh 12-byte IV; the key id travels in clear metadata and is bound as additional data, so a
// payload relabelled with another key id fails authentication instead of decrypting wrongly.
// Unencrypted payloads pass through decode: histories written before encryption was turned on,
// or by a worker without keys, stay readable.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ENCRYPTION_KEYS_VARIABLE, type KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

export function encryptPayload(payload: Payload, ring: KeyRing): Payload {
  const keyId = ring.encryptingKeyId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(keyId)!, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
      [KEY_ID_METADATA]: Buffer.from(keyId),
    },
    data: sealed,
  };
}

/** Decrypts one encrypted payload; the error says which key is missing or that it did not authenticate. */
export function decryptPayload(payload: Payload, ring: KeyRing | undefined): Payload {
  const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
  if (!keyId) throw new ValueError('encrypted payload has no encryption-key-id metadata');
  if (!ring)
    throw new ValueError(
      `payload is encrypted with key "${keyId}" but ${ENCRYPTION_KEYS_VARIABLE} is not set: set it to a key ring holding "${keyId}"`,
    );
  const key = ring.keys.get(keyId);
  if (!key)
    throw new ValueError(
      `payload is encrypted with key "${keyId}", which ${ENCRYPTION_KEYS_VARIABLE} does not hold ` +
        `(it holds ${[...ring.keys.keys()].map((id) => `"${id}"`).join(', ')}): add the old key after the new one`,
    );
  const sealed = Buffer.from(payload.data ?? []);
  if (sealed.length < IV_BYTES + TAG_BYTES)
    throw new ValueError(`encrypted payload (key "${keyId}") is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new ValueError(
      `payload encrypted with key "${keyId}" does not authenticate: the key under that id in ` +
        `${ENCRYPTION_KEYS_VARIABLE} is not the one it was written with, or the payload was altered`,
    );
  }
  return temporal.api.common.v1.Payload.decode(plain) as Payload;
}

/** Encrypts with the ring's newest key (no ring: payloads go out as they are); decrypts with any of its keys. */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly ring: () => KeyRing | undefined) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const ring = this.ring();
    return ring ? payloads.map((payload) => encryptPayload(payload, ring)) : payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const encrypted = payloads.filter(isEncrypted);
    if (encrypted.length === 0) return payloads;
    const ring = this.ring();
    return payloads.map((payload) => (isEncrypted(payload) ? decryptPayload(payload, ring) : payload));
  }
}
