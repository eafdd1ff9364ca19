// The volcengine.ecs.instance provider module against the emulator (real SDK, real signatures),
// plus a canned-answer server for wire quirks the emulator never produces.
import { createServer, type Server } from 'node:http';
import { Signer } from '@volcengine/openapi';
import { VOLCENGINE_ECS_INSTANCE } from '../../src/emulator/volcengine/ecs';
import type { ErrorClass } from '../../src/providers/errors';
import type { CallContext, DeletionOptions } from '../../src/providers/types';
import {
  classifyVolcengineEcs,
  volcengineEcsInstance as provider,
  volcengineServiceOptions,
} from '../../src/providers/volcengine/ecs';
import { FIXTURES } from '../helpers/kinds';
import {
  callContext,
  captureProviderError,
  closeServer,
  deadEndpoint,
  listen,
  until,
  useEmulator,
  untilInFlight,
  IN_FLIGHT_LATENCY_MS,
} from '../helpers/provider-harness';

const DAY = 86_400_000;
const REGION = 'cn-beijing';
const PLAIN: DeletionOptions = { force: false, convertPrepaid: false };
const CONVERT: DeletionOptions = { force: false, convertPrepaid: true };

const emu = useEmulator({
  settings: {
    durations: { 'volcengine.ecs.delete': 300, 'volcengine.ecs.stop': 300, 'volcengine.ecs.convert': 300 },
  },
});
afterEach(() => jest.restoreAllMocks());

const ctx = (overrides: Partial<CallContext> = {}) =>
  callContext(emu, 'volcengine', { region: REGION, ...overrides });

function seed(id: string, status = 'RUNNING', attributes: Record<string, unknown> = {}) {
  emu.seed([{ type: VOLCENGINE_ECS_INSTANCE, id, region: REGION, status, attributes }]);
}

const prepaid = (days: number) => ({
  InstanceChargeType: 'PrePaid',
  ExpiredAt: new Date(Date.now() + days * DAY).toISOString(),
});

describe('describe', () => {
  test('assesses every id from one DescribeInstances call', async () => {
    seed('i-run001');
    seed('i-stp002', 'STOPPED');
    seed('i-err003', 'ERROR');
    seed('i-pre004', 'RUNNING', prepaid(10));
    seed('i-exp005', 'STOPPED', prepaid(-1));
    seed('i-stg006', 'STOPPING');
    seed('i-del007', 'DELETING');
    seed('i-crt008', 'CREATING');
    const all = [
      'i-run001',
      'i-stp002',
      'i-err003',
      'i-pre004',
      'i-exp005',
      'i-stg006',
      'i-del007',
      'i-crt008',
      'i-none009',
    ];

    const plain = await provider.describe(ctx(), all, PLAIN);
    expect(plain).toEqual([
      { id: 'i-run001', state: 'ready', status: 'RUNNING' },
      { id: 'i-stp002', state: 'ready', status: 'STOPPED' },
      { id: 'i-err003', state: 'ready', status: 'ERROR' },
      {
        id: 'i-pre004',
        state: 'blocked',
        status: 'RUNNING',
        errorCode: 'InvalidInstanceChargeType.Unsupported',
        message: expect.stringContaining('convertPrepaid'),
        errorClass: 'needs-operator',
        skipped: true,
      },
      { id: 'i-exp005', state: 'ready', status: 'STOPPED' },
      { id: 'i-stg006', state: 'transitional', status: 'STOPPING' },
      { id: 'i-del007', state: 'transitional', status: 'DELETING' },
      { id: 'i-crt008', state: 'transitional', status: 'CREATING' },
      { id: 'i-none009', state: 'gone' },
    ]);
    // force changes nothing: Volcengine deletes running instances directly.
    expect(await provider.describe(ctx(), all, { force: true, convertPrepaid: false })).toEqual(plain);

    const converting = await provider.describe(ctx(), ['i-pre004', 'i-exp005'], CONVERT);
    expect(converting).toEqual([
      { id: 'i-pre004', state: 'needs-prepare', step: 'convert', status: 'RUNNING' },
      { id: 'i-exp005', state: 'ready', status: 'STOPPED' },
    ]);

    const calls = emu.calls({ action: 'DescribeInstances' });
    expect(calls).toHaveLength(3);
    expect(calls[0]!.params).toMatchObject({
      MaxResults: '100',
      'InstanceIds.1': 'i-run001',
      'InstanceIds.9': 'i-none009',
    });
  });

  test('a full batch of 100 ids is one call; instances of another region are gone', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `i-bat${String(i).padStart(3, '0')}`);
    emu.seed(ids.map((id) => ({ type: VOLCENGINE_ECS_INSTANCE, id, region: REGION })));
    emu.seed([{ type: VOLCENGINE_ECS_INSTANCE, id: 'i-far001', region: 'cn-shanghai' }]);
    const answer = await provider.describe(ctx(), ids, PLAIN);
    expect(answer.every((a) => a.state === 'ready')).toBe(true);
    expect(await provider.describe(ctx(), ['i-far001'], PLAIN)).toEqual([{ id: 'i-far001', state: 'gone' }]);
    expect(emu.calls({ action: 'DescribeInstances' })).toHaveLength(2);
  });
});

describe('delete and poll', () => {
  test('partial success per id: deleted, already gone, refused, retried', async () => {
    seed('i-ok001');
    seed('i-ok002', 'STOPPED');
    seed('i-pre003', 'RUNNING', prepaid(5));
    seed('i-stg004', 'STARTING');
    seed('i-int005', 'RUNNING', { failDelete: 'InternalError' });
    seed('i-odd006', 'RUNNING', { failDelete: 'OperationDenied.Whatever' });
    const ids = ['i-ok001', 'i-ok002', 'i-pre003', 'i-stg004', 'i-int005', 'i-odd006', 'i-none007'];
    const answer = await provider.delete(ctx(), ids, 'ct-partial', PLAIN);
    expect(answer.requestId).toMatch(/^\d{14}[0-9A-F]{20}$/);
    expect(answer.outcomes).toEqual([
      { id: 'i-ok001', result: 'accepted' },
      { id: 'i-ok002', result: 'accepted' },
      {
        id: 'i-pre003',
        result: 'failed',
        errorCode: 'InvalidInstanceChargeType.Unsupported',
        message: expect.any(String),
        errorClass: 'needs-operator',
      },
      { id: 'i-stg004', result: 'retry', errorCode: 'InvalidInstanceStatus', message: expect.any(String) },
      { id: 'i-int005', result: 'retry', errorCode: 'InternalError', message: expect.any(String) },
      {
        id: 'i-odd006',
        result: 'failed',
        errorCode: 'OperationDenied.Whatever',
        message: expect.any(String),
        errorClass: 'permanent',
      },
      { id: 'i-none007', result: 'gone' },
    ]);
    const [call] = emu.calls({ action: 'DeleteInstances' });
    expect(call!.params).toMatchObject({
      ClientToken: 'ct-partial',
      'InstanceIds.1': 'i-ok001',
      'InstanceIds.7': 'i-none007',
    });

    expect(await provider.poll(ctx(), ['i-ok001', 'i-ok002', 'i-none007'], undefined)).toEqual([
      { id: 'i-ok001', result: 'pending', status: 'DELETING' },
      { id: 'i-ok002', result: 'pending', status: 'DELETING' },
      { id: 'i-none007', result: 'gone' },
    ]);
    const done = await until(
      () => provider.poll(ctx(), ['i-ok001', 'i-ok002'], undefined),
      (outcomes) => outcomes.every((o) => o.result === 'gone'),
    );
    expect(done).toEqual([
      { id: 'i-ok001', result: 'gone' },
      { id: 'i-ok002', result: 'gone' },
    ]);
  });

  test('a retried delete with the same token replays the first answer; other ids under it are refused', async () => {
    seed('i-tok001');
    seed('i-tok002');
    const first = await provider.delete(ctx(), ['i-tok001'], 'ct-same', PLAIN);
    const again = await provider.delete(ctx(), ['i-tok001'], 'ct-same', PLAIN);
    expect(again.outcomes).toEqual(first.outcomes);
    expect(emu.stats().idempotentReplays).toBe(1);

    const mismatch = await captureProviderError(
      provider.delete(ctx(), ['i-tok001', 'i-tok002'], 'ct-same', PLAIN),
    );
    expect(mismatch).toMatchObject({
      code: 'IdempotentParameterMismatch',
      errorClass: 'permanent',
      cloud: 'volcengine',
    });
    expect(mismatch.requestId).toMatch(/^\d{14}/);
  });

  test('the same token while the first call is in flight: IdempotentProcessing, class busy', async () => {
    seed('i-slow001');
    emu.setSettings({ latencyByAction: { 'volcengine.ecs.DeleteInstances': IN_FLIGHT_LATENCY_MS } });
    const first = provider.delete(ctx(), ['i-slow001'], 'ct-slow', PLAIN);
    await untilInFlight(emu, 'DeleteInstances');
    const results = await Promise.allSettled([
      first,
      provider.delete(ctx(), ['i-slow001'], 'ct-slow', PLAIN),
    ]);
    expect(results[0]).toMatchObject({
      status: 'fulfilled',
      value: { outcomes: [{ id: 'i-slow001', result: 'accepted' }] },
    });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { code: 'IdempotentProcessing', errorClass: 'busy' },
    });
  });
});

describe('prepare', () => {
  test('convert: ModifyInstanceChargeType with AutoPay, then the instance becomes deletable', async () => {
    seed('i-pre001', 'RUNNING', prepaid(20));
    seed('i-pre002', 'STOPPED', prepaid(20));
    const outcomes = await provider.prepare!(ctx(), 'convert', ['i-pre001', 'i-pre002'], 'ct-convert');
    expect(outcomes).toEqual([
      { id: 'i-pre001', result: 'accepted' },
      { id: 'i-pre002', result: 'accepted' },
    ]);
    expect(emu.calls({ action: 'ModifyInstanceChargeType' })[0]!.params).toMatchObject({
      InstanceChargeType: 'PostPaid',
      AutoPay: 'true',
      ClientToken: 'ct-convert',
      'InstanceIds.2': 'i-pre002',
    });
    // No "converting" marker exists: until the order completes the instance still needs converting.
    expect((await provider.describe(ctx(), ['i-pre001'], CONVERT))[0]).toMatchObject({
      state: 'needs-prepare',
      step: 'convert',
    });
    // A re-issue under a new token (the workflow's next generation) is accepted and changes nothing.
    expect(await provider.prepare!(ctx(), 'convert', ['i-pre001'], 'ct-convert-2')).toEqual([
      { id: 'i-pre001', result: 'accepted' },
    ]);

    const ready = await until(
      () => provider.describe(ctx(), ['i-pre001', 'i-pre002'], CONVERT),
      (a) => a.every((x) => x.state === 'ready'),
    );
    expect(ready.map((a) => a.state)).toEqual(['ready', 'ready']);
    const answer = await provider.delete(ctx(), ['i-pre001', 'i-pre002'], 'ct-del', CONVERT);
    expect(answer.outcomes.map((o) => o.result)).toEqual(['accepted', 'accepted']);
  });

  test('convert is all-or-nothing: gone and busy answers come back per id for the workflow to re-describe', async () => {
    seed('i-pre001', 'RUNNING', prepaid(20));
    seed('i-rbt002', 'REBOOTING', prepaid(20));
    expect(await provider.prepare!(ctx(), 'convert', ['i-none009'], 'ct-1')).toEqual([
      { id: 'i-none009', result: 'gone' },
    ]);
    expect(await provider.prepare!(ctx(), 'convert', ['i-pre001', 'i-none009'], 'ct-2')).toEqual([
      { id: 'i-pre001', result: 'retry', errorCode: 'InvalidInstance.NotFound', message: expect.any(String) },
      {
        id: 'i-none009',
        result: 'retry',
        errorCode: 'InvalidInstance.NotFound',
        message: expect.any(String),
      },
    ]);
    expect(await provider.prepare!(ctx(), 'convert', ['i-pre001', 'i-rbt002'], 'ct-3')).toEqual([
      { id: 'i-pre001', result: 'retry', errorCode: 'InvalidInstanceStatus', message: expect.any(String) },
      { id: 'i-rbt002', result: 'retry', errorCode: 'InvalidInstanceStatus', message: expect.any(String) },
    ]);
    // Everything else stays a failed call for the activity to classify.
    emu.injectFault({
      provider: 'volcengine',
      action: 'ModifyInstanceChargeType',
      code: 'AccountFlowLimitExceeded',
      httpStatus: 429,
    });
    expect(
      await captureProviderError(provider.prepare!(ctx(), 'convert', ['i-pre001'], 'ct-4')),
    ).toMatchObject({
      code: 'AccountFlowLimitExceeded',
      errorClass: 'throttled',
    });
    emu.injectFault({
      provider: 'volcengine',
      action: 'ModifyInstanceChargeType',
      code: 'IdempotentProcessing',
      httpStatus: 412,
    });
    expect(
      await captureProviderError(provider.prepare!(ctx(), 'convert', ['i-pre001'], 'ct-5')),
    ).toMatchObject({
      code: 'IdempotentProcessing',
      errorClass: 'busy',
    });
    const many = Array.from({ length: 21 }, (_, i) => `i-many${String(i).padStart(3, '0')}`);
    const tooMany = await captureProviderError(provider.prepare!(ctx(), 'convert', many, 'ct-6'));
    expect(tooMany).toMatchObject({ code: 'TooManyIds', errorClass: 'permanent' });
    expect(tooMany.message).toContain('at most 20');
    expect(emu.calls({ action: 'ModifyInstanceChargeType' })).toHaveLength(5);
  });

  test('stop: StopInstances with ForceStop and KeepCharging, outcomes per id', async () => {
    seed('i-run001');
    seed('i-stp002', 'STOPPED');
    seed('i-bad003', 'RUNNING', { failStop: 'InvalidParameter.StoppedMode' });
    const outcomes = await provider.prepare!(
      ctx(),
      'stop',
      ['i-run001', 'i-stp002', 'i-bad003', 'i-none004'],
      'ct-stop',
    );
    expect(outcomes).toEqual([
      { id: 'i-run001', result: 'accepted' },
      { id: 'i-stp002', result: 'retry', errorCode: 'InvalidInstanceStatus', message: expect.any(String) },
      {
        id: 'i-bad003',
        result: 'failed',
        errorCode: 'InvalidParameter.StoppedMode',
        message: expect.any(String),
        errorClass: 'permanent',
      },
      { id: 'i-none004', result: 'gone' },
    ]);
    expect(emu.calls({ action: 'StopInstances' })[0]!.params).toMatchObject({
      ForceStop: 'true',
      StoppedMode: 'KeepCharging',
      ClientToken: 'ct-stop',
    });
    const stopped = await until(
      () => provider.describe(ctx(), ['i-run001'], PLAIN),
      (a) => a[0]?.state === 'ready' && a[0].status === 'STOPPED',
    );
    expect(stopped[0]).toEqual({ id: 'i-run001', state: 'ready', status: 'STOPPED' });
    await expect(provider.prepare!(ctx(), 'hibernate', ['i-run001'], 'ct')).rejects.toThrow(
      'no prepare step',
    );
  });
});

describe('error classes', () => {
  // The seed's DeleteInstances table (listed once in the kinds' fixtures), the common gateway codes
  // and design.md section 5.
  const table: Array<[string, number, ErrorClass]> = [
    ...FIXTURES['volcengine.ecs.instance'].seedCodes,
    ['InternalError.ServerBusy', 500, 'transient'],
    ['InternalServiceTimeout', 504, 'transient'],
    ['ServiceUnavailableTemp', 503, 'transient'],
    ['AccountFlowLimitExceeded', 429, 'throttled'],
    ['FlowLimitExceeded', 429, 'throttled'],
    ['InvalidInstanceStatus', 400, 'busy'],
    ['InvalidInstance.NotFound', 404, 'gone'],
    ['InvalidParameter', 400, 'permanent'],
    ['InvalidParameter.InstanceIds', 400, 'permanent'],
    ['MissingParameter', 400, 'permanent'],
    ['InvalidActionOrVersion', 404, 'permanent'],
    ['SignatureDoesNotMatch', 401, 'auth'],
    ['InvalidAccessKey', 401, 'auth'],
    ['MissingAuthenticationToken', 401, 'auth'],
    ['AccessDenied', 403, 'auth'],
    ['InvalidTimestamp', 403, 'clock'],
    ['SomethingNobodyDocumented', 400, 'permanent'],
  ];

  test.each(table)(
    'an injected %s (HTTP %i) reaches the caller as class %s',
    async (code, httpStatus, errorClass) => {
      seed('i-flt001');
      emu.injectFault({ provider: 'volcengine', action: 'DeleteInstances', code, httpStatus });
      const err = await captureProviderError(provider.delete(ctx(), ['i-flt001'], 'ct-fault', PLAIN));
      expect(err).toMatchObject({ cloud: 'volcengine', code, errorClass });
      expect(err.requestId).toMatch(/^\d{14}[0-9A-F]{20}$/);
      expect(provider.classify(code)).toBe(errorClass);
    },
  );

  test('a failed describe or poll throws the classified error too', async () => {
    emu.injectFault({
      provider: 'volcengine',
      action: 'DescribeInstances',
      code: 'FlowLimitExceeded',
      httpStatus: 429,
      count: 2,
    });
    expect(await captureProviderError(provider.describe(ctx(), ['i-x00001'], PLAIN))).toMatchObject({
      errorClass: 'throttled',
    });
    expect(await captureProviderError(provider.poll(ctx(), ['i-x00001'], undefined))).toMatchObject({
      errorClass: 'throttled',
    });
  });

  test('real refusals: wrong secret and unknown key are auth, a skewed clock is clock', async () => {
    const wrong = await captureProviderError(
      provider.describe(
        ctx({ credentials: { accessKeyId: emu.accounts.volcengine.accessKeyId, accessKeySecret: 'nope' } }),
        ['i-x00001'],
        PLAIN,
      ),
    );
    expect(wrong).toMatchObject({ code: 'SignatureDoesNotMatch', errorClass: 'auth' });
    const unknown = await captureProviderError(
      provider.describe(
        ctx({ credentials: { accessKeyId: 'AKLTNobody', accessKeySecret: 'nope' } }),
        ['i-x00001'],
        PLAIN,
      ),
    );
    expect(unknown).toMatchObject({ code: 'InvalidAccessKey', errorClass: 'auth' });

    // The SDK reads its clock in Signer.getDateTime: an hour behind is out of the 900 s window.
    const original = Signer.prototype.getDateTime;
    jest.spyOn(Signer.prototype, 'getDateTime').mockImplementation(function (this: Signer) {
      return original.call(this, new Date(Date.now() - 3_600_000));
    });
    const skewed = await captureProviderError(provider.describe(ctx(), ['i-x00001'], PLAIN));
    expect(skewed).toMatchObject({ code: 'InvalidTimestamp', errorClass: 'clock' });
  });

  test('over quota: AccountFlowLimitExceeded, class throttled', async () => {
    emu.setSettings({ quotaByAction: { 'volcengine.ecs.DescribeInstances': 1 } });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => provider.describe(ctx(), ['i-x00001'], PLAIN)),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const r of refused)
      expect(r.reason).toMatchObject({ code: 'AccountFlowLimitExceeded', errorClass: 'throttled' });
  });

  test('no answer at all is transient; a missing region or missing keys is refused before sending', async () => {
    const err = await captureProviderError(
      provider.describe(ctx({ endpoint: await deadEndpoint() }), ['i-x00001'], PLAIN),
    );
    expect(err).toMatchObject({ errorClass: 'transient', code: 'ECONNREFUSED' });

    expect(
      await captureProviderError(provider.describe(ctx({ region: undefined }), ['i-x00001'], PLAIN)),
    ).toMatchObject({
      code: 'MissingRegion',
      errorClass: 'permanent',
    });
    expect(
      await captureProviderError(
        provider.describe(
          ctx({ credentials: { accessKeyId: '', accessKeySecret: '' } }),
          ['i-x00001'],
          PLAIN,
        ),
      ),
    ).toMatchObject({ code: 'MissingCredentials', errorClass: 'auth' });
  });

  test('the classifier falls back to the HTTP status only for codes it does not know', () => {
    expect(classifyVolcengineEcs('Whatever', 429)).toBe('throttled');
    expect(classifyVolcengineEcs('Whatever', 502)).toBe('transient');
    expect(classifyVolcengineEcs('InvalidArgument', 500)).toBe('permanent');
    // Never "anything with Invalid in it is not found".
    expect(classifyVolcengineEcs('InvalidInstanceIds.Malformed')).toBe('permanent');
  });
});

describe('endpoints', () => {
  test('real host over HTTPS by default; bare host:port is plain HTTP; URLs keep their scheme', () => {
    const base = ctx({ endpoint: undefined });
    expect(volcengineServiceOptions(base)).toMatchObject({
      serviceName: 'ecs',
      region: REGION,
      host: 'open.volcengineapi.com',
      protocol: 'https:',
      defaultVersion: '2020-04-01',
    });
    expect(volcengineServiceOptions({ ...base, endpoint: '127.0.0.1:8080' })).toMatchObject({
      host: '127.0.0.1:8080',
      protocol: 'http:',
    });
    expect(volcengineServiceOptions({ ...base, endpoint: 'https://ecs.example.com:8443' })).toMatchObject({
      host: 'ecs.example.com:8443',
      protocol: 'https:',
    });
  });
});

describe('wire quirks (canned answers)', () => {
  let canned: Server;
  let reply: string;
  let endpoint: string;

  beforeAll(async () => {
    canned = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': reply.startsWith('{') ? 'application/json' : 'text/html' });
      res.end(reply);
    });
    endpoint = await listen(canned);
  });
  afterAll(() => closeServer(canned));

  const envelope = (result: unknown) =>
    JSON.stringify({ ResponseMetadata: { RequestId: 'rq-1', Action: 'X' }, Result: result });

  test('a body that is not an envelope is transient MalformedResponse', async () => {
    reply = '<html>502 Bad Gateway</html>';
    expect(
      await captureProviderError(provider.describe(ctx({ endpoint }), ['i-x00001'], PLAIN)),
    ).toMatchObject({
      code: 'MalformedResponse',
      errorClass: 'transient',
    });
    reply = envelope({ Instances: [{ InstanceId: 'i-x00001' }] });
    const err = await captureProviderError(provider.describe(ctx({ endpoint }), ['i-x00001'], PLAIN));
    expect(err).toMatchObject({ code: 'MalformedResponse', requestId: 'rq-1' });
    expect(err.message).toContain('Status');
  });

  test('a paged answer missing ids does not call them gone', async () => {
    reply = envelope({
      Instances: [{ InstanceId: 'i-a00001', Status: 'RUNNING' }],
      NextToken: 'more',
      TotalCount: 2,
    });
    expect(
      await captureProviderError(provider.describe(ctx({ endpoint }), ['i-a00001', 'i-b00002'], PLAIN)),
    ).toMatchObject({
      code: 'IncompleteDescribe',
      errorClass: 'transient',
    });
    // Everything asked for is present: the token is irrelevant.
    expect(await provider.poll(ctx({ endpoint }), ['i-a00001'], undefined)).toEqual([
      { id: 'i-a00001', result: 'pending', status: 'RUNNING' },
    ]);
  });

  test('a discovery page answering the NextToken it was given is transient MalformedResponse', async () => {
    reply = envelope({ Instances: [], NextToken: 'page-2' });
    expect(await provider.discover(ctx({ endpoint }), {}, 'page-1')).toEqual({
      resources: [],
      nextPageToken: 'page-2',
    });
    expect(await captureProviderError(provider.discover(ctx({ endpoint }), {}, 'page-2'))).toMatchObject({
      code: 'MalformedResponse',
      errorClass: 'transient',
      requestId: 'rq-1',
    });
  });

  test('an id missing from OperationDetails is re-issued, an empty Error is success', async () => {
    reply = envelope({
      OperationDetails: [
        { InstanceId: 'i-a00001', Error: null },
        { InstanceId: 'i-c00003', Error: { Code: '' } },
      ],
    });
    const answer = await provider.delete(
      ctx({ endpoint }),
      ['i-a00001', 'i-b00002', 'i-c00003'],
      'ct',
      PLAIN,
    );
    expect(answer).toEqual({
      requestId: 'rq-1',
      outcomes: [
        { id: 'i-a00001', result: 'accepted' },
        { id: 'i-b00002', result: 'retry', errorCode: 'MissingOperationDetail', message: expect.any(String) },
        { id: 'i-c00003', result: 'accepted' },
      ],
    });
  });
});
