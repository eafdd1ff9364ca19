// The emulator's injectable clock: frozen and advanced in-process or over /_emulator/clock, it
// drives timed transitions, signature skew checks and ClientToken memory; real time by default.
import type OpenApi from '@alicloud/openapi-client';
import { EmulatorClock } from '../../src/emulator/clock';
import { adminRequest, alibabaSdk, callAlibabaRpc, useEmulator } from '../helpers/provider-harness';

const TYPE = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';

describe('EmulatorClock', () => {
  it('runs on real time until frozen, then moves only when advanced or set', () => {
    let real = 1_000_000;
    const clock = new EmulatorClock(() => real);
    expect(clock.state()).toEqual({ now: 1_000_000, frozen: false, offsetMs: 0 });
    real += 50;
    expect(clock.now()).toBe(1_000_050);
    clock.freeze();
    real += 500;
    expect(clock.now()).toBe(1_000_050);
    expect(clock.advance(250)).toEqual({ now: 1_000_300, frozen: true, offsetMs: -250 });
    clock.resume();
    real += 10;
    expect(clock.now()).toBe(1_000_310);
    clock.advance(1_000);
    expect(clock.now()).toBe(1_001_310);
    clock.set(5);
    expect(clock.now()).toBe(5);
    clock.freeze(42);
    expect(clock.now()).toBe(42);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.reset();
    expect(clock.state()).toEqual({ now: real, frozen: false, offsetMs: 0 });
  });

  it('restores a saved state: frozen stays frozen at its time, running keeps its offset', () => {
    let real = 10_000;
    const clock = new EmulatorClock(() => real);
    clock.restore({ now: 7, frozen: true, offsetMs: 0 });
    real += 100;
    expect(clock.now()).toBe(7);
    clock.restore({ now: 0, frozen: false, offsetMs: 3_000 });
    expect(clock.now()).toBe(13_100);
  });
});

describe('the emulator on its clock', () => {
  const em = useEmulator();
  let client: OpenApi;
  beforeAll(() => {
    client = alibabaSdk(em.endpoint, em.accounts.alibabacloud);
  });
  const call = (action: string, query: Record<string, string>) =>
    callAlibabaRpc(client, action, { RegionId: REGION, ...query });
  const statusOf = (id: string) => em.resources(TYPE).find((r) => r.id === id)?.status;

  const admin = (method: string, path: string, body?: unknown) => adminRequest(em, method, path, body);

  it('is on real time by default, and reset() puts it back there', () => {
    expect(em.clock.state()).toMatchObject({ frozen: false, offsetMs: 0 });
    em.clock.freeze();
    em.clock.advance(60_000);
    em.reset();
    expect(em.clock.state()).toMatchObject({ frozen: false, offsetMs: 0 });
  });

  it('timed transitions follow the clock: a stop takes exactly its declared duration', async () => {
    em.seed([{ type: TYPE, id: 'i-clock0001', region: REGION, status: 'Running' }]);
    em.clock.freeze();
    expect((await call('StopInstances', { 'InstanceId.1': 'i-clock0001' })).ok).toBe(true);
    const stopMs = em.settings().durations['alibabacloud.ecs.stop'];
    em.clock.advance(stopMs - 1);
    expect(statusOf('i-clock0001')).toBe('Stopping');
    em.clock.advance(1);
    expect(statusOf('i-clock0001')).toBe('Stopped');

    expect((await call('DeleteInstances', { 'InstanceId.1': 'i-clock0001' })).ok).toBe(true);
    em.clock.advance(em.settings().durations['alibabacloud.ecs.delete']);
    expect(statusOf('i-clock0001')).toBeUndefined();
  });

  it('seeded follow-ups (then) happen when the clock reaches them', () => {
    em.clock.freeze();
    em.seed([
      {
        type: TYPE,
        id: 'i-clock0002',
        region: REGION,
        status: 'Pending',
        then: [{ afterMs: 100, status: 'Running' }],
      },
    ]);
    em.clock.advance(99);
    expect(statusOf('i-clock0002')).toBe('Pending');
    em.clock.advance(1);
    expect(statusOf('i-clock0002')).toBe('Running');
  });

  it('is controlled over /_emulator/clock, with bad input refused naming the field', async () => {
    const frozen = await admin('POST', '/_emulator/clock/freeze', { at: '2030-01-01T00:00:00Z' });
    expect(frozen.body.clock).toMatchObject({ now: Date.parse('2030-01-01T00:00:00Z'), frozen: true });
    const advanced = await admin('POST', '/_emulator/clock/advance', { ms: 1_500 });
    expect(advanced.body.clock.now).toBe(Date.parse('2030-01-01T00:00:01.500Z'));
    expect((await admin('GET', '/_emulator/clock')).body.clock.now).toBe(advanced.body.clock.now);
    await admin('POST', '/_emulator/clock/set', { at: 1_000 });
    expect(em.clock.now()).toBe(1_000);
    expect((await admin('POST', '/_emulator/clock/resume')).body.clock.frozen).toBe(false);
    expect((await admin('POST', '/_emulator/clock/reset')).body.clock.offsetMs).toBe(0);

    const negative = await admin('POST', '/_emulator/clock/advance', { ms: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatch(/ms/);
    const typo = await admin('POST', '/_emulator/clock/advance', { millis: 5 });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatch(/millis/);
    expect((await admin('POST', '/_emulator/clock/set', { at: 'soon' })).status).toBe(400);
  });

  it('checks signature skew against its own time, as a cloud with a different clock would', async () => {
    expect((await call('DescribeInstances', {})).ok).toBe(true);
    em.clock.advance(16 * 60 * 1000);
    expect(await call('DescribeInstances', {})).toMatchObject({
      ok: false,
      code: 'InvalidTimeStamp.Expired',
    });
    em.clock.reset();
    expect((await call('DescribeInstances', {})).ok).toBe(true);
  });

  it('forgets an answered ClientToken after clientTokenTtlSeconds of emulator time', async () => {
    em.setSettings({ clientTokenTtlSeconds: 60 });
    em.seed(
      ['i-clock0003', 'i-clock0004'].map((id) => ({ type: TYPE, id, region: REGION, status: 'Stopped' })),
    );
    em.clock.freeze();
    const remove = (id: string) => call('DeleteInstances', { ClientToken: 'tok-ttl', 'InstanceId.1': id });
    expect((await remove('i-clock0003')).ok).toBe(true);
    em.clock.advance(59_999);
    expect((await remove('i-clock0004')).code).toBe('IdempotentParameterMismatch');
    em.clock.advance(1);
    expect((await remove('i-clock0004')).ok).toBe(true);
  });
});
