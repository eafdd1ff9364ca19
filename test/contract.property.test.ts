// Property tests of the TeardownRequest schema (fast-check, fixed seed, printed on failure): valid
// requests built from the kinds' real facts (regions, id patterns, application ids) are accepted;
// each of many ways to break one is refused with a line naming the broken field's path; random
// values of any shape are refused without a crash, and no message line echoes a long value whole.
import fc from 'fast-check';
import { InvalidTeardownRequest, parseTeardownRequest } from '../src/contract';
import { KIND_NAMES, KINDS, regionsOf, type KindMeta } from '../src/kinds';
import { FC_RUNS, FC_SEED, fcOptions } from './helpers/property';

type Json = Record<string, any>;

/** Refusal lines of `input`, or undefined when it is accepted; anything but InvalidTeardownRequest fails the test. */
function refusal(input: unknown): string[] | undefined {
  try {
    parseTeardownRequest(input);
    return undefined;
  } catch (err) {
    if (!(err instanceof InvalidTeardownRequest)) throw err;
    return err.issues.split('\n');
  }
}

/** A field path as a refusal names it: `resources[0].ids[2]`, a key that is not a plain name quoted. */
function pathText(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      if (!/^[A-Za-z_$][\w$]{0,63}$/.test(part)) {
        const quoted =
          part.length <= 64
            ? JSON.stringify(part)
            : `${JSON.stringify(part.slice(0, 64) + '…')} (${part.length} characters)`;
        return `[${quoted}]`;
      }
      return `${i === 0 ? '' : '.'}${part}`;
    })
    .join('');
}

// ---- valid requests, from the kinds' facts ---------------------------------------------------

const KINDS_ENABLED: KindMeta[] = KIND_NAMES.map((k) => KINDS[k]!).filter((m) => m.enabled);
const appIdArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/);

/** Region and application as the kind takes them (absent where it takes none). */
function placementArb(meta: KindMeta): fc.Arbitrary<Json> {
  return fc.record({
    kind: fc.constant(meta.kind),
    ...(meta.requiresRegion ? { region: fc.constantFrom(...regionsOf(meta)) } : {}),
    ...(meta.requiresAppId ? { appId: appIdArb } : {}),
  });
}

/** One arbitrary per kind, built once: building fc.stringMatching parses its pattern (costly per case). */
const groupArb: fc.Arbitrary<Json> = fc.oneof(
  ...KINDS_ENABLED.map((meta) =>
    fc
      .tuple(
        placementArb(meta),
        fc.uniqueArray(fc.stringMatching(meta.idPattern), { minLength: 1, maxLength: 6 }),
      )
      .map(([placement, ids]) => ({ ...placement, ids })),
  ),
);

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];
/** A well-formed positive duration of at most `maxMs`, in any unit that fits. */
const durationArb = (maxMs: number) =>
  fc
    .constantFrom(...UNITS.filter(([, ms]) => ms <= maxMs))
    .chain(([unit, ms]) => fc.integer({ min: 1, max: Math.floor(maxMs / ms) }).map((n) => `${n}${unit}`));

const tagArb = fc.stringMatching(/^[a-z][a-z0-9:_.-]{0,15}(=[a-z0-9 _-]{0,12})?$/);

const selectorArb: fc.Arbitrary<Json> = fc.oneof(
  ...KINDS_ENABLED.map((meta) =>
    fc
      .tuple(
        placementArb(meta),
        fc.record(
          {
            tags: fc.array(tagArb, { minLength: 1, maxLength: 20 }),
            namePrefix: fc.string({ minLength: 1, maxLength: 128 }),
            olderThan: durationArb(30 * 86_400_000),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom('tags', 'namePrefix', 'olderThan'),
      )
      .map(([placement, criteria, one]) => ({
        ...placement,
        ...criteria,
        // At least one criterion: a selector with none would match every resource of the kind.
        ...(Object.keys(criteria).length
          ? {}
          : one === 'tags'
            ? { tags: ['env=ci'] }
            : one === 'namePrefix'
              ? { namePrefix: 'ci-' }
              : { olderThan: '4h' }),
      })),
  ),
);

const optionsArb: fc.Arbitrary<Json> = fc.record(
  {
    dryRun: fc.boolean(),
    force: fc.boolean(),
    convertPrepaid: fc.boolean(),
    requireApproval: fc.boolean(),
    allowMissing: fc.boolean(),
    deadline: durationArb(7 * 86_400_000),
    pollInterval: durationArb(10 * 60_000),
    maxResources: fc.integer({ min: 1, max: 20_000 }),
    protectTag: tagArb,
    startAt: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
  },
  { requiredKeys: [] },
);

/** No id named twice for the same kind and region, across groups (the schema refuses that). */
function distinctAcrossGroups(groups: Json[]): boolean {
  const seen = new Set<string>();
  return groups.every((g) =>
    (g.ids as string[]).every((id) => {
      const key = `${g.kind}|${g.region ?? ''}|${id}`;
      return !seen.has(key) && Boolean(seen.add(key));
    }),
  );
}

const validRequestArb: fc.Arbitrary<Json> = fc
  .record(
    {
      resources: fc.array(groupArb, { maxLength: 4 }).filter(distinctAcrossGroups),
      selectors: fc.array(selectorArb, { maxLength: 3 }),
      options: optionsArb,
      requestedBy: fc.string({ minLength: 1, maxLength: 200 }),
      reason: fc.string({ maxLength: 2000 }),
    },
    { requiredKeys: ['resources'] },
  )
  .filter((r) => r.resources.length > 0 || (r.selectors?.length ?? 0) > 0);

// ---- ways to break a valid request, each with the path its refusal must name ----------------------

interface Broken {
  request: Json;
  path: string;
}

/** Any string, short or oversized, for the fields that take none of these values. */
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 1_000, maxLength: 12_000 }),
);
/** A value of the wrong type for a string field. */
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

function breakWith<T>(
  request: Json,
  arb: fc.Arbitrary<T>,
  apply: (copy: Json, value: T) => Array<string | number>,
): fc.Arbitrary<Broken> {
  return arb.map((value) => {
    const copy = structuredClone(request);
    return { request: copy, path: pathText(apply(copy, value)) };
  });
}

/** An own key the schema does not know (also `__proto__`, as JSON.parse makes it). */
function addKey(target: Json, key: string): void {
  Object.defineProperty(target, key, { value: 1, enumerable: true, configurable: true, writable: true });
}
const unknownKey = (known: string[]) =>
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.constantFrom('__proto__', 'constructor', 'forse'),
      fc.string({ minLength: 1_000, maxLength: 10_000 }),
    )
    .filter((k) => !known.includes(k));

function groupBreakers(request: Json, g: number): Array<fc.Arbitrary<Broken>> {
  const group = request.resources[g] as Json;
  const meta = KINDS[group.kind]!;
  const at = (...rest: Array<string | number>) => ['resources', g, ...rest];
  const i = (group.ids as string[]).length - 1;
  return [
    breakWith(
      request,
      anyText.filter((s) => !meta.idPattern.test(s)),
      (r, v) => ((r.resources[g].ids[i] = v), at('ids', i)),
    ),
    breakWith(request, notAString, (r, v) => ((r.resources[g].ids[0] = v), at('ids', 0))),
    breakWith(
      request,
      fc.constant(0),
      (r) => (r.resources[g].ids.push(r.resources[g].ids[0]), at('ids', i + 1)),
    ),
    breakWith(request, fc.constant(0), (r) => ((r.resources[g].ids = []), at('ids'))),
    breakWith(
      request,
      anyText.filter((s) => !KIND_NAMES.includes(s)),
      (r, v) => ((r.resources[g].kind = v), at('kind')),
    ),
    breakWith(
      request,
      anyText.filter((s) => !regionsOf(meta).includes(s)),
      (r, v) => ((r.resources[g].region = v), at('region')),
    ),
    breakWith(
      request,
      unknownKey(['kind', 'region', 'appId', 'ids']),
      (r, k) => (addKey(r.resources[g], k), at(k)),
    ),
    meta.requiresRegion
      ? breakWith(request, fc.constant(0), (r) => (delete r.resources[g].region, at('region')))
      : breakWith(request, fc.constant('cn-hangzhou'), (r, v) => ((r.resources[g].region = v), at('region'))),
    meta.requiresAppId
      ? breakWith(
          request,
          fc.constantFrom(undefined, ''),
          (r, v) => ((r.resources[g].appId = v), at('appId')),
        )
      : breakWith(request, appIdArb, (r, v) => ((r.resources[g].appId = v), at('appId'))),
  ];
}

function selectorBreakers(request: Json, s: number): Array<fc.Arbitrary<Broken>> {
  const at = (...rest: Array<string | number>) => ['selectors', s, ...rest];
  return [
    breakWith(request, fc.constant(0), (r) => {
      for (const field of ['tags', 'namePrefix', 'olderThan']) delete r.selectors[s][field];
      return at();
    }),
    breakWith(
      request,
      fc.constantFrom('=x', ' key', '', '=', '\tk'),
      (r, v) => ((r.selectors[s].tags = [v]), at('tags', 0)),
    ),
    breakWith(
      request,
      fc.array(tagArb, { minLength: 21, maxLength: 40 }),
      (r, v) => ((r.selectors[s].tags = v), at('tags')),
    ),
    breakWith(
      request,
      anyText.filter((t) => !/^\d+(ms|s|m|h|d)$/.test(t.trim()) || /^0+\D/.test(t.trim())),
      (r, v) => ((r.selectors[s].olderThan = v), at('olderThan')),
    ),
    breakWith(
      request,
      fc.oneof(fc.constant(''), fc.string({ minLength: 129, maxLength: 5_000 })),
      (r, v) => ((r.selectors[s].namePrefix = v), at('namePrefix')),
    ),
    breakWith(
      request,
      unknownKey(['kind', 'region', 'appId', 'tags', 'namePrefix', 'olderThan']),
      (r, k) => (addKey(r.selectors[s], k), at(k)),
    ),
  ];
}

const badDuration = anyText.filter((t) => !/^\s*\d+(ms|s|m|h|d)\s*$/.test(t) || /^\s*0+\D/.test(t));

function optionBreakers(request: Json): Array<fc.Arbitrary<Broken>> {
  const options = (r: Json): Json => (r.options ??= {});
  return [
    breakWith(request, badDuration, (r, v) => ((options(r).deadline = v), ['options', 'deadline'])),
    breakWith(
      request,
      fc.integer({ min: 8, max: 100_000 }),
      (r, v) => ((options(r).deadline = `${v}d`), ['options', 'deadline']),
    ),
    breakWith(request, badDuration, (r, v) => ((options(r).pollInterval = v), ['options', 'pollInterval'])),
    breakWith(
      request,
      fc.integer({ min: 601, max: 100_000 }),
      (r, v) => ((options(r).pollInterval = `${v}s`), ['options', 'pollInterval']),
    ),
    breakWith(
      request,
      fc.oneof(
        fc.integer({ max: 0 }),
        fc.integer({ min: 20_001 }),
        fc.double({ min: 1.01, max: 100, noInteger: true }),
        fc.string(),
      ),
      (r, v) => ((options(r).maxResources = v), ['options', 'maxResources']),
    ),
    breakWith(
      request,
      fc.oneof(
        notAString.filter((v) => typeof v !== 'boolean'),
        fc.string(),
      ),
      (r, v) => ((options(r).dryRun = v), ['options', 'dryRun']),
    ),
    breakWith(
      request,
      anyText.filter((t) => Number.isNaN(Date.parse(t))),
      (r, v) => ((options(r).startAt = v), ['options', 'startAt']),
    ),
    breakWith(
      request,
      fc.constantFrom('=x', '', ' x'),
      (r, v) => ((options(r).protectTag = v), ['options', 'protectTag']),
    ),
    breakWith(
      request,
      unknownKey(Object.keys(optionsArbKeys)),
      (r, k) => (addKey(options(r), k), ['options', k]),
    ),
  ];
}
const optionsArbKeys = {
  dryRun: 0,
  force: 0,
  convertPrepaid: 0,
  requireApproval: 0,
  deadline: 0,
  pollInterval: 0,
  maxResources: 0,
  protectTag: 0,
  allowMissing: 0,
  startAt: 0,
};

function topBreakers(request: Json): Array<fc.Arbitrary<Broken>> {
  return [
    breakWith(
      request,
      fc.oneof(fc.constant(''), fc.string({ minLength: 201, maxLength: 5_000 }), notAString),
      (r, v) => ((r.requestedBy = v), ['requestedBy']),
    ),
    breakWith(
      request,
      fc.oneof(fc.string({ minLength: 2001, maxLength: 6_000 }), notAString),
      (r, v) => ((r.reason = v), ['reason']),
    ),
    breakWith(
      request,
      fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 1 })),
      (r, v) => ((r.resources = v), ['resources']),
    ),
    breakWith(
      request,
      fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer(), { minLength: 1, maxLength: 3 })),
      (r, v) => ((r.options = v), ['options']),
    ),
    breakWith(request, fc.constant(0), (r) => ((r.resources = []), delete r.selectors, ['resources'])),
    breakWith(
      request,
      unknownKey(['resources', 'selectors', 'options', 'requestedBy', 'reason']),
      (r, k) => (addKey(r, k), [k]),
    ),
  ];
}

const brokenRequestArb: fc.Arbitrary<Broken> = validRequestArb.chain((request) =>
  fc.oneof(
    ...topBreakers(request),
    ...optionBreakers(request),
    ...(request.resources as Json[]).flatMap((_, g) => groupBreakers(request, g)),
    ...((request.selectors ?? []) as Json[]).flatMap((_, s) => selectorBreakers(request, s)),
  ),
);

/** Longest refusal line: a message, a field path and at most a 64-character prefix of any value (JSON-escaped). */
const MAX_LINE = 700;

describe(`TeardownRequest schema, property-based (fast-check seed ${FC_SEED}, ${FC_RUNS} runs each)`, () => {
  it('accepts every valid request built from the kinds’ facts and keeps its resources', () => {
    fc.assert(
      fc.property(validRequestArb, (request) => {
        const parsed = parseTeardownRequest(request);
        expect(parsed.resources).toEqual(request.resources);
        expect(parsed.selectors ?? []).toEqual(request.selectors ?? []);
      }),
      fcOptions(),
    );
  });

  it('refuses every broken request with a line naming the broken field, and no line echoes a long value', () => {
    fc.assert(
      fc.property(brokenRequestArb, ({ request, path }) => {
        const lines = refusal(request);
        expect(lines).toBeDefined();
        expect(lines!.some((line) => line.startsWith(`${path}: `))).toBe(true);
        for (const line of lines!) {
          expect(line.length).toBeLessThan(MAX_LINE);
          expect(line.startsWith('(request)')).toBe(false);
        }
      }),
      fcOptions(),
    );
  });

  it('refuses values of any shape without a crash, each line short', () => {
    const anyRequest = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.object({
        key: fc.constantFrom('resources', 'selectors', 'options', 'requestedBy', 'reason', 'kind', 'ids'),
        maxDepth: 3,
      }),
      fc.record({
        resources: fc.array(
          fc.dictionary(fc.constantFrom('kind', 'region', 'appId', 'ids'), fc.anything({ maxDepth: 1 })),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(anyRequest, (input) => {
        const lines = refusal(input);
        for (const line of lines ?? []) expect(line.length).toBeLessThan(MAX_LINE);
      }),
      fcOptions(),
    );
  });
});
