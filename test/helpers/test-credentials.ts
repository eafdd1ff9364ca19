// Every credential the tests use, for the suite's secrets scan: the emulator's built-in keys, and
// the shapes of the temporary keys its STS issues (random, so known exactly only to the process
// that assumed them: test/helpers/record-secrets.ts writes those down too).
import { EMULATOR_ACCOUNTS } from '../../src/emulator/accounts';
import type { Secret, SecretPattern } from './secret-scan';

export const TEST_CREDENTIALS: readonly Secret[] = EMULATOR_ACCOUNTS.flatMap((a) => [
  { name: `${a.provider} ${a.account} AccessKeyId`, value: a.accessKeyId },
  { name: `${a.provider} ${a.account} AccessKeySecret`, value: a.accessKeySecret },
]);

const B64URL = '[A-Za-z0-9_-]';
const alone = (body: string) => new RegExp(`(?<!${B64URL})${body}(?!${B64URL})`);

/** src/emulator/sts.ts: id = prefix + 18 random bytes, secret 30, token 96, all base64url. */
export const TEST_CREDENTIAL_PATTERNS: readonly SecretPattern[] = [
  // With a - or _ in it (98% of tokens): a payload's standard base64 or a hex digest has neither.
  { name: 'emulator STS SecurityToken', pattern: alone(`(?=[A-Za-z0-9]*[-_])${B64URL}{128}`) },
  { name: 'emulator Alibaba STS AccessKeyId', pattern: alone(`STS\\.${B64URL}{24}`) },
  { name: 'emulator Tencent STS SecretId', pattern: alone(`AKID${B64URL}{24}`) },
];
