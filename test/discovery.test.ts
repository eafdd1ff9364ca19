// The selector matcher workflows apply to discovered resources: every reason it gives, the
// protect tag winning over everything, and the helpers around it.
import {
  DEFAULT_PROTECT_TAG,
  discoveryQueryOf,
  formatDuration,
  matchSelector,
  parseTagSelector,
} from '../src/discovery';
import type { DiscoveredResource } from '../src/providers/types';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

function resource(overrides: Partial<DiscoveredResource> = {}): DiscoveredResource {
  return {
    id: 'i-abc123',
    name: 'ci-runner-1',
    tags: { env: 'ci', team: 'infra' },
    createdAt: new Date(NOW - 6 * HOUR).toISOString(),
    status: 'Running',
    ...overrides,
  };
}

describe('parseTagSelector', () => {
  test('key and key=value; the value keeps any further "="; spaces trimmed', () => {
    expect(parseTagSelector('env')).toEqual({ key: 'env' });
    expect(parseTagSelector('env=ci')).toEqual({ key: 'env', value: 'ci' });
    expect(parseTagSelector('expr=a=b')).toEqual({ key: 'expr', value: 'a=b' });
    expect(parseTagSelector('empty=')).toEqual({ key: 'empty', value: '' });
    expect(parseTagSelector(' env = ci ')).toEqual({ key: 'env', value: 'ci' });
    expect(parseTagSelector('teardown:protect=true')).toEqual({ key: 'teardown:protect', value: 'true' });
  });

  test('an empty key is refused', () => {
    expect(() => parseTagSelector('=ci')).toThrow(/no key/);
    expect(() => parseTagSelector('')).toThrow(/no key/);
  });
});

describe('matchSelector', () => {
  test('every condition holding matches', () => {
    expect(
      matchSelector(resource(), { tags: ['env=ci', 'team'], namePrefix: 'ci-', olderThan: '4h' }, NOW),
    ).toEqual({ matched: true });
  });

  test('an empty selector matches anything not protected', () => {
    expect(matchSelector(resource({ tags: {}, createdAt: undefined }), {}, NOW)).toEqual({ matched: true });
  });

  test('a missing key, and a key with another value', () => {
    expect(matchSelector(resource(), { tags: ['owner'] }, NOW)).toEqual({
      matched: false,
      reason: 'tag owner missing',
    });
    expect(matchSelector(resource(), { tags: ['env=prod'] }, NOW)).toEqual({
      matched: false,
      reason: 'tag env=prod missing (env=ci)',
    });
    expect(matchSelector(resource({ tags: {} }), { tags: ['env=ci'] }, NOW)).toEqual({
      matched: false,
      reason: 'tag env=ci missing',
    });
  });

  test('the empty value is a value: env= does not match env=ci', () => {
    expect(matchSelector(resource(), { tags: ['env='] }, NOW)).toEqual({
      matched: false,
      reason: 'tag env= missing (env=ci)',
    });
    expect(matchSelector(resource({ tags: { env: '' } }), { tags: ['env='] }, NOW)).toEqual({
      matched: true,
    });
  });

  test('tags are looked up as own keys only', () => {
    expect(matchSelector(resource({ tags: {} }), { tags: ['toString'] }, NOW)).toEqual({
      matched: false,
      reason: 'tag toString missing',
    });
  });

  test('a malformed tag selector never matches', () => {
    expect(matchSelector(resource(), { tags: ['=ci'] }, NOW)).toEqual({
      matched: false,
      reason: 'tag selector "=ci" has no key',
    });
  });

  test('name prefix', () => {
    expect(matchSelector(resource({ name: 'prod-db' }), { namePrefix: 'ci-' }, NOW)).toEqual({
      matched: false,
      reason: 'name "prod-db" does not start with "ci-"',
    });
    // Case-sensitive, like the providers' names.
    expect(matchSelector(resource({ name: 'CI-runner' }), { namePrefix: 'ci-' }, NOW)).toMatchObject({
      matched: false,
    });
  });

  test('too young', () => {
    const createdAt = new Date(NOW - HOUR).toISOString();
    expect(matchSelector(resource({ createdAt }), { olderThan: '4h' }, NOW)).toEqual({
      matched: false,
      reason: `created ${createdAt} (1h ago), not older than 4h`,
    });
    const young = new Date(NOW - 90 * 60_000 - 5_000).toISOString();
    expect(matchSelector(resource({ createdAt: young }), { olderThan: '2h' }, NOW)).toEqual({
      matched: false,
      reason: `created ${young} (1h30m ago), not older than 2h`,
    });
  });

  test('exactly the age is not older than it; one millisecond more is', () => {
    const exactly = new Date(NOW - 4 * HOUR).toISOString();
    expect(matchSelector(resource({ createdAt: exactly }), { olderThan: '4h' }, NOW)).toMatchObject({
      matched: false,
    });
    expect(matchSelector(resource({ createdAt: exactly }), { olderThan: '4h' }, NOW + 1)).toEqual({
      matched: true,
    });
  });

  test('a creation time in the future (clock skew) is never old', () => {
    const future = new Date(NOW + 10 * 60_000).toISOString();
    expect(matchSelector(resource({ createdAt: future }), { olderThan: '1m' }, NOW)).toEqual({
      matched: false,
      reason: `created ${future} (10m in the future), not older than 1m`,
    });
  });

  test('no creation time, or an unreadable one, never matches olderThan', () => {
    expect(matchSelector(resource({ createdAt: undefined }), { olderThan: '4h' }, NOW)).toEqual({
      matched: false,
      reason: 'creation time unknown, so not known to be older than 4h',
    });
    expect(matchSelector(resource({ createdAt: 'yesterday' }), { olderThan: '4h' }, NOW)).toEqual({
      matched: false,
      reason: 'creation time "yesterday" unreadable, so not known to be older than 4h',
    });
    // Without an age condition the missing time does not matter.
    expect(matchSelector(resource({ createdAt: undefined }), { tags: ['env=ci'] }, NOW)).toEqual({
      matched: true,
    });
  });

  test('a malformed olderThan never matches', () => {
    expect(matchSelector(resource(), { olderThan: 'four hours' }, NOW)).toEqual({
      matched: false,
      reason: 'olderThan "four hours" is not a duration like "4h"',
    });
    expect(matchSelector(resource(), { olderThan: '0h' }, NOW)).toMatchObject({ matched: false });
  });

  test('the first failing condition is the reason: tags, then name, then age', () => {
    const young = resource({ name: 'prod-db', createdAt: new Date(NOW - HOUR).toISOString() });
    expect(
      matchSelector(young, { tags: ['env=ci', 'owner'], namePrefix: 'ci-', olderThan: '4h' }, NOW),
    ).toEqual({ matched: false, reason: 'tag owner missing' });
    expect(matchSelector(young, { tags: ['env=ci'], namePrefix: 'ci-', olderThan: '4h' }, NOW)).toEqual({
      matched: false,
      reason: 'name "prod-db" does not start with "ci-"',
    });
  });

  describe('the protect tag wins over everything', () => {
    const protectedOne = resource({ tags: { env: 'ci', 'teardown:protect': 'true' } });

    test('even when every condition holds', () => {
      expect(
        matchSelector(protectedOne, { tags: ['env=ci'], namePrefix: 'ci-', olderThan: '1h' }, NOW),
      ).toEqual({ matched: false, reason: `protected by tag ${DEFAULT_PROTECT_TAG}` });
    });

    test('even when other conditions fail too', () => {
      const r = { ...protectedOne, name: 'x', createdAt: undefined };
      expect(matchSelector(r, { tags: ['owner'], namePrefix: 'ci-', olderThan: '1h' }, NOW)).toEqual({
        matched: false,
        reason: 'protected by tag teardown:protect=true',
      });
    });

    test('even when the selector asks for the protect tag itself', () => {
      expect(matchSelector(protectedOne, { tags: ['teardown:protect=true'] }, NOW)).toEqual({
        matched: false,
        reason: 'protected by tag teardown:protect=true',
      });
    });

    test('only its exact value protects; another protect tag can be given', () => {
      const notProtected = resource({ tags: { env: 'ci', 'teardown:protect': 'false' } });
      expect(matchSelector(notProtected, { tags: ['env=ci'] }, NOW)).toEqual({ matched: true });
      expect(matchSelector(notProtected, {}, NOW, 'teardown:protect')).toEqual({
        matched: false,
        reason: 'protected by tag teardown:protect',
      });
      expect(matchSelector(resource({ tags: { keep: 'yes' } }), {}, NOW, 'keep=yes')).toEqual({
        matched: false,
        reason: 'protected by tag keep=yes',
      });
      // With a custom protect tag, the default one no longer protects.
      expect(matchSelector(protectedOne, {}, NOW, 'keep=yes')).toEqual({ matched: true });
    });
  });
});

describe('helpers', () => {
  test('discoveryQueryOf keeps what a provider may push down', () => {
    expect(discoveryQueryOf({ tags: ['env=ci', 'team'], namePrefix: 'ci-', olderThan: '4h' })).toEqual({
      tags: [{ key: 'env', value: 'ci' }, { key: 'team' }],
      namePrefix: 'ci-',
    });
    expect(discoveryQueryOf({ olderThan: '4h' })).toEqual({});
  });

  test('formatDuration', () => {
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(59_000)).toBe('59s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(HOUR)).toBe('1h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(2 * 86_400_000 + 3 * HOUR + 5 * 60_000)).toBe('2d3h');
    expect(formatDuration(2 * 86_400_000 + 5 * 60_000)).toBe('2d');
  });
});
