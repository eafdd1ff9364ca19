// TEARDOWN_ENCRYPTION_KEYS: the payload encryption keys, key id -> 32-byte AES-256 key in base64,
// newest first. Two spellings: JSON `{"k2":"<base64>","k1":"<base64>"}` or `k2:<base64>,k1:<base64>`.
// The first key encrypts every new payload; every key decrypts, so rotating means putting a new
// key in front and keeping the old ones for as long as histories written with them are read.
import { z } from 'zod';

export const ENCRYPTION_KEYS_VARIABLE = 'TEARDOWN_ENCRYPTION_KEYS';

export interface KeyRing {
  /** The key id new payloads are encrypted with (the first listed). */
  encryptingKeyId: string;
  /** Every key, by id: each decrypts what it encrypted. */
  keys: ReadonlyMap<string, Buffer>;
}

const keyId = z
  .string()
  // A leading letter: JSON objects put integer-like keys first, which would reorder the ring.
  .regex(
    /^[A-Za-z][A-Za-z0-9._-]{0,63}$/,
    'key ids start with a letter, then up to 63 letters, digits, ".", "_" or "-"',
  );

const keyBytes = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
  .transform((b64) => Buffer.from(b64, 'base64'))
  .refine((key) => key.length === 32, {
    message: 'must be 32 bytes in base64 (44 characters; e.g. `openssl rand -base64 32`)',
  });

/** Splits either spelling into [id, base64] pairs, in the order written. */
function entriesOf(raw: string): unknown[][] {
  const text = raw.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(
        `${ENCRYPTION_KEYS_VARIABLE}: is not valid JSON (expected {"<key id>":"<base64>",...})`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${ENCRYPTION_KEYS_VARIABLE}: must be a JSON object of key id -> base64 key`);
    return Object.entries(parsed);
  }
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon < 0 ? [part.trim()] : [part.slice(0, colon).trim(), part.slice(colon + 1).trim()];
    });
}

const FORMAT_HINT = '(format: `k2:<base64>,k1:<base64>` or {"k2":"<base64>","k1":"<base64>"}, newest first)';

function fail(detail: string): never {
  throw new Error(`${ENCRYPTION_KEYS_VARIABLE}: ${detail} ${FORMAT_HINT}`);
}

/** Parses the variable's value; throws an Error naming the variable and the entry at fault, never a key. */
export function parseKeyRing(raw: string): KeyRing {
  const entries = entriesOf(raw);
  if (entries.length === 0) fail('lists no key');
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    if (entry.length !== 2) fail(`entry ${index + 1} is not "<key id>:<base64 key>"`);
    const id = keyId.safeParse(entry[0]);
    if (!id.success) fail(`entry ${index + 1}: ${id.error.issues[0]?.message}`);
    const key = keyBytes.safeParse(entry[1]);
    if (!key.success) fail(`key "${id.data}" ${key.error.issues[0]?.message}`);
    if (keys.has(id.data)) fail(`key id "${id.data}" is listed twice`);
    keys.set(id.data, key.data);
  });
  return { encryptingKeyId: keys.keys().next().value!, keys };
}

/** The key ring of the environment, or undefined when encryption is off (the variable unset or blank). */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  const raw = env[ENCRYPTION_KEYS_VARIABLE];
  return raw === undefined || raw.trim() === '' ? undefined : parseKeyRing(raw);
}
