// The representative teardowns whose histories `npm run record-histories` commits under
// test/fixtures/histories/: every kind (with a prepare step and a retried fault), approval and
// rejection, cancel mid-delete, selectors, dry run, a start time, and a worker SIGKILLed while a
// delete is in flight. Each scenario runs its teardowns to their reports.
import type { TeardownClient } from '../src/client';
import type { Emulator } from '../src/emulator/server';
import { KIND_NAMES } from '../src/kinds';
import { FIXTURES } from '../test/helpers/kinds';

export interface ScenarioContext {
  emulator: Emulator;
  /** A client on the in-process workers' task queue. */
  teardown: TeardownClient;
  /** Runs `during` on a worker process of its own, SIGKILLed and restarted by `killWorker`. */
  withWorkerProcess(
    during: (teardown: TeardownClient, killWorker: () => Promise<void>) => Promise<void>,
  ): Promise<void>;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
}

const POLL = { pollInterval: '300ms', deadline: '2m' };

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const limit = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const inFlight = (emu: Emulator, action: string) => () => emu.inFlight().some((c) => c.action === action);

function seed(ctx: ScenarioContext, kind: (typeof KIND_NAMES)[number], status?: string, attributes = {}) {
  const fixture = FIXTURES[kind];
  const id = fixture.newId();
  fixture.seed(ctx, id, attributes, status);
  return id;
}

const kindScenarios: Scenario[] = KIND_NAMES.map((kind) => ({
  name: `kind-${kind}`,
  async run(ctx) {
    const fixture = FIXTURES[kind];
    const prepaid = {
      InstanceChargeType: 'PrePaid',
      ExpiredTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    const ids = [
      seed(ctx, kind),
      // ECS needs a stop, Volcengine a billing conversion: the prepare steps.
      kind === 'alibabacloud.ecs.instance' ? seed(ctx, kind, 'Running') : seed(ctx, kind),
      kind === 'volcengine.ecs.instance' ? seed(ctx, kind, undefined, prepaid) : seed(ctx, kind),
    ];
    ctx.emulator.injectFault({
      action: fixture.deleteAction,
      code: 'InternalError',
      count: 1,
      resourceId: ids[0],
    });
    await ctx.teardown.startTeardown(`rec-${kind}`, {
      resources: [fixture.group(ids)],
      options: { ...POLL, convertPrepaid: true },
    });
    await ctx.teardown.waitForReport(`rec-${kind}`);
  },
}));

const ecs = FIXTURES['alibabacloud.ecs.instance'];

export const SCENARIOS: Scenario[] = [
  ...kindScenarios,
  {
    name: 'approval',
    async run(ctx) {
      for (const [id, decide] of [
        ['rec-approved', () => ctx.teardown.approve('rec-approved', { approvedBy: 'recorder' })],
        [
          'rec-rejected',
          () => ctx.teardown.reject('rec-rejected', { rejectedBy: 'recorder', reason: 'recorded' }),
        ],
      ] as const) {
        const group = ecs.group([seed(ctx, ecs.kind)]);
        await ctx.teardown.startTeardown(id, {
          resources: [group],
          options: { ...POLL, requireApproval: true },
        });
        await until(
          async () => (await ctx.teardown.getProgress(id)).status === 'awaiting-approval',
          'approval',
        );
        await decide();
        await ctx.teardown.waitForReport(id);
      }
    },
  },
  {
    name: 'cancel',
    async run(ctx) {
      const ids = [seed(ctx, ecs.kind), seed(ctx, ecs.kind)];
      ctx.emulator.setSettings({ latencyByAction: { DeleteInstances: 2_000 } });
      try {
        await ctx.teardown.startTeardown('rec-cancel', { resources: [ecs.group(ids)], options: POLL });
        await until(inFlight(ctx.emulator, 'DeleteInstances'), 'a delete in flight');
        await ctx.teardown.cancel('rec-cancel');
        await ctx.teardown.waitForReport('rec-cancel');
      } finally {
        ctx.emulator.setSettings({ latencyByAction: { DeleteInstances: 0 } });
      }
    },
  },
  {
    name: 'selectors',
    async run(ctx) {
      ctx.emulator.seed(
        [0, 1, 2].map(() => ({
          type: ecs.kind,
          region: ecs.region,
          id: ecs.newId(),
          status: 'Stopped',
          attributes: { InstanceChargeType: 'PostPaid' },
          tags: { run: 'recorded' },
        })),
      );
      await ctx.teardown.startTeardown('rec-selectors', {
        selectors: [{ kind: ecs.kind, region: ecs.region, tags: ['run=recorded'] }],
        options: POLL,
      });
      await ctx.teardown.waitForReport('rec-selectors');
    },
  },
  {
    name: 'dry-run-and-start-time',
    async run(ctx) {
      const group = ecs.group([seed(ctx, ecs.kind)]);
      await ctx.teardown.startTeardown('rec-dry-run', {
        resources: [group],
        options: { ...POLL, dryRun: true },
      });
      await ctx.teardown.waitForReport('rec-dry-run');
      const startAt = new Date(Date.now() + 2_000).toISOString();
      await ctx.teardown.startTeardown('rec-start-at', { resources: [group], options: { ...POLL, startAt } });
      await ctx.teardown.postpone('rec-start-at', new Date(Date.now() + 3_000));
      await ctx.teardown.waitForReport('rec-start-at');
    },
  },
  {
    name: 'crash',
    async run(ctx) {
      const volc = FIXTURES['volcengine.ecs.instance'];
      const ids = [seed(ctx, volc.kind), seed(ctx, volc.kind)];
      ctx.emulator.setSettings({ latencyByAction: { 'volcengine.ecs.DeleteInstances': 2_000 } });
      try {
        await ctx.withWorkerProcess(async (teardown, killWorker) => {
          await teardown.startTeardown('rec-crash', { resources: [volc.group(ids)], options: POLL });
          await until(inFlight(ctx.emulator, 'DeleteInstances'), 'a delete in flight');
          await killWorker();
          await teardown.waitForReport('rec-crash');
        });
      } finally {
        ctx.emulator.setSettings({ latencyByAction: { 'volcengine.ecs.DeleteInstances': 0 } });
      }
    },
  },
];
