// Volcengine through the whole emulator (startEmulator): requests signed by the SDK's own Signer
// and sent with fetch, so the HTTP statuses on the wire are visible too.
import { stringify } from 'node:querystring';
import { Service, Signer } from '@volcengine/openapi';
import { VOLCENGINE_ECS_INSTANCE } from '../../src/emulator/volcengine/ecs';
import { sleep, useEmulator, untilInFlight, IN_FLIGHT_LATENCY_MS } from '../helpers/provider-harness';

const emu = useEmulator({
  settings: {
    durations: { 'volcengine.ecs.delete': 300, 'volcengine.ecs.stop': 300, 'volcengine.ecs.convert': 300 },
  },
});

interface SignOptions {
  accessKeyId?: string;
  secret?: string;
  date?: Date;
  service?: string;
  region?: string;
  version?: string;
}

/** The Volcengine envelope, loosely: tests read whichever Result fields the action answers. */
interface Envelope {
  ResponseMetadata: Record<string, unknown> & { Error?: { Code: string; CodeN?: number; Message: string } };
  Result: {
    OperationDetails: Array<{ InstanceId: string; Error?: { Code: string } }>;
    Instances: Array<{ InstanceId: string }>;
    TotalCount: number;
  };
}

async function send(
  action: string,
  params: Record<string, string>,
  opts: SignOptions = {},
): Promise<{ status: number; body: Envelope }> {
  const account = emu.accounts.volcengine;
  const request = {
    region: opts.region ?? 'cn-beijing',
    method: 'GET',
    pathname: '/',
    params: { ...params, Action: action, Version: opts.version ?? '2020-04-01' } as Record<string, string>,
    headers: {} as Record<string, string>,
  };
  new Signer(request, opts.service ?? 'ecs').addAuthorization(
    {
      accessKeyId: opts.accessKeyId ?? account.accessKeyId,
      secretKey: opts.secret ?? account.accessKeySecret,
    },
    opts.date,
  );
  const res = await fetch(`${emu.url}/?${stringify(request.params)}`, { headers: request.headers });
  return { status: res.status, body: (await res.json()) as Envelope };
}

function seed(id: string, status = 'RUNNING', attributes: Record<string, unknown> = {}) {
  emu.seed([{ type: VOLCENGINE_ECS_INSTANCE, id, region: 'cn-beijing', status, attributes }]);
}

const ids = (...list: string[]) => Object.fromEntries(list.map((id, i) => [`InstanceIds.${i + 1}`, id]));

test('seeding fills the instance defaults (RUNNING, PostPaid)', () => {
  const [r] = emu.seed([{ type: VOLCENGINE_ECS_INSTANCE, id: 'i-dflt001', region: 'cn-beijing' }]);
  expect(r).toMatchObject({ status: 'RUNNING', attributes: { InstanceChargeType: 'PostPaid' } });
});

test('HTTP 200 with per-instance OperationDetails, then the deleted ones disappear', async () => {
  seed('i-gone001');
  seed('i-busy002', 'STARTING');
  seed('i-pre003', 'RUNNING', {
    InstanceChargeType: 'PrePaid',
    ExpiredAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const res = await send('DeleteInstances', {
    ...ids('i-gone001', 'i-busy002', 'i-pre003', 'i-none004'),
    ClientToken: 'tok-a',
  });
  expect(res.status).toBe(200);
  expect(res.body.ResponseMetadata).toEqual({
    RequestId: expect.stringMatching(/^\d{14}[0-9A-F]{20}$/),
    Action: 'DeleteInstances',
    Version: '2020-04-01',
    Service: 'ecs',
    Region: 'cn-beijing',
  });
  expect(
    res.body.Result.OperationDetails.map((d: { Error?: { Code: string } }) => d.Error?.Code ?? 'ok'),
  ).toEqual([
    'ok',
    'InvalidInstanceStatus',
    'InvalidInstanceChargeType.Unsupported',
    'InvalidInstance.NotFound',
  ]);
  await sleep(350);
  const described = await send('DescribeInstances', {
    ...ids('i-gone001', 'i-busy002', 'i-pre003'),
    MaxResults: '100',
  });
  expect(described.body.Result.Instances.map((i: { InstanceId: string }) => i.InstanceId).sort()).toEqual([
    'i-busy002',
    'i-pre003',
  ]);
  expect(described.body.Result.TotalCount).toBe(2);
});

test('auth failures on the wire: 401 SignatureDoesNotMatch / InvalidAccessKey / MissingAuthenticationToken, 403 InvalidTimestamp', async () => {
  const secret = emu.accounts.volcengine.accessKeySecret;
  const bad = await send(
    'DescribeInstances',
    {},
    { secret: secret.slice(0, -1) + (secret.endsWith('1') ? '2' : '1') },
  );
  expect(bad.status).toBe(401);
  expect(bad.body.ResponseMetadata).toMatchObject({
    Action: 'DescribeInstances',
    Service: 'ecs',
    Region: 'cn-beijing',
    Error: { Code: 'SignatureDoesNotMatch', CodeN: 100010 },
  });

  const unknown = await send('DescribeInstances', {}, { accessKeyId: 'AKLTNoSuchKey' });
  expect(unknown.status).toBe(401);
  expect(unknown.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidAccessKey', CodeN: 100009 });

  const stale = await send('DescribeInstances', {}, { date: new Date(Date.now() - 16 * 60_000) });
  expect(stale.status).toBe(403);
  expect(stale.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidTimestamp', CodeN: 100006 });

  // The skew limit follows the emulator's settings.
  emu.setSettings({ clockSkewSeconds: 3600 });
  expect((await send('DescribeInstances', {}, { date: new Date(Date.now() - 16 * 60_000) })).status).toBe(
    200,
  );

  const unsigned = await fetch(`${emu.url}/?Action=DescribeInstances&Version=2020-04-01`, {
    headers: { 'X-Date': '20250101T000000Z' },
  });
  expect(unsigned.status).toBe(401);
  expect(
    ((await unsigned.json()) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error
      .Code,
  ).toBe('MissingAuthenticationToken');
  expect(emu.calls({ provider: 'volcengine' }).map((c) => c.errorCode)).toEqual([
    'SignatureDoesNotMatch',
    'InvalidAccessKey',
    'InvalidTimestamp',
    undefined,
    'MissingAuthenticationToken',
  ]);
});

test('routing and validation errors keep the provider shape and status', async () => {
  const unknownAction = await send('TerminateEverything', {});
  expect(unknownAction.status).toBe(404);
  expect(unknownAction.body.ResponseMetadata.Error).toMatchObject({
    Code: 'InvalidActionOrVersion',
    CodeN: 100008,
  });
  expect((await send('DeleteInstances', ids('i-x00001'), { version: '2019-01-01' })).status).toBe(404);
  const noService = await send('DescribeVpcs', {}, { service: 'vpc' });
  expect(noService.status).toBe(404);
  expect(noService.body.ResponseMetadata.Error?.Code).toBe('ServiceNotFound');

  const tooMany = await send(
    'DeleteInstances',
    ids(...Array.from({ length: 101 }, (_, i) => `i-n${String(i).padStart(5, '0')}`)),
  );
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.ResponseMetadata.Error).toEqual({
    Code: 'InvalidCount.Malformed',
    Message: expect.any(String),
  });
  const missing = await send('DeleteInstances', {});
  expect(missing.body.ResponseMetadata.Error?.Code).toBe('MissingParameter');
  const token = await send('DeleteInstances', { ...ids('i-x00001'), ClientToken: 'x'.repeat(65) });
  expect(token.status).toBe(400);
  expect(token.body.ResponseMetadata.Error?.Code).toBe('InvalidClientToken.Malformed');
});

test('ClientToken: replay answers the first result, other params 400 IdempotentParameterMismatch, in flight 412 IdempotentProcessing', async () => {
  seed('i-tok001');
  seed('i-tok002');
  const first = await send('DeleteInstances', { ...ids('i-tok001'), ClientToken: 'same' });
  expect(first.body.Result.OperationDetails).toEqual([{ InstanceId: 'i-tok001' }]);
  // The instance is DELETING now; the replay still answers the first (successful) result.
  const replay = await send('DeleteInstances', { ...ids('i-tok001'), ClientToken: 'same' });
  expect(replay.body.Result).toEqual(first.body.Result);

  const mismatch = await send('DeleteInstances', { ...ids('i-tok001', 'i-tok002'), ClientToken: 'same' });
  expect(mismatch.status).toBe(400);
  expect(mismatch.body.ResponseMetadata.Error?.Code).toBe('IdempotentParameterMismatch');

  emu.setSettings({ latencyByAction: { 'volcengine.ecs.StopInstances': IN_FLIGHT_LATENCY_MS } });
  const slow = send('StopInstances', { ...ids('i-tok002'), ClientToken: 'slow' });
  await untilInFlight(emu, 'StopInstances');
  const [a, b] = await Promise.all([
    slow,
    send('StopInstances', { ...ids('i-tok002'), ClientToken: 'slow' }),
  ]);
  expect(a.status).toBe(200);
  expect(b.status).toBe(412);
  expect(b.body.ResponseMetadata.Error?.Code).toBe('IdempotentProcessing');
  expect(emu.stats()).toMatchObject({
    idempotentReplays: 1,
    idempotentParameterMismatches: 1,
    idempotentProcessing: 1,
  });
});

test('over quota: 429 AccountFlowLimitExceeded, counted as a quota breach', async () => {
  emu.setSettings({ quotaByAction: { 'volcengine.ecs.DescribeInstances': 2 } });
  const answers = await Promise.all(Array.from({ length: 5 }, () => send('DescribeInstances', {})));
  const throttled = answers.filter((a) => a.status === 429);
  expect(throttled.length).toBeGreaterThanOrEqual(3);
  expect(throttled[0]!.body.ResponseMetadata.Error).toMatchObject({
    Code: 'AccountFlowLimitExceeded',
    CodeN: 100027,
  });
  expect(emu.stats().quotaBreaches.byAction).toMatchObject({ DescribeInstances: throttled.length });
});

test('the real SDK drives stop and charge conversion through their timed transitions', async () => {
  seed('i-flow001');
  seed('i-flow002', 'RUNNING', {
    InstanceChargeType: 'PrePaid',
    ExpiredAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const account = emu.accounts.volcengine;
  const svc = new Service({
    serviceName: 'ecs',
    region: 'cn-beijing',
    host: emu.endpoint,
    protocol: 'http:',
    defaultVersion: '2020-04-01',
    accessKeyId: account.accessKeyId,
    secretKey: account.accessKeySecret,
  });
  const stop = await svc.createAPI('StopInstances', { method: 'GET' })({
    ...ids('i-flow001'),
    ForceStop: true,
  });
  expect(stop.ResponseMetadata.Error).toBeUndefined();
  const order = await svc.createAPI('ModifyInstanceChargeType', { method: 'GET' })({
    ...ids('i-flow002'),
    InstanceChargeType: 'PostPaid',
    AutoPay: true,
  });
  expect(order.Result).toEqual({ OrderId: expect.stringMatching(/^Order/) });
  const status = () =>
    Object.fromEntries(
      emu.resources(VOLCENGINE_ECS_INSTANCE).map((r) => [r.id, [r.status, r.attributes.InstanceChargeType]]),
    );
  expect(status()).toEqual({ 'i-flow001': ['STOPPING', 'PostPaid'], 'i-flow002': ['RUNNING', 'PrePaid'] });
  await sleep(350);
  expect(status()).toEqual({ 'i-flow001': ['STOPPED', 'PostPaid'], 'i-flow002': ['RUNNING', 'PostPaid'] });
});

test('injected faults render in the Volcengine envelope with the given status', async () => {
  emu.injectFault({
    provider: 'volcengine',
    action: 'DeleteInstances',
    code: 'InternalError',
    httpStatus: 500,
  });
  const res = await send('DeleteInstances', ids('i-x00001'));
  expect(res.status).toBe(500);
  expect(res.body.ResponseMetadata).toMatchObject({
    Action: 'DeleteInstances',
    Error: { Code: 'InternalError', CodeN: 100014 },
  });
});
