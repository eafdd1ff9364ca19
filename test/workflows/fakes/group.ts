// A resource group's context over a fake provider: resources are a map of id -> status, every
// call is recorded, and each test decides what the delete call answers. No Temporal server.
import { ApplicationFailure } from '@temporalio/common';
import type { TeardownPhase } from '../../../src/contract';
import { KINDS, type KindName } from '../../../src/kinds';
import type { ErrorClass } from '../../../src/providers/errors';
import type { Assessment, CallOutcome, DeleteAnswer } from '../../../src/providers/types';
import { newHandoff, type GroupContext } from '../../../src/workflows/group/context';
import { GroupLedger } from '../../../src/workflows/group/ledger';
import type { ResourceGroupInput } from '../../../src/workflows/messages';

export interface Call {
  call: 'checkAccount' | 'describe' | 'dryRunDelete' | 'prepare' | 'delete' | 'poll';
  ids: string[];
  step?: string;
  generation?: number;
}

export interface FakeCloud {
  /** id -> status; an id not in the map is gone. Assessment: 'Stopped' ready, 'Running' needs stop. */
  resources: Map<string, string>;
  calls: Call[];
  /** The delete call (default: accept and remove every id). */
  onDelete: (ids: string[], generation: number) => DeleteAnswer;
  onDryRun: (ids: string[]) => void;
  /** How a status is assessed (default: Stopped ready, Running needs stop, PrePaid needs convert). */
  assess: (id: string, status: string) => Assessment;
  /** The accounts the fake worker knows besides its default one. */
  accounts: string[];
}

/** A failure as an activity reports it (the provider's code, its class in the details). */
export function providerFailure(
  code: string,
  errorClass: ErrorClass,
  message = `${code} refused`,
): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, details: [{ errorClass }], nonRetryable: true });
}

export function acceptAll(cloud: FakeCloud): (ids: string[]) => DeleteAnswer {
  return (ids) => {
    for (const id of ids) cloud.resources.delete(id);
    return { outcomes: ids.map((id): CallOutcome => ({ id, result: 'accepted' })) };
  };
}

export function fakeGroup(
  resources: Record<string, string>,
  input: Partial<ResourceGroupInput> = {},
  kind: KindName = 'alibabacloud.ecs.instance',
): { ctx: GroupContext; cloud: FakeCloud; phases: TeardownPhase[]; patches: string[] } {
  let now = 1_000_000;
  const ids = input.ids ?? Object.keys(resources);
  const full: ResourceGroupInput = {
    teardownId: 'teardown-unit',
    groupId: 'g/0',
    kind,
    region: 'cn-hangzhou',
    ids,
    force: false,
    convertPrepaid: true,
    dryRun: false,
    deadlineAt: now + 600_000,
    pollIntervalMs: 1_000,
    maxPollIntervalMs: 30_000,
    ...input,
  };
  const cloud: FakeCloud = {
    resources: new Map(Object.entries(resources)),
    calls: [],
    onDelete: () => ({ outcomes: [] }),
    onDryRun: () => undefined,
    accounts: ['other'],
    assess: (id, status) =>
      status === 'Stopped'
        ? { id, state: 'ready', status }
        : status === 'PrePaid'
          ? { id, state: 'needs-prepare', step: 'convert', status }
          : status === 'Stopping'
            ? { id, state: 'transitional', status }
            : { id, state: 'needs-prepare', step: 'stop', status },
  };
  cloud.onDelete = acceptAll(cloud);
  const phases: TeardownPhase[] = [];
  const patches: string[] = [];
  const ledger = new GroupLedger(full.kind, full.region ?? '', full.ids);
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const ctx: GroupContext = {
    input: full,
    meta: KINDS[full.kind],
    ledger,
    handoff: newHandoff(),
    calls: {
      async checkAccount() {
        cloud.calls.push({ call: 'checkAccount', ids: [] });
        await tick();
        if (!cloud.accounts.includes(full.account ?? ''))
          throw providerFailure('UnknownAccount', 'permanent', `${full.accountField}: unknown account`);
        return { origin: 'fake' };
      },
      async describe(batch) {
        cloud.calls.push({ call: 'describe', ids: batch });
        await tick();
        return batch.map((id) => {
          const status = cloud.resources.get(id);
          return status === undefined ? { id, state: 'gone' } : cloud.assess(id, status);
        });
      },
      async dryRunDelete(batch) {
        cloud.calls.push({ call: 'dryRunDelete', ids: batch });
        await tick();
        cloud.onDryRun(batch);
      },
      async prepare(step, batch, generation) {
        cloud.calls.push({ call: 'prepare', ids: batch, step, generation });
        await tick();
        for (const id of batch)
          if (cloud.resources.has(id)) cloud.resources.set(id, step === 'convert' ? 'Running' : 'Stopped');
        return { answer: batch.map((id): CallOutcome => ({ id, result: 'accepted' })), attempt: 1 };
      },
      async delete(batch, generation) {
        cloud.calls.push({ call: 'delete', ids: batch, generation });
        await tick();
        return { answer: cloud.onDelete(batch, generation), attempt: 1 };
      },
      async poll(batch) {
        cloud.calls.push({ call: 'poll', ids: batch });
        await tick();
        return batch.map((id) =>
          cloud.resources.has(id)
            ? { id, result: 'pending', status: cloud.resources.get(id)! }
            : { id, result: 'gone' },
        );
      },
    },
    now: () => now,
    remainingMs: () => full.deadlineAt - now,
    cancelRequested: () => false,
    async pause(ms) {
      now += Math.min(ms, Math.max(full.deadlineAt - now, 1_000));
      await tick();
    },
    async waitFor(done) {
      while (!done()) await tick();
    },
    shielded: (fn) => fn(),
    patched: (id) => {
      patches.push(id);
      return true;
    },
    async report(phase) {
      phases.push(phase);
    },
  };
  return { ctx, cloud, phases, patches };
}
