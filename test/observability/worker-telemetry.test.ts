// The worker process's telemetry as an operator's tools see it (issue 9): a real worker process
// (test/helpers/worker-process.ts, which installs telemetry like `npm run worker`) with
// TEARDOWN_METRICS_ADDRESS and TEARDOWN_LOG_FORMAT=json runs a mixed teardown against the emulator;
// /metrics then matches the report and the emulator's own call log, /healthz answers, and every
// stdout line is a JSON object with the operator's fields and no credential.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { TeardownClient } from '../../src/client';
import type { TeardownReport } from '../../src/contract';
import { EMULATOR_ACCOUNTS, emulatorCredentialsEnv } from '../../src/emulator/accounts';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { METRIC_NAMES } from '../../src/observability/metrics';
import { PROVIDERS } from '../../src/providers/registry';
import { freeLoopbackAddress } from '../../src/workers/http';
import { eventually, FAST_DURATIONS, testId } from '../helpers/stack';
import { connectTestClient, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { alertRules, dashboardQueries, metricNames } from './queries';
import { parsePrometheusText, sum, sumBy, type Sample } from './prometheus-text';

const ROOT = resolve(__dirname, '../..');
const ECS = 'alibabacloud.ecs.instance';
const GAAP = 'tencentcloud.gaap.proxy';
const REGION = 'cn-hangzhou';

let emulator: Emulator;
let client: Client;
let connection: Connection;
let worker: ChildProcess | undefined;
const stdout: string[] = [];
let stderr = '';

function startWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'test/helpers/worker-process.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  worker = child;
  let partial = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      const lines = (partial + String(d)).split('\n');
      partial = lines.pop() ?? '';
      stdout.push(...lines);
      if (lines.some((l) => l.includes('worker ready'))) res();
    });
    child.on('exit', (code) => rej(new Error(`worker exited early (${code}): ${stderr}`)));
  });
}

async function scrape(address: string, path = '/metrics'): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://${address}${path}`);
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  emulator = await startEmulator({ settings: { durations: FAST_DURATIONS } });
  ({ client, connection } = await connectTestClient());
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await connection?.close();
  await emulator?.close();
});

describe('worker telemetry (metrics, JSON logs)', () => {
  it('serves /metrics whose counts match the report and the provider calls, and logs JSON lines without credentials', async () => {
    const taskQueue = uniqueTaskQueue('telemetry');
    const address = await freeLoopbackAddress();
    await startWorker({
      ...emulatorCredentialsEnv(emulator),
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_WORKFLOW_BUNDLE: workflowBundle().codePath,
      TEARDOWN_TASK_QUEUE: taskQueue,
      TEARDOWN_REQUEST_TIMEOUT_MS: '5000',
      TEARDOWN_METRICS_ADDRESS: address,
      TEARDOWN_LOG_FORMAT: 'json',
      TEARDOWN_LOG_LEVEL: 'INFO',
    });
    const health = await scrape(address, '/healthz');
    expect(health.status).toBe(200);

    // Mixed: deleted, refused by deletion protection, already gone; a retried ServiceUnavailable.
    const suffix = Date.now().toString(36);
    const [deletable, protectedId, missing] = ['a', 'b', 'c'].map((x) => `i-bp1tm${suffix}${x}`);
    const proxy = `link-tm${suffix}`;
    emulator.seed([
      {
        type: ECS,
        region: REGION,
        id: deletable,
        status: 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid' },
      },
      {
        type: ECS,
        region: REGION,
        id: protectedId,
        status: 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid', DeletionProtection: true },
      },
      { type: GAAP, id: proxy, status: 'RUNNING' },
    ]);
    emulator.injectFault({
      provider: 'alibabacloud',
      action: 'DeleteInstances',
      code: 'ServiceUnavailable',
      count: 1,
    });
    const teardown = new TeardownClient(client, taskQueue);
    const id = testId('telemetry');
    const { workflowId } = await teardown.startTeardown(id, {
      resources: [
        { kind: ECS, region: REGION, ids: [deletable, protectedId, missing] },
        { kind: GAAP, ids: [proxy] },
      ],
      options: { pollInterval: '300ms', deadline: '2m' },
      requestedBy: 'telemetry-test',
    });
    const report: TeardownReport = await teardown.waitForReport(id);
    // `missing` was never listed by the provider: not-found (its group found others, so no NothingFound).
    expect(report.totals).toMatchObject({ requested: 4, deleted: 2, alreadyGone: 0, notFound: 1, failed: 1 });

    // ---- metrics: resources by kind and outcome equal the report
    const expectedOutcomes: Record<string, number> = {};
    for (const r of report.resources)
      expectedOutcomes[`${r.kind}|${r.outcome}`] = (expectedOutcomes[`${r.kind}|${r.outcome}`] ?? 0) + 1;
    const samples: Sample[] = await eventually(async () => {
      const s = parsePrometheusText((await scrape(address)).text);
      return sum(s, METRIC_NAMES.resources) >= report.resources.length ? s : undefined;
    }, 'teardown_resources_total to count the report');
    expect(sumBy(samples, METRIC_NAMES.resources, ['kind', 'outcome'])).toEqual(expectedOutcomes);

    // ---- provider calls by cloud, action and code equal what the emulator answered
    // A "not found" that the provider module reads as done (class gone) is a successful call.
    const answered: Record<string, number> = {};
    for (const c of emulator.calls()) {
      const kind = c.provider === 'alibabacloud' ? ECS : GAAP;
      const code =
        c.errorCode && PROVIDERS[kind].classify(c.errorCode, c.httpStatus) !== 'gone' ? c.errorCode : 'OK';
      const key = `${c.provider}|${c.action}|${code}`;
      answered[key] = (answered[key] ?? 0) + 1;
    }
    expect(answered[`alibabacloud|DeleteInstances|ServiceUnavailable`]).toBe(1);
    expect(sumBy(samples, METRIC_NAMES.providerCalls, ['cloud', 'action', 'code'])).toEqual(answered);
    expect(
      sum(samples, METRIC_NAMES.providerCalls, {
        code: 'ServiceUnavailable',
        class: PROVIDERS[ECS].classify('ServiceUnavailable', 503),
      }),
    ).toBe(1);
    // The histogram counts every call once, per cloud and action.
    const callsByAction = sumBy(samples, METRIC_NAMES.providerCalls, ['cloud', 'action']);
    expect(sumBy(samples, `${METRIC_NAMES.providerCallSeconds}_count`, ['cloud', 'action'])).toEqual(
      callsByAction,
    );
    expect(
      samples.some((s) => s.name === `${METRIC_NAMES.providerCallSeconds}_bucket` && s.labels.le === '0.25'),
    ).toBe(true);
    // Nothing is blocked once the teardown ended; the ServiceUnavailable batch was blocked for a while.
    expect(sum(samples, METRIC_NAMES.blockedResources, { kind: ECS })).toBe(0);
    // The SDK's own metrics come out of the same scrape.
    expect(samples.some((s) => s.name.startsWith('temporal_workflow_completed'))).toBe(true);
    expect(samples.some((s) => s.name.startsWith('temporal_activity_execution_latency'))).toBe(true);

    // Every metric the alert rules and the dashboard read is one this worker exports.
    const exported = new Set(samples.map((s) => s.name));
    const queries = [...alertRules().map((r) => r.expr), ...dashboardQueries().map((q) => q.expr)];
    const missingNames = [...new Set(queries.flatMap(metricNames))].filter((n) => !exported.has(n));
    expect(missingNames).toEqual([]);

    // ---- logs: every line one JSON object; the failed call's line names everything; no secret
    const entries = stdout
      .filter((l) => l.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`worker stdout line is not JSON: ${line}`);
        }
      });
    for (const e of entries) {
      expect(typeof e.level).toBe('string');
      expect(new Date(String(e.time)).toISOString()).toBe(e.time);
      expect(typeof e.message).toBe('string');
    }
    const failedCall = entries.find((e) => e.code === 'ServiceUnavailable');
    expect(failedCall).toMatchObject({
      level: 'WARN',
      workflowId: `${workflowId}/delete/${ECS}/${REGION}/0`,
      activity: 'deleteResources',
      kind: ECS,
      region: REGION,
      cloud: 'alibabacloud',
      action: 'DeleteInstances',
    });
    expect(typeof failedCall?.runId).toBe('string');
    const all = stdout.join('\n') + stderr;
    for (const account of EMULATOR_ACCOUNTS.filter((a) => a.account === 'default')) {
      expect(all).not.toContain(account.accessKeySecret);
      expect(all).not.toContain(account.accessKeyId);
    }
  });
});
