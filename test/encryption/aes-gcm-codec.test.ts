// The AES-256-GCM codec: ciphertext on the way out, any key of the ring on the way back, and a
// clear error for a missing, unknown or wrong key.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { teardownDataConverter } from '../../src/codec';
import { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/encryption/aes-gcm-codec';
import { parseKeyRing, type KeyRing } from '../../src/encryption/keys';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();
const ringV1 = parseKeyRing(`k1:${k1}`);
const ringV2 = parseKeyRing(`k2:${k2},k1:${k1}`);
const value = { workflowId: 'teardown-secret-account-4242', resources: ['ins-plain-id'] };
const plain = defaultPayloadConverter.toPayload(value);
const codec = (ring: KeyRing | undefined) => new AesGcmCodec(() => ring);
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

async function encryptOne(ring: KeyRing): Promise<Payload> {
  return (await codec(ring).encode([plain]))[0]!;
}

it('hides data and encoding, naming only the key id', async () => {
  const sealed = await encryptOne(ringV2);
  expect(Object.keys(sealed.metadata!).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
  expect(utf8(sealed.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(utf8(sealed.metadata![KEY_ID_METADATA])).toBe('k2');
  expect(utf8(sealed.data)).not.toContain('secret-account');
  expect(utf8(sealed.data)).not.toContain('json/plain');
  const again = await encryptOne(ringV2);
  expect(Buffer.from(again.data!)).not.toEqual(Buffer.from(sealed.data!)); // a fresh IV each time
});

it('round-trips, and a rotated ring still reads what the old key wrote', async () => {
  const old = await encryptOne(ringV1);
  const [decoded] = await codec(ringV2).decode([old]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
  const [fresh] = await codec(ringV2).decode([await encryptOne(ringV2)]);
  expect(defaultPayloadConverter.fromPayload(fresh!)).toEqual(value);
});

it('passes plain payloads through decode, with or without keys', async () => {
  expect(await codec(ringV2).decode([plain])).toEqual([plain]);
  expect(await codec(undefined).decode([plain])).toEqual([plain]);
  expect(await codec(undefined).encode([plain])).toEqual([plain]);
});

it('says which key is missing, or that the key is wrong', async () => {
  const byV2 = await encryptOne(ringV2);
  await expect(codec(undefined).decode([byV2])).rejects.toThrow(
    /encrypted with key "k2" but TEARDOWN_ENCRYPTION_KEYS is not set/,
  );
  await expect(codec(ringV1).decode([byV2])).rejects.toThrow(
    /key "k2", which TEARDOWN_ENCRYPTION_KEYS does not hold \(it holds "k1"\)/,
  );
  const impostor = parseKeyRing(`k2:${key()}`);
  await expect(codec(impostor).decode([byV2])).rejects.toThrow(/key "k2" does not authenticate/);
});

it('refuses a payload relabelled with another key id or altered', async () => {
  const both = parseKeyRing(`k2:${k2},k1:${k2}`); // same bytes under two ids
  const byV2 = await encryptOne(both);
  const relabelled = { ...byV2, metadata: { ...byV2.metadata, [KEY_ID_METADATA]: Buffer.from('k1') } };
  await expect(codec(both).decode([relabelled])).rejects.toThrow(/does not authenticate/);
  const data = Buffer.from(byV2.data!);
  data[20] ^= 1;
  await expect(codec(both).decode([{ ...byV2, data }])).rejects.toThrow(/does not authenticate/);
  await expect(codec(both).decode([{ ...byV2, data: data.subarray(0, 10) }])).rejects.toThrow(/truncated/);
});

it('the default converter follows TEARDOWN_ENCRYPTION_KEYS as it changes', async () => {
  const saved = process.env.TEARDOWN_ENCRYPTION_KEYS;
  const encode = (p: Payload) => teardownDataConverter.payloadCodecs![1]!.encode([p]);
  try {
    delete process.env.TEARDOWN_ENCRYPTION_KEYS;
    expect(await encode(plain)).toEqual([plain]);
    process.env.TEARDOWN_ENCRYPTION_KEYS = `k1:${k1}`;
    const [sealed] = await encode(plain);
    expect(utf8(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    process.env.TEARDOWN_ENCRYPTION_KEYS = 'k1:short';
    await expect(encode(plain)).rejects.toThrow(/TEARDOWN_ENCRYPTION_KEYS: key "k1" must be 32 bytes/);
  } finally {
    if (saved === undefined) delete process.env.TEARDOWN_ENCRYPTION_KEYS;
    else process.env.TEARDOWN_ENCRYPTION_KEYS = saved;
  }
});
