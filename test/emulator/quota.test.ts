// Flow control: a sliding one-second window per account and action, read on the emulator's
// clock. Every call of a test is sent at one frozen emulator instant (or at instants the test
// sets), so the machine's speed never changes what is admitted.
import type OpenApi from '@alicloud/openapi-client';
import { emulatorAccount } from '../../src/emulator/accounts';
import { QuotaLimiter, windowOf } from '../../src/emulator/quota';
import { alibabaSdk, callAlibabaRpc, useEmulator } from '../helpers/provider-harness';

const TYPE = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';

describe('QuotaLimiter', () => {
  it('admits `rate` calls in any one-second window, also across a calendar-second boundary', () => {
    const quota = new QuotaLimiter();
    const take = (at: number) => quota.take('k', 20, at);
    for (let i = 0; i < 20; i += 1) expect(take(10_900)).toBe(true);
    expect(take(10_900)).toBe(false);
    // A calendar-second counter would start afresh at 11_000 and admit 20 more here.
    expect(take(11_100)).toBe(false);
    expect(take(11_899)).toBe(false);
    // The first 20 leave the window one second after they were admitted.
    expect(take(11_900)).toBe(true);
    for (let i = 0; i < 19; i += 1) expect(take(11_950)).toBe(true);
    expect(take(12_899)).toBe(false);
  });

  it('spreads a steady stream: never more than rate in any window', () => {
    const quota = new QuotaLimiter();
    const admitted: number[] = [];
    for (let at = 0; at < 5_000; at += 10) if (quota.take('k', 20, at)) admitted.push(at);
    for (const start of admitted) {
      expect(admitted.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(20);
    }
    expect(admitted.length).toBe(100);
  });

  it('keeps keys apart; a rate of 0 is unlimited; fractional rates stretch the window', () => {
    const quota = new QuotaLimiter();
    expect(quota.take('a', 1, 0)).toBe(true);
    expect(quota.take('a', 1, 0)).toBe(false);
    expect(quota.take('b', 1, 0)).toBe(true);
    for (let i = 0; i < 100; i += 1) expect(quota.take('c', 0, 0)).toBe(true);
    expect(windowOf(0.5)).toEqual({ calls: 1, windowMs: 2_000 });
    expect(windowOf(2.5)).toEqual({ calls: 2, windowMs: 800 });
    expect(quota.take('d', 0.5, 0)).toBe(true);
    expect(quota.take('d', 0.5, 1_999)).toBe(false);
    expect(quota.take('d', 0.5, 2_000)).toBe(true);
  });
});

describe('the emulator quota', () => {
  const em = useEmulator();
  const sdkFor = (account: 'default' | 'other') =>
    alibabaSdk(em.endpoint, emulatorAccount('alibabacloud', account));
  beforeEach(() => {
    em.seed([{ type: TYPE, id: 'i-quota0001', region: REGION, status: 'Stopped' }]);
    em.clock.freeze();
  });
  const describeInstances = (via: OpenApi = sdkFor('default')) =>
    callAlibabaRpc(via, 'DescribeInstances', { RegionId: REGION, InstanceIds: '["i-quota0001"]' });

  it('answers Throttling.User past 20 calls in one emulator second and counts the breaches', async () => {
    const results = await Promise.all(Array.from({ length: 26 }, () => describeInstances()));
    const throttled = results.filter((r) => r.code === 'Throttling.User');
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(throttled).toHaveLength(6);
    expect(throttled[0]).toMatchObject({ status: 400 });
    expect(throttled[0].body.Message).toBe('Request was denied due to user flow control.');

    const stats = em.stats();
    expect(stats.quotaBreaches.total).toBe(6);
    expect(stats.quotaBreaches.byAction.DescribeInstances).toBe(6);
    expect(stats.quotaBreaches.byAccount.default).toBe(6);
    expect(stats.quotaBreaches.byAccountAction['default/alibabacloud.ecs.DescribeInstances']).toBe(6);

    // Another action and another account have their own windows.
    expect((await callAlibabaRpc(sdkFor('default'), 'DescribeInstanceStatus', { RegionId: REGION })).ok).toBe(
      true,
    );
    expect((await describeInstances(sdkFor('other'))).ok).toBe(true);

    // The window slides with the emulator's clock.
    em.clock.advance(999);
    expect((await describeInstances()).code).toBe('Throttling.User');
    em.clock.advance(1);
    expect((await describeInstances()).ok).toBe(true);
  });

  it('does not admit a second burst just past a calendar-second boundary', async () => {
    em.clock.set(Math.floor(Date.now() / 1000) * 1000 + 900);
    const first = await Promise.all(Array.from({ length: 20 }, () => describeInstances()));
    expect(first.every((r) => r.ok)).toBe(true);
    em.clock.advance(200);
    const second = await Promise.all(Array.from({ length: 10 }, () => describeInstances()));
    expect(second.map((r) => r.code)).toEqual(Array(10).fill('Throttling.User'));
  });

  it('follows quotaPerSecond and per-action overrides; 0 disables the quota', async () => {
    em.setSettings({ quotaPerSecond: 0, quotaByAction: { DescribeInstanceStatus: 2 } });
    const unlimited = await Promise.all(Array.from({ length: 40 }, () => describeInstances()));
    expect(unlimited.every((r) => r.ok)).toBe(true);
    const limited = await Promise.all(
      Array.from({ length: 4 }, () =>
        callAlibabaRpc(sdkFor('default'), 'DescribeInstanceStatus', { RegionId: REGION }),
      ),
    );
    expect(limited.filter((r) => r.ok)).toHaveLength(2);
    expect(limited.filter((r) => r.code === 'Throttling.User')).toHaveLength(2);
  });
});
