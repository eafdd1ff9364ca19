// Any caller: a teardown started by the `temporal` CLI with plain JSON gets every contract search
// attribute from the workflow itself (not from our client), its children carry status, kinds and
// failed count, and its queries answer plain JSON the CLI can read.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ResourcesPage, TeardownReport } from '../../src/contract';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import { FIXTURES } from '../helpers/kinds';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import { TEST_NAMESPACE, temporalCliPath, testServerAddress } from '../helpers/temporal';

const run = promisify(execFile);
const fx = FIXTURES['alibabacloud.ecs.instance'];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'attrs' });
});

afterAll(async () => {
  await stack?.stop();
});

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(temporalCliPath(), [
    ...args,
    '--address',
    testServerAddress(),
    '--namespace',
    TEST_NAMESPACE,
  ]);
  return stdout;
}

async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of stack.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

it('a teardown started by the temporal CLI carries every search attribute, and so do its children', async () => {
  const [ok, protectedId] = [fx.newId(), fx.newId()];
  fx.seed(stack, ok);
  stack.emulator.seed([
    {
      type: fx.kind,
      region: fx.region!,
      id: protectedId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid', DeletionProtection: true },
    },
  ]);
  const requester = `svc-${Date.now().toString(36)}`;
  const workflowId = `teardown-${testId('cli')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-cli-'));
  const input = path.join(dir, 'request.json');
  fs.writeFileSync(
    input,
    JSON.stringify({
      resources: [{ kind: fx.kind, region: fx.region, ids: [ok, protectedId] }],
      options: { pollInterval: '300ms', deadline: '2m' },
      requestedBy: requester,
    }),
  );
  await cli(
    'workflow', 'start', '--type', 'teardown', '--task-queue', stack.taskQueue, '--workflow-id', workflowId,
    '--id-reuse-policy', 'RejectDuplicate', '--input-file', input,
  ); // prettier-ignore
  const report: TeardownReport = JSON.parse(
    (await cli('workflow', 'result', '--workflow-id', workflowId, '-o', 'json')).trim(),
  ).result;
  expect(report.status).toBe('partially-failed');

  // The workflow set them itself: the CLI sent none.
  const { status, kinds, resourceCount, failedCount, requestedBy } = SEARCH_ATTRIBUTES;
  const queries = [
    `${requestedBy} = "${requester}"`,
    `${status} = "partially-failed" AND ${requestedBy} = "${requester}"`,
    `${kinds} = "${fx.kind}" AND ${requestedBy} = "${requester}"`,
    `${resourceCount} = 2 AND ${requestedBy} = "${requester}"`,
    `${failedCount} = 1 AND ${requestedBy} = "${requester}"`,
  ];
  for (const query of queries) {
    const ids = await eventually(async () => {
      const found = await listed(`WorkflowType = "teardown" AND ${query}`);
      return found.length > 0 ? found : undefined;
    }, query);
    expect({ query, ids }).toEqual({ query, ids: [workflowId] });
  }

  // Each child carries its status, kind and failed count.
  const child = await eventually(async () => {
    const found = await listed(
      `WorkflowType = "deleteResourceGroup" AND WorkflowId STARTS_WITH "${workflowId}/" AND ${failedCount} = 1`,
    );
    return found.length > 0 ? found : undefined;
  }, 'the child by its failed count');
  expect(child).toHaveLength(1);
  const attrs = (await stack.client.workflow.getHandle(child[0]!).describe()).searchAttributes;
  expect(attrs).toMatchObject({ [status]: ['partially-failed'], [kinds]: [fx.kind], [failedCount]: [1] });

  // Queries answer plain JSON any client reads: here the CLI.
  const progress = JSON.parse(
    await cli('workflow', 'query', '--workflow-id', workflowId, '--name', 'progress', '-o', 'json'),
  ).queryResult[0] as TeardownReport;
  expect(progress.totals).toMatchObject({ requested: 2, deleted: 1, failed: 1 });
  const page = JSON.parse(
    await cli(
      'workflow', 'query', '--workflow-id', workflowId, '--name', 'resources', '-o', 'json',
      '--input', JSON.stringify({ outcome: 'failed', offset: 0, limit: 10 }),
    ),
  ).queryResult[0] as ResourcesPage; // prettier-ignore
  expect(page).toEqual({
    total: 1,
    resources: [
      expect.objectContaining({ id: protectedId, errorCode: 'InvalidOperation.DeletionProtection' }),
    ],
  });
});

it('keeps TeardownStatus and TeardownFailedCount current while it runs', async () => {
  const id = fx.newId();
  stack.emulator.seed([
    {
      type: fx.kind,
      region: fx.region!,
      id,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid', DeletionProtection: true },
    },
  ]);
  const tid = testId('attrs-approval');
  const { workflowId } = await stack.teardown.startTeardown(tid, {
    resources: [{ kind: fx.kind, region: fx.region, ids: [id] }],
    options: { pollInterval: '300ms', requireApproval: true },
  });
  // Awaiting approval after a preflight that found one refused instance.
  await eventually(async () => {
    const found = await listed(
      `WorkflowId = "${workflowId}" AND ${SEARCH_ATTRIBUTES.status} = "awaiting-approval" AND ${SEARCH_ATTRIBUTES.failedCount} = 1`,
    );
    return found.length ? found : undefined;
  }, 'awaiting-approval with one failed in visibility');
  await stack.teardown.reject(tid, { rejectedBy: 'jest', reason: 'testing search attributes' });
  await stack.teardown.waitForReport(tid);
});
