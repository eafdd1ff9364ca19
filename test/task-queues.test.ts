import { KIND_NAMES } from '../src/kinds';
import { actionQuotas, actionTaskQueue, providerActions, queueRateOf, rateEnvName } from '../src/task-queues';

describe('per-action task queues', () => {
  it('name one queue per provider action; describe and poll share one where they are the same call', () => {
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', 'delete')).toBe(
      'q.alibabacloud.ecs.DeleteInstances',
    );
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', 'poll')).toBe(
      actionTaskQueue('q', 'alibabacloud.ecs.instance', 'describe'),
    );
    expect(actionTaskQueue('q', 'alibabacloud.ecs.instance', { prepare: 'stop' })).toBe(
      'q.alibabacloud.ecs.StopInstances',
    );
    // Same action name, different products: different quotas, different queues.
    expect(actionTaskQueue('q', 'alibabacloud.sae.instance', 'delete')).toBe(
      'q.alibabacloud.sae.DeleteInstances',
    );
    expect(() => actionTaskQueue('q', 'tencentcloud.ms.scan', { prepare: 'stop' })).toThrow(
      'has no prepare step "stop"',
    );
  });

  it('lists every action once with the kinds that call it', () => {
    const actions = providerActions(KIND_NAMES);
    const keys = actions.map((a) => a.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'alibabacloud.ecs.DescribeInstances',
        'alibabacloud.ecs.ModifyInstanceChargeType',
        'alibabacloud.sae.DescribeChangeOrder',
        'volcengine.ecs.DeleteInstances',
        'tencentcloud.ms.DescribeScanInstances',
        'tencentcloud.gaap.DestroyProxies',
      ]),
    );
  });

  it('reads TEARDOWN_RATE_<CLOUD>_<SERVICE>_<ACTION>, defaulting to the documented 20/s', () => {
    const [a] = providerActions(['alibabacloud.ecs.instance']);
    expect(rateEnvName(a!)).toBe('TEARDOWN_RATE_ALIBABACLOUD_ECS_DESCRIBEINSTANCES');
    const rates = actionQuotas({ TEARDOWN_RATE_ALIBABACLOUD_ECS_DELETEINSTANCES: '7.5' });
    expect(rates['alibabacloud.ecs.DeleteInstances']).toBe(7.5);
    expect(rates['alibabacloud.ecs.DescribeInstances']).toBe(20);
    expect(() => actionQuotas({ TEARDOWN_RATE_TENCENTCLOUD_GAAP_DESTROYPROXIES: 'fast' })).toThrow(
      'TEARDOWN_RATE_TENCENTCLOUD_GAAP_DESTROYPROXIES: must be a positive number of calls per second, got "fast"',
    );
    expect(() => actionQuotas({ TEARDOWN_RATE_TENCENTCLOUD_GAAP_DESTROYPROXIES: '0' })).toThrow('got "0"');
    // The cloud-wide variable applies where an action has none of its own.
    const cloudWide = actionQuotas({
      TEARDOWN_ALIBABACLOUD_ACTIVITIES_PER_SECOND: '8',
      TEARDOWN_RATE_ALIBABACLOUD_ECS_DELETEINSTANCES: '12',
    });
    expect(cloudWide['alibabacloud.ecs.DescribeInstances']).toBe(8);
    expect(cloudWide['alibabacloud.ecs.DeleteInstances']).toBe(12);
    expect(cloudWide['volcengine.ecs.DeleteInstances']).toBe(20);
  });

  it("limits each queue so that its partitions' bursts plus its rate stay within the quota", () => {
    // partitions * max(1, ceil(r / partitions)) + r + margin <= quota, margin = max(2, ceil(quota / 10))
    expect(queueRateOf(20, 1)).toBe(9);
    expect(queueRateOf(20, 4)).toBe(8);
    expect(queueRateOf(8, 1)).toBe(3);
    expect(queueRateOf(8, 4)).toBe(2);
    expect(queueRateOf(5, 4)).toBe(0.375);
    expect(queueRateOf(5, 1)).toBe(1);
    expect(queueRateOf(1, 1)).toBe(0.05);
    for (const quota of [1, 2, 3, 5, 8, 10, 20, 50, 100]) {
      for (const partitions of [1, 2, 4, 8]) {
        const r = queueRateOf(quota, partitions);
        expect(r).toBeGreaterThan(0);
        if (r >= partitions)
          expect(partitions * Math.ceil(r / partitions) + r).toBeLessThanOrEqual(quota - 2);
      }
    }
  });
});
