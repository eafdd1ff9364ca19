// Builds the workers of one process: one for the workflows on the main task queue, and one per
// provider action on its own activity task queue, whose rate limit (maxTaskQueueActivitiesPerSecond)
// the Temporal server holds across every worker polling it: provider quotas belong to an action and
// an account (src/task-queues.ts). Credentials come from the worker's config, never from inputs.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { currentKeyRing, teardownDataConverter } from '../codec';
import type { WorkerConfig } from '../config';
import { KIND_NAMES, KINDS, type KindName } from '../kinds';
import { PROVIDERS } from '../providers/registry';
import type { KindProvider } from '../providers/types';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../observability/workflow-modules';
import { TRACING_OFF, type Tracing } from '../observability/tracing';
import { providerActions, queueOfAction, queueRateOf } from '../task-queues';

export interface TeardownWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  config: WorkerConfig;
  /** Pre-bundled workflow code (tests and benchmarks bundle once); otherwise bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  providers?: Record<KindName, KindProvider>;
  /** Trace wiring (src/workers/telemetry.ts); without it workflow spans are dropped. */
  tracing?: Pick<Tracing, 'workflowWorkerOptions' | 'activityWorkerOptions'>;
  /** Extra Worker options (e.g. identity, shutdown grace time) applied to every worker. */
  overrides?: Partial<WorkerOptions>;
}

export interface TeardownWorkers {
  workers: Worker[];
  /** Runs every worker until shutdown() (or a signal) stops them all. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createTeardownWorkers(opts: TeardownWorkerOptions): Promise<TeardownWorkers> {
  const { connection, config } = opts;
  currentKeyRing(); // A malformed TEARDOWN_ENCRYPTION_KEYS stops the worker here, not at its first task.
  const namespace = opts.namespace ?? 'default';
  const activities = createActivities({ config, providers: opts.providers ?? PROVIDERS });
  const workflowSource: Partial<WorkerOptions> = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : {
        workflowsPath: require.resolve('../workflows'),
        interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
      };
  const tracing = opts.tracing ?? TRACING_OFF;

  const workers: Worker[] = [
    await Worker.create({
      connection,
      namespace,
      taskQueue: config.taskQueue,
      dataConverter: teardownDataConverter,
      // The SDK would size it to the heap: 333 cached workflows of a 100,000-resource teardown took 2.4 GB.
      maxCachedWorkflows: config.maxCachedWorkflows,
      ...workflowSource,
      ...tracing.workflowWorkerOptions,
      ...opts.overrides,
    }),
  ];
  // The default account, then each named one: quotas belong to an action AND an account.
  const accounts: Array<[string | undefined, Record<string, number>]> = [
    [undefined, {}],
    ...Object.entries(config.accounts).map(([name, a]): [string, Record<string, number>] => [name, a.quotas]),
  ];
  for (const [account, quotas] of accounts) {
    const enabled = KIND_NAMES.filter(
      (kind) => KINDS[kind].enabled && (!account || config.accounts[account]!.clouds[KINDS[kind].cloud]),
    );
    for (const action of providerActions(enabled)) {
      workers.push(
        await Worker.create({
          connection,
          namespace,
          taskQueue: queueOfAction(config.taskQueue, action, account),
          activities,
          dataConverter: teardownDataConverter,
          maxTaskQueueActivitiesPerSecond: queueRateOf(
            quotas[action.key] ?? config.actionQuotas[action.key]!,
            config.queuePartitions,
          ),
          ...tracing.activityWorkerOptions,
          ...opts.overrides,
        }),
      );
    }
  }
  return {
    workers,
    async run() {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
