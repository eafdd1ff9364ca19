// Two accounts in one teardown (issue 8 section 4), end to end: a real dev server and worker, the
// official SDKs and the emulator. The worker's account map gives `other` an Alibaba role (assumed
// through the emulated STS) and Tencent keys; each group's calls are made as its own account (the
// emulator's call log records which), each resource is deleted only in its account, an unknown
// account fails its group before anything is sent, and no key or token reaches a history.
import type { TeardownReport } from '../../src/contract';
import { EMULATOR_ACCOUNTS, emulatorAccount } from '../../src/emulator/accounts';
import { runtimeSecrets } from '../../src/observability/runtime-secrets';
import { queueRateOf } from '../../src/task-queues';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';

const REGION = 'cn-hangzhou';
const ECS = 'alibabacloud.ecs.instance';
const GAAP = 'tencentcloud.gaap.proxy';
const otherTencent = emulatorAccount('tencentcloud', 'other');
const ACCOUNT_MAP = {
  other: {
    alibabacloud: { roleArn: 'acs:ram::1000000000000002:role/teardown' },
    tencentcloud: { accessKeyIdEnv: 'OTHER_TC_SECRET_ID', accessKeySecretEnv: 'OTHER_TC_SECRET_KEY' },
    quotas: { 'alibabacloud.ecs.DeleteInstances': 5 },
  },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    prefix: 'accounts',
    env: {
      TEARDOWN_ACCOUNTS: JSON.stringify(ACCOUNT_MAP),
      OTHER_TC_SECRET_ID: otherTencent.accessKeyId,
      OTHER_TC_SECRET_KEY: otherTencent.accessKeySecret,
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const stamp = Date.now().toString(36);
const ecsId = (n: number) => `i-bp1acc${stamp}${n}`;
const gaapId = (n: number) => `link-${stamp.slice(-4)}${n}acc`.slice(0, 13);

function seedEcs(id: string, account: string) {
  stack.emulator.seed([
    {
      type: ECS,
      region: REGION,
      id,
      account,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
  ]);
}

const callsNaming = (id: string) =>
  stack.emulator.calls().filter((c) => JSON.stringify(c.params).includes(id));

it('deletes each resource in its own account, with that account’s keys; an unknown account sends nothing', async () => {
  const [mine, theirs, elsewhere, typo] = [ecsId(1), ecsId(2), ecsId(3), ecsId(4)];
  const proxy = gaapId(1);
  seedEcs(mine, 'default');
  seedEcs(theirs, 'other');
  // Exists, but in the default account: asked for in `other`, it is not found there and stays.
  seedEcs(elsewhere, 'default');
  seedEcs(typo, 'other');
  stack.emulator.seed([{ type: GAAP, id: proxy, account: 'other', status: 'RUNNING' }]);

  const id = testId('accounts');
  await stack.teardown.startTeardown(id, {
    resources: [
      { kind: ECS, region: REGION, ids: [mine] },
      { kind: ECS, region: REGION, account: 'other', ids: [theirs, elsewhere] },
      { kind: GAAP, account: 'other', ids: [proxy] },
      { kind: ECS, region: REGION, account: 'othre', ids: [typo] },
    ],
    options: { pollInterval: '300ms', deadline: '2m' },
    requestedBy: 'jest',
  });
  const report: TeardownReport = await stack.teardown.waitForReport(id);

  const byId = Object.fromEntries(report.resources.map((r) => [r.id, r]));
  expect(byId[mine]).toMatchObject({ outcome: 'deleted' });
  expect(byId[mine]!.account).toBeUndefined();
  expect(byId[theirs]).toMatchObject({ outcome: 'deleted', account: 'other' });
  expect(byId[elsewhere]).toMatchObject({ outcome: 'not-found', account: 'other' });
  expect(byId[proxy]).toMatchObject({ outcome: 'deleted', account: 'other' });
  expect(byId[typo]).toMatchObject({ outcome: 'failed', errorCode: 'UnknownAccount', account: 'othre' });
  expect(byId[typo]!.message).toMatch(
    /^resources\[3\]\.account: "othre" is not an account this worker knows \(known: default, other\)/,
  );
  expect(report.status).toBe('partially-failed');

  // Every call naming a resource was made as the account its group names.
  const accountsOf = (rid: string) => [...new Set(callsNaming(rid).map((c) => c.account))];
  expect(accountsOf(mine)).toEqual(['default']);
  expect(accountsOf(theirs)).toEqual(['other']);
  expect(accountsOf(elsewhere)).toEqual(['other']);
  expect(accountsOf(proxy)).toEqual(['other']);
  expect(callsNaming(typo)).toEqual([]);
  // `other`'s Alibaba keys came from STS, asked with the worker's default keys.
  const assumed = stack.emulator.calls({ action: 'AssumeRole' });
  expect(assumed.length).toBeGreaterThanOrEqual(1);
  expect(assumed.every((c) => c.provider === 'alibabacloud' && c.account === 'default')).toBe(true);
  // Deleted only where it was asked: the default account's namesake is still there; the typo's too.
  const left = stack.emulator.resources(ECS).map((r) => `${r.account}/${r.id}`);
  expect(left).toEqual(expect.arrayContaining([`default/${elsewhere}`, `other/${typo}`]));
  expect(left).not.toContain(`other/${theirs}`);
  expect(left).not.toContain(`default/${mine}`);

  // TeardownAccounts finds the teardown (and its children in `other`).
  const workflowId = `teardown-${id}`;
  await eventually(async () => {
    const found: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `TeardownAccounts = "other"` }))
      found.push(wf.workflowId);
    return found.includes(workflowId) && found.some((w) => w.startsWith(`${workflowId}/`))
      ? found
      : undefined;
  }, 'TeardownAccounts in visibility');

  // The summaries the UI shows name the accounts: the parent's all of them, a child its own.
  const summaryOf = async (wid: string) =>
    (await stack.client.workflow.getHandle(wid).describe()).staticSummary();
  expect(await summaryOf(workflowId)).toMatch(/ in accounts default, other, othre for jest$/);
  const otherChild = `${workflowId}/delete/${GAAP}/global@other/2`;
  expect(await summaryOf(otherChild)).toBe(`delete 1 ${GAAP} in account other`);

  // No key, secret or token in the parent's or any child's history.
  const secrets = [...EMULATOR_ACCOUNTS.flatMap((a) => [a.accessKeySecret]), ...runtimeSecrets()];
  expect(runtimeSecrets().size).toBeGreaterThanOrEqual(2);
  const parent = JSON.stringify(await stack.client.workflow.getHandle(workflowId).fetchHistory());
  const children = [...new Set(parent.match(new RegExp(`${workflowId}/[^"]+`, 'g')) ?? [])];
  expect(children.length).toBeGreaterThanOrEqual(4);
  for (const history of [
    parent,
    ...(await Promise.all(
      children.map(async (c) => JSON.stringify(await stack.client.workflow.getHandle(c).fetchHistory())),
    )),
  ]) {
    for (const secret of secrets) expect(history.includes(secret)).toBe(false);
  }
});

it('a selector names its account: discovery lists only that account; an unknown one fails the discovery, nothing listed', async () => {
  const tag = `acc-${stamp}`;
  const tags = { run: tag };
  const [inOther, inDefault] = [ecsId(5), ecsId(6)];
  stack.emulator.seed(
    [
      [inOther, 'other'],
      [inDefault, 'default'],
    ].map(([id, account]) => ({
      type: ECS,
      region: REGION,
      id: id!,
      account: account!,
      status: 'Stopped',
      tags,
      attributes: { InstanceChargeType: 'PostPaid' },
    })),
  );
  const id = testId('accounts-selector');
  await stack.teardown.startTeardown(id, {
    selectors: [{ kind: ECS, region: REGION, account: 'other', tags: [`run=${tag}`] }],
    options: { pollInterval: '300ms', deadline: '2m' },
  });
  const report = await stack.teardown.waitForReport(id);
  expect(report.resources.map((r) => [r.id, r.outcome, r.account])).toEqual([[inOther, 'deleted', 'other']]);
  expect(stack.emulator.resources(ECS).some((r) => r.id === inDefault)).toBe(true);
  expect(
    stack.emulator
      .calls({ action: 'DescribeInstances' })
      .filter((c) => JSON.stringify(c.params).includes(tag) || c.account === 'other')
      .every((c) => c.account === 'other'),
  ).toBe(true);

  const before = stack.emulator.calls().length;
  const bad = testId('accounts-selector-unknown');
  await stack.teardown.startTeardown(bad, {
    selectors: [{ kind: ECS, region: REGION, account: 'nobody', tags: [`run=${tag}`] }],
  });
  // A discovery that cannot run fails the teardown (as any discovery failure does), naming the field.
  const failure = await stack.teardown.waitForReport(bad).then(
    () => undefined,
    (err: { cause?: { type?: string; message?: string } }) => err.cause,
  );
  expect(failure?.type).toBe('UnknownAccount');
  expect(failure?.message).toMatch(/selectors\[0\]\.account: "nobody" is not an account this worker knows/);
  expect(stack.emulator.calls().slice(before)).toEqual([]);
});

it('each named account polls its own queue per action, at its own quota', () => {
  const queues = new Map(
    stack.workers.workers.map((w) => [w.options.taskQueue, w.options.maxTaskQueueActivitiesPerSecond]),
  );
  const q = stack.taskQueue;
  expect(queues.get(`${q}.alibabacloud.ecs.DeleteInstances`)).toBe(queueRateOf(20));
  expect(queues.get(`${q}.alibabacloud.ecs.DeleteInstances@other`)).toBe(queueRateOf(5));
  expect(queues.get(`${q}.tencentcloud.gaap.DestroyProxies@other`)).toBe(queueRateOf(20));
  // `other` has no Volcengine keys in the map: no queue for it.
  expect(
    [...queues.keys()].some((name) => name!.startsWith(`${q}.volcengine.`) && name!.endsWith('@other')),
  ).toBe(false);
});
