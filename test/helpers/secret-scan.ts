// Finds credentials in text: the exact values the tests used, in the forms they could take on the
// way to a history or a log (as is, JSON-escaped, percent-encoded, base64 or base64url at any byte
// alignment: payload data is base64 in proto JSON), and the shapes of credentials no test knows in
// advance (the emulator's STS issues random temporary keys). Pure: the suite's global teardown
// feeds it every history and worker log (test/helpers/suite-secret-scan.ts).

export interface Secret {
  /** What it is, e.g. "alibabacloud default AccessKeySecret"; hits name it, never the value. */
  name: string;
  value: string;
}

export interface SecretPattern {
  name: string;
  pattern: RegExp;
}

export interface SecretHit {
  name: string;
  /** raw | json | percent | base64 | base64url | pattern */
  form: string;
  /** Where in the scanned text. */
  offset: number;
}

/** The strings `value` becomes when base64-encoded inside a longer text, for each of the 3 byte alignments. */
export function base64Needles(value: string, alphabet: 'base64' | 'base64url' = 'base64'): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const needles: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(alphabet);
    // Only the 4-character groups made of the value's bytes alone are the same in any context.
    const first = Math.ceil(shift / 3);
    const last = Math.floor((shift + bytes.length) / 3);
    const needle = encoded.slice(first * 4, last * 4);
    if (needle.length >= 12) needles.push(needle);
  }
  return needles;
}

function formsOf(value: string): Array<{ form: string; needle: string }> {
  const forms = [
    { form: 'raw', needle: value },
    { form: 'json', needle: JSON.stringify(value).slice(1, -1) },
    { form: 'percent', needle: encodeURIComponent(value) },
    ...base64Needles(value).map((needle) => ({ form: 'base64', needle })),
    ...base64Needles(value, 'base64url').map((needle) => ({ form: 'base64url', needle })),
  ];
  const seen = new Set<string>();
  return forms.filter(({ needle }) => !seen.has(needle) && seen.add(needle));
}

/** Every place in `text` where one of the secrets or patterns appears (first hit per secret and form). */
export function findSecrets(
  text: string,
  secrets: readonly Secret[],
  patterns: readonly SecretPattern[] = [],
): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const secret of secrets) {
    for (const { form, needle } of formsOf(secret.value)) {
      const offset = text.indexOf(needle);
      if (offset >= 0) hits.push({ name: secret.name, form, offset });
    }
  }
  for (const { name, pattern } of patterns) {
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
    if (match) hits.push({ name, form: 'pattern', offset: match.index });
  }
  return hits;
}
