// The scanner the suite's secrets scan uses (test/helpers/secret-scan.ts), on planted secrets.
import { randomBytes } from 'node:crypto';
import { EMULATOR_ACCOUNTS } from '../../src/emulator/accounts';
import { base64Needles, findSecrets, type Secret } from '../helpers/secret-scan';
import { TEST_CREDENTIALS, TEST_CREDENTIAL_PATTERNS } from '../helpers/test-credentials';

const planted: Secret = { name: 'planted', value: 'Sec"ret\\Key/with+stuff=0123456789' };
const secrets = [planted, { name: 'other', value: 'never-planted-0000000000' }];
const filler = () => randomBytes(40).toString('hex');

it('finds nothing in a clean text', () => {
  expect(findSecrets(`${filler()} {"id":"i-123"} ${filler()}`, secrets)).toEqual([]);
});

it('finds a planted secret as is, JSON-escaped and percent-encoded, naming where', () => {
  const raw = `log line ${planted.value} end`;
  expect(findSecrets(raw, secrets)).toEqual([{ name: 'planted', form: 'raw', offset: 9 }]);
  const json = JSON.stringify({ message: `key ${planted.value}` });
  expect(findSecrets(json, secrets).map((h) => h.form)).toEqual(['json']);
  const url = `https://x.example/?k=${encodeURIComponent(planted.value)}`;
  expect(findSecrets(url, secrets).map((h) => h.form)).toEqual(['percent']);
});

it('finds a planted secret base64-encoded inside a longer payload, at any byte alignment', () => {
  for (const prefix of ['', 'a', 'ab', 'abc', '{"k":"']) {
    const data = Buffer.from(`${prefix}${planted.value}","more":1}`).toString('base64');
    expect(findSecrets(`{"data":"${data}"}`, secrets).map((h) => h.form)).toEqual(['base64']);
    const url = Buffer.from(`${prefix}${planted.value}!`).toString('base64url');
    // Where no 4-character group holds a + or /, base64url and base64 read the same.
    expect(findSecrets(url, secrets).map((h) => h.name)).toEqual(['planted']);
  }
  expect(base64Needles('short')).toEqual([]);
});

it('finds a credential by its shape', () => {
  const token = `${randomBytes(95).toString('base64url').slice(0, 126)}-_`;
  const hits = findSecrets(`{"token":"${token}"}`, [], TEST_CREDENTIAL_PATTERNS);
  expect(hits.map((h) => h.name)).toContain('emulator STS SecurityToken');
  expect(
    findSecrets(`trace 00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, [], TEST_CREDENTIAL_PATTERNS),
  ).toEqual([]);
});

it('knows every emulator key and secret', () => {
  const values = new Set(TEST_CREDENTIALS.map((s) => s.value));
  for (const a of EMULATOR_ACCOUNTS) {
    expect(values).toContain(a.accessKeyId);
    expect(values).toContain(a.accessKeySecret);
  }
});
