// Per-action rate limits held by the server across workers: three worker processes poll the same
// per-action task queues of a dev server of their own, with one partition per queue as
// docs/scaling.md advises for action queues, and the emulator's call log shows no action ever got
// more calls in a sliding second than its limit. The emulator does not throttle here, so nothing
// hides an excess.
import { Client, Connection } from '@temporalio/client';
import { busiestWindows } from '../../scripts/bench/measure';
import { spawnTs, waitForOutput, type Proc } from '../../scripts/bench/processes';
import { startOwnDevServer, type OwnDevServer } from '../../scripts/own-dev-server';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { FAST_DURATIONS, testId } from '../helpers/stack';
import { TEST_NAMESPACE, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
const RATES = {
  TEARDOWN_RATE_ALIBABACLOUD_ECS_DESCRIBEINSTANCES: '8',
  TEARDOWN_RATE_ALIBABACLOUD_ECS_DELETEINSTANCES: '5',
};
let server: OwnDevServer;
let emulator: Emulator;
let connection: Connection;
let teardown: TeardownClient;
const workers: Proc[] = [];

beforeAll(async () => {
  // One partition per queue: a queue's rate limit then bursts least (src/task-queues.ts queueRateOf).
  server = await startOwnDevServer({ partitions: 1 });
  emulator = await startEmulator({ settings: { durations: FAST_DURATIONS, quotaPerSecond: 0 } });
  const taskQueue = uniqueTaskQueue('rates');
  for (let i = 0; i < 3; i++) {
    workers.push(
      spawnTs('test/helpers/worker-process.ts', [], {
        ...emulatorCredentialsEnv(emulator),
        ...RATES,
        TEMPORAL_ADDRESS: server.address,
        TEARDOWN_QUEUE_PARTITIONS: '1',
        TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
        TEARDOWN_TASK_QUEUE: taskQueue,
      }),
    );
  }
  await Promise.all(workers.map((w) => waitForOutput(w, /worker ready/)));
  connection = await Connection.connect({ address: server.address });
  teardown = new TeardownClient(new Client({ connection, namespace: TEST_NAMESPACE }), taskQueue);
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
  await emulator?.close();
  await server?.stop();
});

it('three workers together keep every action within its own limit', async () => {
  const stamp = Date.now().toString(36);
  const teardowns = Array.from({ length: 3 }, (_, t) => {
    const ids = Array.from({ length: 800 }, (_, i) => `i-bp1rate${t}${String(i).padStart(5, '0')}${stamp}`);
    emulator.seed(
      ids.map((id) => ({
        type: KIND,
        region: REGION,
        id,
        status: 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid' },
      })),
    );
    return { id: testId('rates'), ids };
  });
  await Promise.all(
    teardowns.map((t) =>
      teardown.startTeardown(t.id, {
        resources: [{ kind: KIND, region: REGION, ids: t.ids }],
        options: { pollInterval: '300ms', deadline: '10m' },
        requestedBy: 'jest',
      }),
    ),
  );
  const reports = await Promise.all(teardowns.map((t) => teardown.waitForReport(t.id)));
  for (const r of reports) expect(r.totals).toMatchObject({ requested: 800, deleted: 800, failed: 0 });

  const calls = emulator.calls().filter((c) => c.provider === 'alibabacloud');
  const busiest = busiestWindows(calls.map((c) => ({ at: c.at, key: c.action })));
  console.log(`busiest sliding second per action: ${JSON.stringify(busiest)}`);
  // Enough calls that the limits had something to hold back: 24 describes, 24 deletes, polls.
  expect(calls.filter((c) => c.action === 'DeleteInstances').length).toBeGreaterThanOrEqual(24);
  expect(busiest).toMatchObject({
    DescribeInstances: expect.any(Number),
    DeleteInstances: expect.any(Number),
  });
  expect(busiest.DescribeInstances).toBeLessThanOrEqual(8);
  expect(busiest.DeleteInstances).toBeLessThanOrEqual(5);
}, 300_000);
