// The emulator core on cloud calls: injected faults, ClientToken memory and latency, through the
// real Alibaba SDK.
import { waitFor } from '../helpers/provider-harness';
import { useCoreEmulator } from '../helpers/core-emulator';

const { TYPE, REGION, em, sdkFor, call, describe1, deleteQuery } = useCoreEmulator();

describe('faults', () => {
  it('fails the next N calls of an action with the given code, then lets calls through', async () => {
    em.injectFault({ action: 'DeleteInstances', code: 'InternalError', httpStatus: 500, count: 2 });
    const first = await call('DeleteInstances', deleteQuery());
    const second = await call('DeleteInstances', deleteQuery());
    expect(first).toMatchObject({ code: 'InternalError', status: 500 });
    expect(second.code).toBe('InternalError');
    expect(first.body).toMatchObject({ Code: 'InternalError', HostId: 'ecs.aliyuncs.com' });
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    expect((await call('DeleteInstances', deleteQuery())).ok).toBe(true);
    const injected = em.calls({ action: 'DeleteInstances' }).filter((c) => c.injected);
    expect(injected).toHaveLength(2);
    expect(em.stats().injectedFaults).toBe(2);
  });

  it('fails only the calls naming resourceId (repeat lists and JSON arrays)', async () => {
    em.seed([{ type: TYPE, id: 'i-core00002', region: REGION, status: 'Stopped' }]);
    em.injectFault({
      action: '*',
      code: 'IncorrectInstanceStatus',
      httpStatus: 403,
      resourceId: 'i-core00002',
      count: 5,
    });
    expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    expect((await call('DescribeInstances', { RegionId: REGION, InstanceIds: '["i-core00002"]' })).code).toBe(
      'IncorrectInstanceStatus',
    );
    expect((await call('DeleteInstances', deleteQuery(undefined, 'i-core00001'))).ok).toBe(true);
    const named = await call('DeleteInstances', deleteQuery(undefined, 'i-core00002'));
    expect(named).toMatchObject({ code: 'IncorrectInstanceStatus', status: 403 });
    expect(em.faults()[0].remaining).toBe(3);
    em.clearFaults();
    expect((await call('DeleteInstances', deleteQuery(undefined, 'i-core00002'))).ok).toBe(true);
  });

  it('fires by probability (0 never, 1 always) and can target one provider', async () => {
    em.injectFault({ action: 'DescribeInstances', code: 'Throttling', probability: 0 });
    em.injectFault({
      action: 'DescribeInstances',
      code: 'ServiceUnavailable',
      provider: 'volcengine',
      probability: 1,
    });
    for (let i = 0; i < 5; i += 1) expect((await call('DescribeInstances', describe1)).ok).toBe(true);
    em.clearFaults();
    em.injectFault({ action: 'DescribeInstances', code: 'Throttling', probability: 1 });
    for (let i = 0; i < 3; i += 1)
      expect((await call('DescribeInstances', describe1)).code).toBe('Throttling');
  });
});

describe('ClientToken memory', () => {
  it('same token + same parameters replays the first answer; the delete happens once', async () => {
    const a = await call('DeleteInstances', deleteQuery('tok-replay'));
    const b = await call('DeleteInstances', deleteQuery('tok-replay'));
    expect(a.ok && b.ok).toBe(true);
    expect(b.body.RequestId).not.toBe(a.body.RequestId);
    expect(em.stats().idempotentReplays).toBe(1);
  });

  it('same token + different parameters answers IdempotentParameterMismatch and counts it', async () => {
    em.seed([{ type: TYPE, id: 'i-core00002', region: REGION, status: 'Stopped' }]);
    expect((await call('DeleteInstances', deleteQuery('tok-mismatch', 'i-core00001'))).ok).toBe(true);
    const other = await call('DeleteInstances', deleteQuery('tok-mismatch', 'i-core00002'));
    expect(other).toMatchObject({ code: 'IdempotentParameterMismatch', status: 400 });
    expect(em.stats().idempotentParameterMismatches).toBe(1);
    expect(em.resources(TYPE).find((r) => r.id === 'i-core00002')?.attributes.Releasing).toBeUndefined();
    expect(em.calls({ clientToken: 'tok-mismatch' }).map((c) => c.errorCode)).toEqual([
      undefined,
      'IdempotentParameterMismatch',
    ]);
  });

  it('same token while the first call is in flight answers LastTokenProcessing', async () => {
    // The first call is held by its latency; the second is sent once the first is seen in flight.
    em.setSettings({ latencyByAction: { DeleteInstances: 2_000 } });
    const firstCall = call('DeleteInstances', deleteQuery('tok-inflight'));
    await waitFor(() => em.inFlight().some((c) => c.clientToken === 'tok-inflight'), 10_000);
    const second = await call('DeleteInstances', deleteQuery('tok-inflight'));
    const first = await firstCall;
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ code: 'LastTokenProcessing', status: 403 });
    expect(em.stats().idempotentProcessing).toBe(1);
    // Once the first finished, the token replays it.
    expect((await call('DeleteInstances', deleteQuery('tok-inflight'))).ok).toBe(true);
  });

  it('does not remember refusals: the same token succeeds once the instance can be deleted', async () => {
    em.seed([{ type: TYPE, id: 'i-core00003', region: REGION, status: 'Running' }]);
    const refused = await call('DeleteInstances', deleteQuery('tok-retry', 'i-core00003'));
    expect(refused.code).toBe('IncorrectInstanceStatus');
    em.clock.freeze();
    expect((await call('StopInstances', { RegionId: REGION, 'InstanceId.1': 'i-core00003' })).ok).toBe(true);
    em.clock.advance(200);
    expect(em.resources(TYPE).find((r) => r.id === 'i-core00003')?.status).toBe('Stopped');
    expect((await call('DeleteInstances', deleteQuery('tok-retry', 'i-core00003'))).ok).toBe(true);
  });

  it('keeps tokens per account', async () => {
    em.seed([{ type: TYPE, id: 'i-core00001', region: REGION, status: 'Stopped', account: 'other' }]);
    expect((await call('DeleteInstances', deleteQuery('tok-shared'))).ok).toBe(true);
    expect((await call('DeleteInstances', deleteQuery('tok-shared'), { via: sdkFor('other') })).ok).toBe(
      true,
    );
    expect(em.stats().idempotentReplays).toBe(0);
  });
});

describe('latency', () => {
  it('delays calls by latencyMs; a per-action override answers while the slow call is held', async () => {
    em.setSettings({ latencyMs: 1_500, latencyByAction: { DescribeInstanceStatus: 0 } });
    const t = Date.now();
    const slow = call('DescribeInstances', describe1);
    await waitFor(() => em.inFlight().some((c) => c.action === 'DescribeInstances'), 10_000);
    expect((await call('DescribeInstanceStatus', { RegionId: REGION })).ok).toBe(true);
    // Answered while the slow call is still held by its latency (no timing margin needed).
    expect(em.inFlight().map((c) => c.action)).toEqual(['DescribeInstances']);
    expect((await slow).ok).toBe(true);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1_500);
  });
});
