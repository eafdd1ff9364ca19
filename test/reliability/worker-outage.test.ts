// Worker down for longer than the deadline's share (issue 12): a teardown's only worker is
// SIGKILLed once the cloud has accepted every delete, and stays away past the teardown's whole
// deadline by the server's clock while the emulator's clock moves on 3 minutes (the cloud keeps
// deleting while nobody watches). A worker started afterwards resumes the teardown, and its report
// is true to the cloud: what the cloud deleted in the meantime is reported deleted, what it still
// holds is reported failed with the deadline and its last status.
import type { Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import { emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { KINDS, emulatorDurations, type KindMeta } from '../../src/kinds';
import { spawnTs, waitForOutput, type Proc } from '../../scripts/bench/processes';
import { exampleGroup, exampleSeeds, idsInCall } from '../helpers/kinds';
import { fastDurations, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const PER_KIND = 10;
const OUTAGE_MS = 3 * 60_000;
const DEADLINE_MS = 40_000;
/** Deletions that finish within the outage (by the emulator's clock), and ones that do not. */
const FINISHING = ['alibabacloud.ecs.instance', 'tencentcloud.gaap.proxy'];
const LINGERING = ['tencentcloud.ms.scan', 'alibabacloud.sae.instance'];

const withDurations = (kinds: string[], ms: number) =>
  Object.fromEntries(
    kinds.flatMap((k) => Object.keys(emulatorDurations(KINDS[k]!)).map((name) => [name, ms])),
  );

let emulator: Emulator;
let clientConnection: Connection | undefined;
const workers: Proc[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    settings: {
      durations: {
        ...fastDurations(),
        ...withDurations(FINISHING, OUTAGE_MS / 3),
        ...withDurations(LINGERING, 20 * OUTAGE_MS),
      },
    },
  });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await emulator?.close();
  await clientConnection?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isDelete = (meta: KindMeta) => (c: { provider: string; service: string; action: string }) =>
  c.provider === meta.cloud && c.service === meta.service && c.action === meta.calls.delete;

it('a teardown whose worker is away longer than its deadline resumes and reports the cloud truthfully', async () => {
  const stamp = Date.now().toString(36);
  const groups = [...FINISHING, ...LINGERING].map((kind) => {
    const meta = KINDS[kind]!;
    const ids = Array.from({ length: PER_KIND }, (_, i) => `${meta.example.idPrefix}out${stamp}${i}`);
    emulator.seed(exampleSeeds(meta, ids));
    return { meta, ids, finishes: FINISHING.includes(kind) };
  });
  const taskQueue = uniqueTaskQueue('worker-outage');
  const startWorker = async () => {
    const worker = spawnTs('test/helpers/worker-process.ts', [], {
      ...emulatorCredentialsEnv(emulator),
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
      TEARDOWN_TASK_QUEUE: taskQueue,
      TEARDOWN_REQUEST_TIMEOUT_MS: '10000',
    });
    workers.push(worker);
    await waitForOutput(worker, /worker ready/);
    return worker;
  };
  const worker = await startWorker();
  const { client, connection } = await connectTestClient();
  clientConnection = connection;
  const teardown = new TeardownClient(client, taskQueue);
  const id = testId('worker-outage');
  const startedAt = Date.now();
  await teardown.startTeardown(id, {
    resources: groups.map((g) => exampleGroup(g.meta, g.ids)),
    options: { pollInterval: '1s', deadline: `${DEADLINE_MS / 1000}s` },
  });

  // Away once the cloud has accepted every delete (so the outage is all that stands between them and the report).
  const accepted = () =>
    groups.every(({ meta, ids }) => {
      const sent = new Set(
        emulator
          .calls({})
          .filter((c) => isDelete(meta)(c) && !c.errorCode)
          .flatMap((c) => idsInCall(c.params)),
      );
      return ids.every((i) => sent.has(i));
    });
  while (!accepted()) await sleep(50);
  worker.child.kill('SIGKILL');
  await new Promise((r) =>
    worker.child.exitCode !== null || worker.child.signalCode !== null ? r(0) : worker.child.once('exit', r),
  );
  const killedAt = Date.now();
  emulator.clock.advance(OUTAGE_MS);
  // Away longer than the whole deadline, and back only after it passed, by the server's clock.
  const backAt = Math.max(startedAt + DEADLINE_MS + 2_000, killedAt + DEADLINE_MS + 1_000);
  while (Date.now() < backAt) await sleep(200);
  const awayMs = Date.now() - killedAt;
  expect(awayMs).toBeGreaterThan(DEADLINE_MS);
  await startWorker();

  const report = await teardown.waitForReport(id);
  const outcome = new Map(report.resources.map((r) => [r.id, r]));
  const present = new Set(groups.flatMap((g) => emulator.resources(g.meta.kind).map((r) => r.id)));
  for (const { ids, finishes } of groups) {
    for (const rid of ids) {
      // Truth: deleted in the report exactly when gone from the cloud.
      expect([rid, outcome.get(rid)?.outcome]).toEqual([rid, present.has(rid) ? 'failed' : 'deleted']);
      expect([rid, present.has(rid)]).toEqual([rid, !finishes]);
      if (!finishes) {
        expect(outcome.get(rid)).toMatchObject({ errorCode: 'DeadlineExceeded' });
        expect(outcome.get(rid)!.message).toMatch(/deadline/);
      }
    }
  }
  const finished = groups.filter((g) => g.finishes).length * PER_KIND;
  expect(report.totals).toMatchObject({
    requested: 4 * PER_KIND,
    deleted: finished,
    failed: 4 * PER_KIND - finished,
    pending: 0,
  });
  expect(emulator.calls({}).filter((c) => c.errorCode === 'IdempotentParameterMismatch')).toEqual([]);
  console.log(
    `worker outage: ${report.totals.requested} resources, worker away ${Math.round(awayMs / 1000)} s by the server's clock ` +
      `(from ${Math.round((killedAt - startedAt) / 1000)} s after the start; deadline ${DEADLINE_MS / 1000} s) and ` +
      `${OUTAGE_MS / 60_000} min by the emulator's; ` +
      `${report.totals.deleted} deleted meanwhile reported deleted, ${report.totals.failed} still there reported ` +
      `DeadlineExceeded (${[...new Set(report.resources.filter((r) => r.errorCode).map((r) => r.message))].join('; ')})`,
  );
});
