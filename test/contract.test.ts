import {
  InvalidTeardownRequest,
  MAX_IDS_PER_REQUEST,
  parseDurationMs,
  parseTeardownRequest,
} from '../src/contract';

function issuesOf(input: unknown): string {
  try {
    parseTeardownRequest(input);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidTeardownRequest);
    return (err as InvalidTeardownRequest).issues;
  }
  throw new Error('expected the request to be refused');
}

const ecs = (ids: string[], extra: Record<string, unknown> = {}) => ({
  resources: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids, ...extra }],
});

describe('teardown request schema', () => {
  it('accepts a well-formed request and keeps its fields', () => {
    const request = parseTeardownRequest({
      ...ecs(['i-bp1aaaaaaaaaaaaaaaaa', 'i-bp1bbbbbbbbbbbbbbbbb']),
      options: { force: true, deadline: '30m' },
      requestedBy: 'ci-cleaner',
    });
    expect(request.resources[0]!.ids).toEqual(['i-bp1aaaaaaaaaaaaaaaaa', 'i-bp1bbbbbbbbbbbbbbbbb']);
    expect(request.options).toEqual({ force: true, deadline: '30m' });
  });

  it('refuses an unknown kind, naming the field and the valid kinds', () => {
    const issues = issuesOf({ resources: [{ kind: 'aws.ec2.instance', region: 'us-east-1', ids: ['i-1'] }] });
    expect(issues).toMatch(/^resources\[0\]\.kind: must be one of: .*alibabacloud\.ecs\.instance/m);
  });

  it('refuses empty ids, duplicate ids and malformed ids, each by index', () => {
    expect(issuesOf(ecs([]))).toMatch(/resources\[0\]\.ids: must name at least one id/);
    const dup = issuesOf(ecs(['i-bp1aaaaaaaaaaaaaaaaa', 'i-bp1aaaaaaaaaaaaaaaaa']));
    expect(dup).toMatch(
      /resources\[0\]\.ids\[1\]: "i-bp1aaaaaaaaaaaaaaaaa" is listed twice \(also at ids\[0\]\)/,
    );
    const bad = issuesOf(ecs(['i-bp1aaaaaaaaaaaaaaaaa', 'not an id', '']));
    expect(bad).toMatch(/resources\[0\]\.ids\[1\]: "not an id" is not an instance id/);
    expect(bad).toMatch(/resources\[0\]\.ids\[2\]: "" is not an instance id/);
  });

  it('refuses the same id listed in two groups of the same kind and region', () => {
    const issues = issuesOf({
      resources: [
        { kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids: ['i-bp1aaaaaaaaaaaaaaaaa'] },
        { kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids: ['i-bp1aaaaaaaaaaaaaaaaa'] },
      ],
    });
    expect(issues).toMatch(/resources\[1\]\.ids\[0\]: .* is already listed at resources\[0\]\.ids\[0\]/);
  });

  it('requires a region where the kind needs one and refuses unknown fields', () => {
    expect(
      issuesOf({ resources: [{ kind: 'alibabacloud.ecs.instance', ids: ['i-bp1aaaaaaaaaaaaaaaaa'] }] }),
    ).toMatch(/resources\[0\]\.region: is required for alibabacloud\.ecs\.instance/);
    expect(issuesOf({ ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']), options: { forse: true } })).toMatch(
      /^options\.forse: is not a known field$/m,
    );
    expect(issuesOf(ecs(['i-bp1aaaaaaaaaaaaaaaaa'], { region: 'Hangzhou' }))).toMatch(
      /resources\[0\]\.region: must be a region id/,
    );
  });

  it('accepts more ids than one delete call takes (the workflow batches them)', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `i-bp1${String(i).padStart(17, '0')}`);
    expect(parseTeardownRequest(ecs(ids)).resources[0]!.ids).toHaveLength(250);
  });

  it('refuses more ids than one teardown takes, and bad durations', () => {
    const ids = Array.from(
      { length: MAX_IDS_PER_REQUEST + 1 },
      (_, i) => `i-bp1${String(i).padStart(17, '0')}`,
    );
    expect(issuesOf(ecs(ids))).toMatch(/^resources: names 20001 ids; one teardown takes at most 20000/m);
    expect(issuesOf({ ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']), options: { deadline: 'soon' } })).toMatch(
      /options\.deadline: "soon" is malformed: give a positive duration/,
    );
  });

  it('says a malformed deadline is malformed, and an overlong one too long (one message each)', () => {
    const request = (options: Record<string, unknown>) => ({ ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']), options });
    expect(issuesOf(request({ deadline: 'soon' }))).toBe(
      'options.deadline: "soon" is malformed: give a positive duration like "90s", "30m" or "2h"',
    );
    expect(issuesOf(request({ deadline: '8d' }))).toBe(
      'options.deadline: "8d" is too long: must be at most 7d',
    );
    expect(issuesOf(request({ deadline: '0s' }))).toMatch(/^options\.deadline: "0s" is not positive/);
    expect(issuesOf(request({ pollInterval: '3 s' }))).toMatch(/^options\.pollInterval: "3 s" is malformed/);
    expect(issuesOf(request({ pollInterval: '11m' }))).toBe(
      'options.pollInterval: "11m" is too long: must be at most 10m',
    );
  });

  it('echoes at most a short prefix of an oversized value, with its length', () => {
    const long = 'i-' + 'a'.repeat(9_998);
    const id = issuesOf(ecs([long]));
    expect(id).toBe(
      `resources[0].ids[0]: "i-${'a'.repeat(62)}…" (10000 characters) is not an instance id like "i-bp1a2b3c4d5e6f7g8h9i"`,
    );
    const twice = issuesOf({
      resources: [
        { kind: 'alibabacloud.sae.instance', region: 'cn-hangzhou', appId: 'app', ids: ['x'.repeat(100)] },
        { kind: 'alibabacloud.sae.instance', region: 'cn-hangzhou', appId: 'app', ids: ['x'.repeat(100)] },
      ],
    });
    expect(twice).toMatch(
      /^resources\[1\]\.ids\[0\]: "x{64}…" \(100 characters\) is already listed at resources\[0\]\.ids\[0\]$/,
    );
    const region = issuesOf(ecs(['i-bp1aaaaaaaaaaaaaaaaa'], { region: 'cn-' + 'x'.repeat(9_997) }));
    expect(region).toMatch(
      /^resources\[0\]\.region: "cn-x{61}…" \(10000 characters\) is not a region of alibabacloud/,
    );
    const key = issuesOf({ ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']), ['k'.repeat(10_000)]: 1 });
    expect(key).toBe(`["${'k'.repeat(64)}…" (10000 characters)]: is not a known field`);
    const deadline = issuesOf({
      ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']),
      options: { deadline: '9'.repeat(10_000) },
    });
    expect(deadline).toMatch(/^options\.deadline: "9{64}…" \(10000 characters\) is malformed/);
    for (const text of [id, twice, region, key, deadline]) expect(text.length).toBeLessThan(300);
  });

  it('parses durations', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('2 hours')).toBeUndefined();
  });

  it('accepts selectors alone, and refuses a selector with no criterion or a bad tag', () => {
    const request = parseTeardownRequest({
      selectors: [
        { kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', tags: ['env=ci'], olderThan: '4h' },
      ],
    });
    expect(request.resources).toEqual([]);
    expect(issuesOf({ selectors: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou' }] })).toMatch(
      /selectors\[0\]: needs at least one of tags, namePrefix or olderThan/,
    );
    expect(
      issuesOf({ selectors: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', tags: ['=x'] }] }),
    ).toMatch(/selectors\[0\]\.tags\[0\]: must be "key" or "key=value"/);
    expect(issuesOf({ selectors: [{ kind: 'alibabacloud.ecs.instance', tags: ['env=ci'] }] })).toMatch(
      /selectors\[0\]\.region: is required for alibabacloud\.ecs\.instance/,
    );
    expect(issuesOf({})).toMatch(/resources: must name at least one resource group \(or give selectors\)/);
  });

  it('refuses a malformed start time and an SAE group without its application', () => {
    expect(issuesOf({ ...ecs(['i-bp1aaaaaaaaaaaaaaaaa']), options: { startAt: 'tomorrow' } })).toMatch(
      /options\.startAt: must be an ISO 8601 time/,
    );
    expect(
      issuesOf({ resources: [{ kind: 'alibabacloud.sae.instance', region: 'cn-hangzhou', ids: ['web-1'] }] }),
    ).toMatch(/resources\[0\]\.appId: is required for alibabacloud\.sae\.instance/);
  });
});
