// Property tests of the emulator's wire parsing, per signature family (fast-check, fixed seed,
// 1,000 cases each), in-process through answerCloudRequest (what the HTTP server calls): random
// query strings, headers and bodies, oversized values, requests signed correctly and then cut or
// altered, and junk carrying only a family's marks. Every answer is in the family's own envelope
// (success or error, never InternalError), nothing is logged as an emulator failure, nothing throws.
import fc from 'fast-check';
import { emulatorAccount } from '../../src/emulator/accounts';
import { EmulatorCore } from '../../src/emulator/core';
import { answerCloudRequest, DEFAULT_STEPS } from '../../src/emulator/gateway';
import { API_MODELS } from '../../src/emulator/models';
import { FAMILIES, PRODUCTS } from '../../src/emulator/registry';
import type { CloudProvider, RawRequest, RenderedResponse } from '../../src/emulator/types';
import { KIND_NAMES, KINDS, regionsOf } from '../../src/kinds';
import { exampleSeeds } from '../helpers/kinds';
import { FC_RUNS, FC_SEED, fcOptions } from '../helpers/property';
import { signAcs3, signRpc, signTc3, signVolc } from '../helpers/wire-signers';

const metas = KIND_NAMES.map((k) => KINDS[k]!);
/** Ids seeded before the tests; parameters often name them, so handlers run past not-found. */
const SEEDED = Object.fromEntries(
  metas.map((m) => [m.kind, [0, 1, 2].map((i) => `${m.example.idPrefix}fz0${i}`)]),
);
const SEEDED_IDS = Object.values(SEEDED).flat();

const productsOf = (provider: CloudProvider) => PRODUCTS.filter((p) => p.provider === provider);
const actionsOf = (provider: CloudProvider) => productsOf(provider).flatMap((p) => Object.keys(p.actions));
/** Every request parameter the served actions' official models name, for the provider. */
function paramNamesOf(provider: CloudProvider): string[] {
  const names = new Set<string>(['ClientToken', 'RegionId', 'InstanceId.1', 'InstanceId.2', 'AppSids.0']);
  for (const model of API_MODELS.filter((m) => m.provider === provider)) {
    for (const action of Object.values(model.actions))
      for (const name of Object.keys(action.request)) names.add(name);
  }
  return [...names];
}

// ---- values ----------------------------------------------------------------------------------

/** Short, binary, meaningful (ids, regions, numbers, JSON fragments) and oversized text. */
const text: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 16 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 16 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      ...SEEDED_IDS,
      ...metas.flatMap((m) => regionsOf(m).slice(0, 2)),
      '',
      '0',
      '-1',
      '1e309',
      'true',
      'null',
      '[]',
      '{}',
      `["${SEEDED_IDS[0]}"]`,
      '%',
      '%zz',
      '\u0000',
    ),
    weight: 4,
  },
  { arbitrary: fc.string({ minLength: 1_000, maxLength: 40_000 }), weight: 1 },
);

const json: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(text, { maxLength: 3 }),
  fc.integer(),
);

function params(provider: CloudProvider) {
  const name = fc.oneof(
    { arbitrary: fc.constantFrom(...paramNamesOf(provider)), weight: 4 },
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  return {
    name,
    query: fc.dictionary(name, text, { maxKeys: 6 }),
    json: fc.dictionary(name, json, { maxKeys: 6 }),
  };
}

/** A body: JSON of parameters, a form, random bytes, or empty; with the content type that goes with it, or another. */
function body(provider: CloudProvider): fc.Arbitrary<{ body: Buffer; contentType?: string }> {
  const p = params(provider);
  return fc.oneof(
    p.json.map((o) => ({ body: Buffer.from(JSON.stringify(o)), contentType: 'application/json' })),
    p.query.map((o) => ({
      body: Buffer.from(new URLSearchParams(o).toString()),
      contentType: 'application/x-www-form-urlencoded',
    })),
    fc
      .tuple(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded'),
      )
      .map(([b, contentType]) => ({ body: Buffer.from(b), contentType })),
    fc.constant({ body: Buffer.alloc(0) }),
  );
}

const action = (provider: CloudProvider) =>
  fc.oneof({ arbitrary: fc.constantFrom(...actionsOf(provider)), weight: 4 }, fc.string({ maxLength: 24 }));
const version = (provider: CloudProvider) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...productsOf(provider).map((p) => p.version)), weight: 4 },
    fc.string({ maxLength: 12 }),
  );
/** Often with a real region, so more calls get past the region check to the handlers. */
const regional = (query: fc.Arbitrary<Record<string, string>>) =>
  fc
    .tuple(query, fc.boolean())
    .map(([q, withRegion]) => (withRegion ? { RegionId: 'cn-hangzhou', ...q } : q));
const nonce = fc.oneof(fc.uuid(), fc.string({ maxLength: 8 }));

// ---- damage done to a signed request ------------------------------------------------------------

type Damage = (raw: RawRequest) => RawRequest;

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: fc.constant<Damage>((raw) => raw), weight: 4 },
  fc.nat().map<Damage>((n) => (raw) => ({ ...raw, body: raw.body.subarray(0, n % (raw.body.length + 1)) })),
  fc.nat().map<Damage>((n) => (raw) => {
    const names = Object.keys(raw.headers);
    const { [names[n % names.length]!]: _dropped, ...headers } = raw.headers;
    return { ...raw, headers };
  }),
  fc.tuple(fc.nat(), text).map<Damage>(([n, value]) => (raw) => {
    const names = Object.keys(raw.headers);
    return { ...raw, headers: { ...raw.headers, [names[n % names.length]!]: value } };
  }),
  fc.tuple(fc.nat(), fc.array(text, { maxLength: 3 })).map<Damage>(([n, values]) => (raw) => {
    const names = Object.keys(raw.headers);
    return { ...raw, headers: { ...raw.headers, [names[n % names.length]!]: values } };
  }),
  fc.nat().map<Damage>((n) => (raw) => {
    const value = String(raw.headers.authorization ?? '');
    return { ...raw, headers: { ...raw.headers, authorization: value.slice(0, n % (value.length + 1)) } };
  }),
  fc.tuple(fc.nat(), text).map<Damage>(([n, value]) => (raw) => {
    const query = new URLSearchParams(raw.query);
    const keys = [...query.keys()];
    if (keys.length) query.set(keys[n % keys.length]!, value);
    return { ...raw, query };
  }),
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'X'),
      fc.oneof(
        fc.constant('/'),
        fc.string({ maxLength: 20 }).map((s) => `/${s}`),
      ),
    )
    .map<Damage>(([method, path]) => (raw) => ({ ...raw, method, path })),
);

function damaged(signed: fc.Arbitrary<RawRequest>): fc.Arbitrary<RawRequest> {
  return fc.tuple(signed, damage).map(([raw, hurt]) => hurt(raw));
}

// ---- junk that carries only a family's marks ---------------------------------------------------

/** Headers from a family's own names plus random ones (never another family's marks). */
function junkHeaders(names: string[], marks: Record<string, fc.Arbitrary<string>>) {
  const other = fc
    .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
    .filter((h) => !/^(x-acs-|x-tc-|x-date|authorization)/.test(h));
  return fc
    .tuple(fc.dictionary(fc.oneof(fc.constantFrom(...names), other), text, { maxKeys: 6 }), fc.record(marks))
    .map(([random, marked]) => ({ ...random, ...marked }));
}

function junk(
  provider: CloudProvider,
  headers: fc.Arbitrary<Record<string, string>>,
  query = params(provider).query,
): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      path: fc.oneof(
        fc.constant('/'),
        fc.string({ maxLength: 30 }).map((s) => `/${s}`),
      ),
      query,
      headers,
      body: body(provider),
    })
    .map((r) => ({
      method: r.method,
      path: r.path,
      query: new URLSearchParams(r.query),
      headers: { ...(r.body.contentType ? { 'content-type': r.body.contentType } : {}), ...r.headers },
      body: r.body.body,
    }));
}

const fields = (prefix: string, names: string[]) =>
  fc.oneof(
    fc
      .tuple(...names.map(() => text))
      .map((values) => `${prefix}${names.map((n, i) => `${n}=${values[i]}`).join(', ')}`),
    text.map((t) => `${prefix}${t}`),
  );

// ---- the four families ----------------------------------------------------------------------------

const now = () => core.clock.now();
let core: EmulatorCore;

const FAMILY_CASES: Array<{
  name: string;
  provider: CloudProvider;
  requests: () => fc.Arbitrary<RawRequest>;
}> = [
  {
    name: 'Alibaba RPC (HMAC-SHA1)',
    provider: 'alibabacloud',
    requests: () =>
      fc.oneof(
        damaged(
          fc
            .record({
              method: fc.constantFrom('GET' as const, 'POST' as const),
              action: action('alibabacloud'),
              version: version('alibabacloud'),
              params: regional(params('alibabacloud').query),
              nonce,
            })
            .map((input) => signRpc(emulatorAccount('alibabacloud'), { ...input, now: now() })),
        ),
        junk(
          'alibabacloud',
          fc.constant({}),
          fc
            .tuple(
              params('alibabacloud').query,
              fc.dictionary(
                fc.constantFrom(
                  'Signature',
                  'SignatureMethod',
                  'SignatureNonce',
                  'SignatureVersion',
                  'AccessKeyId',
                  'Timestamp',
                  'Action',
                  'Version',
                ),
                text,
              ),
            )
            .map(([a, b]) => ({ ...a, ...b, SignatureMethod: b.SignatureMethod ?? 'HMAC-SHA1' })),
        ),
      ),
  },
  {
    name: 'Alibaba ACS3-HMAC-SHA256',
    provider: 'alibabacloud',
    requests: () =>
      fc.oneof(
        damaged(
          fc
            .record({
              method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
              path: fc.oneof(
                fc.constantFrom(
                  '/',
                  ...productsOf('alibabacloud').flatMap((p) => (p.roaRoutes ?? []).map((r) => r.path)),
                ),
                fc.string({ maxLength: 20 }).map((s) => `/${s}`),
              ),
              action: action('alibabacloud'),
              version: version('alibabacloud'),
              query: regional(params('alibabacloud').query),
              body: body('alibabacloud'),
              nonce,
            })
            .map((input) =>
              signAcs3(emulatorAccount('alibabacloud'), {
                ...input,
                body: input.body.body,
                contentType: input.body.contentType,
                now: now(),
              }),
            ),
        ),
        junk(
          'alibabacloud',
          junkHeaders(
            [
              'x-acs-action',
              'x-acs-version',
              'x-acs-date',
              'x-acs-signature-nonce',
              'x-acs-content-sha256',
              'host',
            ],
            { authorization: fields('ACS3-HMAC-SHA256 ', ['Credential', 'SignedHeaders', 'Signature']) },
          ),
        ),
      ),
  },
  {
    name: 'Tencent TC3-HMAC-SHA256',
    provider: 'tencentcloud',
    requests: () =>
      fc.oneof(
        damaged(
          fc
            .record({
              service: fc.oneof(
                fc.constantFrom(...productsOf('tencentcloud').map((p) => p.service)),
                fc.string({ maxLength: 8 }),
              ),
              action: action('tencentcloud'),
              version: version('tencentcloud'),
              region: fc.option(text, { nil: undefined }),
              body: body('tencentcloud'),
            })
            .map((input) =>
              signTc3(emulatorAccount('tencentcloud'), { ...input, body: input.body.body, now: now() }),
            ),
        ),
        junk(
          'tencentcloud',
          junkHeaders(
            ['x-tc-version', 'x-tc-timestamp', 'x-tc-region', 'x-tc-token', 'host', 'content-type'],
            {
              'x-tc-action': text,
              authorization: fields('TC3-HMAC-SHA256 ', ['Credential', 'SignedHeaders', 'Signature']),
            },
          ),
        ),
      ),
  },
  {
    name: 'Volcengine HMAC-SHA256',
    provider: 'volcengine',
    requests: () =>
      fc.oneof(
        damaged(
          fc
            .record({
              method: fc.constantFrom('GET' as const, 'POST' as const),
              service: fc.oneof(fc.constant('ecs'), fc.string({ maxLength: 8 })),
              region: fc.oneof(fc.constantFrom(...regionsOf(KINDS['volcengine.ecs.instance']!)), text),
              action: action('volcengine'),
              version: version('volcengine'),
              query: params('volcengine').query,
              body: body('volcengine'),
            })
            .map((input) =>
              signVolc(emulatorAccount('volcengine'), {
                ...input,
                body: input.body.body,
                contentType: input.body.contentType,
                now: now(),
              }),
            ),
        ),
        junk(
          'volcengine',
          junkHeaders(['host', 'x-content-sha256', 'content-type'], {
            'x-date': text,
            authorization: fields('HMAC-SHA256 ', ['Credential', 'SignedHeaders', 'Signature']),
          }),
        ),
      ),
  },
];

// ---- the envelopes -------------------------------------------------------------------------------

/** The error code of an answer in `provider`'s envelope (undefined for a success); fails otherwise. */
function envelopeCode(provider: CloudProvider, answer: RenderedResponse): string | undefined {
  const body = JSON.parse(answer.body);
  const isString = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (provider === 'alibabacloud') {
    expect(isString(body.RequestId)).toBe(true);
    if (answer.status < 400) return undefined;
    expect(isString(body.Code) && isString(body.Message)).toBe(true);
    return body.Code;
  }
  if (provider === 'tencentcloud') {
    expect(answer.status).toBe(200);
    expect(isString(body.Response?.RequestId)).toBe(true);
    if (!body.Response.Error) return undefined;
    expect(isString(body.Response.Error.Code) && isString(body.Response.Error.Message)).toBe(true);
    return body.Response.Error.Code;
  }
  expect(isString(body.ResponseMetadata?.RequestId)).toBe(true);
  if (answer.status === 200) return undefined;
  expect(isString(body.ResponseMetadata.Error?.Code) && isString(body.ResponseMetadata.Error?.Message)).toBe(
    true,
  );
  return body.ResponseMetadata.Error.Code;
}

describe(`emulator wire parsing, property-based (fast-check seed ${FC_SEED}, ${FC_RUNS} runs per family)`, () => {
  let failures: jest.SpyInstance;
  beforeAll(() => {
    // Quotas high: these calls come faster than any client sends them, and should reach the handlers.
    core = new EmulatorCore(FAMILIES, PRODUCTS, { quotaPerSecond: 1_000_000 });
    core.seed(metas.flatMap((m) => exampleSeeds(m, SEEDED[m.kind]!)));
  });
  beforeEach(() => {
    failures = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => failures.mockRestore());

  it('the signers sign as the SDKs do: a clean describe call succeeds in every family', async () => {
    const ecs = SEEDED['alibabacloud.ecs.instance']!;
    const clean: Array<[CloudProvider, RawRequest]> = [
      [
        'alibabacloud',
        signRpc(emulatorAccount('alibabacloud'), {
          method: 'POST',
          action: 'DescribeInstances',
          version: '2014-05-26',
          params: { RegionId: 'cn-hangzhou', InstanceIds: JSON.stringify(ecs) },
          nonce: 'n-rpc',
          now: now(),
        }),
      ],
      [
        'alibabacloud',
        signAcs3(emulatorAccount('alibabacloud'), {
          method: 'POST',
          path: '/',
          action: 'DescribeInstances',
          version: '2014-05-26',
          query: { RegionId: 'cn-hangzhou', InstanceIds: JSON.stringify(ecs) },
          body: Buffer.alloc(0),
          nonce: 'n-acs3',
          now: now(),
        }),
      ],
      [
        'tencentcloud',
        signTc3(emulatorAccount('tencentcloud'), {
          service: 'gaap',
          action: 'DescribeProxies',
          version: '2018-05-29',
          body: Buffer.from(JSON.stringify({ ProxyIds: SEEDED['tencentcloud.gaap.proxy'] })),
          now: now(),
        }),
      ],
      [
        'volcengine',
        signVolc(emulatorAccount('volcengine'), {
          method: 'GET',
          service: 'ecs',
          region: KINDS['volcengine.ecs.instance']!.example.region!,
          action: 'DescribeInstances',
          version: '2020-04-01',
          query: { 'InstanceIds.1': SEEDED['volcengine.ecs.instance']![0]! },
          body: Buffer.alloc(0),
          now: now(),
        }),
      ],
    ];
    for (const [provider, raw] of clean) {
      const answer = await answerCloudRequest(core, DEFAULT_STEPS, raw);
      expect([provider, envelopeCode(provider, answer), answer.status]).toEqual([provider, undefined, 200]);
    }
  });

  it.each(FAMILY_CASES)(
    '$name: every request gets an answer in the family’s envelope, never InternalError',
    async ({ provider, requests }) => {
      const codes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(requests(), async (raw) => {
          const answer = await answerCloudRequest(core, DEFAULT_STEPS, raw);
          const code = envelopeCode(provider, answer) ?? '(success)';
          expect(code).not.toBe('InternalError');
          expect(failures).not.toHaveBeenCalled();
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
        fcOptions(),
      );
      // What the cases reached, for the log (a property whose cases all stop at one check proves little).
      console.log(
        `${provider}: ${[...codes]
          .sort((a, b) => b[1] - a[1])
          .map(([c, n]) => `${c} ${n}`)
          .join(', ')}`,
      );
    },
  );
});
