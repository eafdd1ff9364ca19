// TEARDOWN_ENCRYPTION_KEYS parsing: both spellings, newest first, and errors that name the entry at
// fault without echoing any key.
import { randomBytes } from 'node:crypto';
import { keyRingFromEnv, parseKeyRing } from '../../src/encryption/keys';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

it('reads the JSON spelling, the first key encrypting and every key kept', () => {
  const ring = parseKeyRing(JSON.stringify({ k2, k1 }));
  expect(ring.encryptingKeyId).toBe('k2');
  expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
  expect(ring.keys.get('k1')).toEqual(Buffer.from(k1, 'base64'));
});

it('reads the id:base64 list spelling, spaces and a trailing comma allowed', () => {
  const ring = parseKeyRing(` new:${k2} , old:${k1},`);
  expect(ring.encryptingKeyId).toBe('new');
  expect(ring.keys.get('old')).toEqual(Buffer.from(k1, 'base64'));
});

it('is off when the variable is unset or blank', () => {
  expect(keyRingFromEnv({})).toBeUndefined();
  expect(keyRingFromEnv({ TEARDOWN_ENCRYPTION_KEYS: '  ' })).toBeUndefined();
  expect(keyRingFromEnv({ TEARDOWN_ENCRYPTION_KEYS: `a:${k1}` })?.encryptingKeyId).toBe('a');
});

it.each([
  [`k1:${k1.slice(0, 20)}`, /key "k1" must be 32 bytes/],
  [`k1:not base64!`, /key "k1" must be base64/],
  [`k1:${k1},k1:${k2}`, /key id "k1" is listed twice/],
  [`${k1}`, /entry 1 is not "<key id>:<base64 key>"/],
  [`1:${k1}`, /entry 1: key ids start with a letter/],
  [',', /lists no key/],
  ['{"k1": 5}', /key "k1" /],
  ['{"k1":', /is not valid JSON/],
  ['{}', /lists no key/],
])('refuses %j clearly', (raw, message) => {
  expect(() => parseKeyRing(raw)).toThrow(message);
  expect(() => parseKeyRing(raw)).toThrow(/^TEARDOWN_ENCRYPTION_KEYS: /);
});

it('never echoes a key in its error', () => {
  const short = k1.slice(0, 40);
  expect(() => parseKeyRing(`ok:${k2},bad:${short}`)).toThrow(/key "bad"/);
  try {
    parseKeyRing(`ok:${k2},bad:${short}`);
  } catch (err) {
    expect(String(err)).not.toContain(short);
    expect(String(err)).not.toContain(k2);
  }
});
