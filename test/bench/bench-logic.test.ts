import { callsNeeded, quotaBound } from '../../scripts/bench/bound';
import { actionsOf, busiestWindows } from '../../scripts/bench/measure';
import { parseWorkloads, sampleOf, workload } from '../../scripts/bench/workloads';
import { temporal } from '@temporalio/proto';

const settings = { quotaPerSecond: 20, quotaByAction: {}, durations: { 'alibabacloud.ecs.delete': 1000 } };

describe('bench workloads', () => {
  it('splits a mixed workload evenly over the five kinds and SAE over applications', () => {
    const w = workload('mixed', 1000);
    expect(w.size).toBe(1000);
    expect(w.targets.reduce((n, t) => n + t.ids.length, 0)).toBe(1000);
    const sae = w.targets.filter((t) => t.kind === 'alibabacloud.sae.instance');
    expect(sae.map((t) => t.ids.length)).toEqual([100, 100]);
    expect(w.seed.filter((s) => s.type === 'alibabacloud.sae.application')).toHaveLength(2);
  });

  it('samples keep the kinds in proportion and seed only what they target', () => {
    const s = sampleOf(workload('mixed', 1000), 100);
    expect(s.size).toBe(100);
    expect(new Set(s.targets.map((t) => t.kind)).size).toBe(5);
    expect(s.seed.filter((r) => !r.type.endsWith('.application'))).toHaveLength(100);
  });

  it('parses sizes and refuses what is not one', () => {
    expect(parseWorkloads('1000,ecs-2000,mixed-10_000')).toEqual([
      { shape: 'mixed', size: 1000 },
      { shape: 'alibaba-ecs', size: 2000 },
      { shape: 'mixed', size: 10000 },
    ]);
    expect(() => parseWorkloads('big')).toThrow('"big" is not a size');
  });
});

describe('quota bound', () => {
  it('counts describe and poll on the same action together', () => {
    const [t] = workload('alibaba-ecs', 2000).targets;
    expect(callsNeeded(t!)).toEqual([
      { action: 'alibabacloud.ecs.DescribeInstances', calls: 20 },
      { action: 'alibabacloud.ecs.DeleteInstances', calls: 20 },
      { action: 'alibabacloud.ecs.DescribeInstances', calls: 20 },
    ]);
    const bound = quotaBound(workload('alibaba-ecs', 2000), settings);
    expect(bound.slowest).toMatchObject({
      action: 'alibabacloud.ecs.DescribeInstances',
      calls: 40,
      seconds: 2,
    });
    // Critical path: 0.05 s describe + 0.05 s delete + 1 s deletion + 20 polls at 20/s = 2.1 s.
    expect(bound.seconds).toBeCloseTo(2.1, 5);
    expect(bound.formula).toContain('alibabacloud.ecs.DescribeInstances 40 / 20/s = 2.00 s');
    expect(bound.formula).toContain('alibabacloud.ecs.delete 1.00 s + 20 / 20/s) = 2.10 s');
  });

  it('uses a per-action quota where the emulator sets one', () => {
    const bound = quotaBound(workload('alibaba-ecs', 2000), {
      ...settings,
      quotaByAction: { 'alibabacloud.ecs.DeleteInstances': 5 },
    });
    expect(bound.slowest).toMatchObject({ action: 'alibabacloud.ecs.DeleteInstances', seconds: 4 });
  });
});

describe('measurements', () => {
  it('finds the busiest sliding one-second window per action', () => {
    const calls = [0, 100, 999, 1000, 1500, 1999].map((at) => ({ at, key: 'a' }));
    // [0, 1000) holds 3; [999, 1999) holds 3 too; [1000, 2000) holds 3.
    expect(busiestWindows([...calls, { at: 5, key: 'b' }])).toEqual({ a: 3, b: 1 });
    expect(busiestWindows([0, 10, 20, 990].map((at) => ({ at, key: 'a' })))).toEqual({ a: 4 });
  });

  it('counts every activity attempt as a Temporal action', () => {
    const E = temporal.api.enums.v1.EventType;
    expect(
      actionsOf({
        eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        activityTaskStartedEventAttributes: { attempt: 3 },
      }),
    ).toBe(3);
    expect(actionsOf({ eventType: E.EVENT_TYPE_TIMER_STARTED })).toBe(1);
    expect(actionsOf({ eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED })).toBe(0);
  });
});
