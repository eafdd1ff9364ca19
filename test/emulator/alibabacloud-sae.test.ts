// The fake SAE (2019-05-06, ROA) through the real @alicloud/openapi-client: SAE's envelope, its
// error codes and statuses, change orders and their timing, and the read APIs' paging.
import * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { emulatorAccount } from '../../src/emulator/accounts';
import {
  SAE_APPLICATION_TYPE,
  SAE_CHANGE_ORDER_STEP,
  SAE_INSTANCE_TYPE,
} from '../../src/emulator/alibabacloud/sae';
import { alibabaSdk, sleep, useEmulator } from '../helpers/provider-harness';

const REGION = 'cn-shanghai';
const APP = 'd700e680-aa4d-4ec1-afc2-6566b5ff0001';
const STEP_MS = 150;

const emu = useEmulator({ settings: { durations: { [SAE_CHANGE_ORDER_STEP]: STEP_MS } } });

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** One signed ROA call; answers the HTTP status and the parsed body, error or not. */
async function roa(
  method: string,
  pathname: string,
  query: Record<string, string>,
  account = 'default',
): Promise<Reply> {
  const client = alibabaSdk(emu.endpoint, emulatorAccount('alibabacloud', account), { regionId: REGION });
  const params = new $OpenApi.Params({
    action: 'Sae',
    version: '2019-05-06',
    protocol: 'http',
    pathname,
    method,
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'json',
    bodyType: 'json',
  });
  try {
    const res = await client.callApi(
      params,
      new $OpenApi.OpenApiRequest({ query }),
      new $Util.RuntimeOptions({ autoretry: false }),
    );
    return { status: res.statusCode as number, body: res.body as Record<string, unknown> };
  } catch (err) {
    const data = (err as { data?: Record<string, unknown> }).data;
    if (!data) throw err;
    const { statusCode, ...body } = data;
    return { status: Number(statusCode), body };
  }
}

const deleteInstances = (query: Record<string, string>, account?: string) =>
  roa('PUT', '/pop/v1/sam/app/deleteInstances', query, account);
const describeChangeOrder = (id: string, account?: string) =>
  roa('GET', '/pop/v1/sam/changeorder/DescribeChangeOrder', { ChangeOrderId: id }, account);
const describeInstances = (query: Record<string, string>) =>
  roa('GET', '/pop/v1/sam/app/describeApplicationInstances', query);
const describeGroups = (query: Record<string, string>) =>
  roa('GET', '/pop/v1/sam/app/describeApplicationGroups', query);

function seedApp(attributes: Record<string, unknown> = {}, appId = APP) {
  emu.seed([{ type: SAE_APPLICATION_TYPE, id: appId, region: REGION, name: 'cart-service', attributes }]);
}

function seedInstances(ids: string[], attributes: Record<string, unknown> = {}, appId = APP) {
  emu.seed(
    ids.map((id) => ({
      type: SAE_INSTANCE_TYPE,
      id,
      region: REGION,
      attributes: { AppId: appId, ...attributes },
    })),
  );
}

const data = <T = Record<string, unknown>>(reply: Reply) => reply.body.Data as T;
const remaining = () => emu.resources(SAE_INSTANCE_TYPE).map((r) => r.id);

describe('DeleteInstances', () => {
  test('answers SAE success envelope with a ChangeOrderId', async () => {
    seedApp();
    seedInstances(['demo-1', 'demo-2']);
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1,demo-2' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ Code: '200', Message: 'success', ErrorCode: '', Success: true });
    expect(reply.body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(reply.body.TraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(data(reply)).toEqual({ ChangeOrderId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const call = emu.calls({ action: 'DeleteInstances' })[0];
    expect(call).toMatchObject({ provider: 'alibabacloud', service: 'sae', httpStatus: 200 });
  });

  test('errors: HTTP 400, the string code in Code and ErrorCode, Success false', async () => {
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      Code: 'InvalidApplication.NotFound',
      ErrorCode: 'InvalidApplication.NotFound',
      Message: 'The current application does not exist.',
      Success: false,
    });
  });

  test('refuses missing parameters with InvalidParameter.NotEmpty', async () => {
    seedApp();
    expect((await deleteInstances({ InstanceIds: 'demo-1' })).body).toMatchObject({
      Code: 'InvalidParameter.NotEmpty',
      Message: 'You must specify the parameter AppId.',
    });
    expect((await deleteInstances({ AppId: APP })).body).toMatchObject({ Code: 'InvalidParameter.NotEmpty' });
    expect((await deleteInstances({ AppId: APP, InstanceIds: ' , ' })).body).toMatchObject({
      Code: 'InvalidParameter.NotEmpty',
    });
  });

  test('an instance outside the application is InvalidParameter.WithMessage and nothing starts', async () => {
    seedApp();
    seedApp({}, 'other-app');
    seedInstances(['demo-1']);
    seedInstances(['demo-x'], {}, 'other-app');
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1,demo-x' });
    expect(reply.status).toBe(400);
    expect(reply.body.Code).toBe('InvalidParameter.WithMessage');
    expect(String(reply.body.Message)).toContain('demo-x');
    // No change order was left running.
    expect((await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' })).status).toBe(200);
  });

  test('Application.NotDeployYet for an application never deployed', async () => {
    seedApp({ deployed: false });
    seedInstances(['demo-1']);
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' });
    expect([reply.status, reply.body.Code]).toEqual([400, 'Application.NotDeployYet']);
  });

  test('one change order at a time per application; other applications are independent', async () => {
    seedApp();
    seedApp({}, 'app-two');
    seedInstances(['demo-1', 'demo-2']);
    seedInstances(['two-1'], {}, 'app-two');
    expect((await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' })).status).toBe(200);
    const busy = await deleteInstances({ AppId: APP, InstanceIds: 'demo-2' });
    expect([busy.status, busy.body.Code]).toEqual([400, 'Application.ChangerOrderRunning']);
    expect((await deleteInstances({ AppId: 'app-two', InstanceIds: 'two-1' })).status).toBe(200);
    await sleep(2 * STEP_MS + 50);
    expect((await deleteInstances({ AppId: APP, InstanceIds: 'demo-2' })).status).toBe(200);
  });

  test('duplicate ids in InstanceIds count once', async () => {
    seedApp();
    seedInstances(['demo-1']);
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1, demo-1' });
    const order = await describeChangeOrder(data<{ ChangeOrderId: string }>(reply).ChangeOrderId);
    expect(data(order).Description).toBe('Delete instances demo-1');
  });
});

describe('change orders', () => {
  test('walk 0 -> 1 -> 2 one step each, removing the instances at 2', async () => {
    // A longer step than the file's so a slow first call cannot skip a status.
    const step = 400;
    emu.setSettings({ durations: { [SAE_CHANGE_ORDER_STEP]: step } });
    seedApp();
    seedInstances(['demo-1', 'demo-2', 'demo-3']);
    // The order walks on the emulator's clock, which stands still until the test moves it.
    emu.clock.freeze();
    const reply = await deleteInstances({ AppId: APP, InstanceIds: 'demo-1,demo-2' });
    const { ChangeOrderId: id } = data<{ ChangeOrderId: string }>(reply);

    const first = await describeChangeOrder(id);
    expect(first.status).toBe(200);
    expect(data(first)).toMatchObject({
      ChangeOrderId: id,
      AppId: APP,
      AppName: 'cart-service',
      Status: 0,
      CoTypeCode: 'CoDeleteInstances',
      BatchCount: 1,
      Pipelines: [expect.objectContaining({ Status: 0, PipelineName: 'Batch 1 Change' })],
    });
    expect(data(first).CreateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(remaining()).toEqual(['demo-1', 'demo-2', 'demo-3']);

    emu.clock.advance(step);
    expect(data(await describeChangeOrder(id)).Status).toBe(1);
    emu.clock.advance(step);
    const done = data(await describeChangeOrder(id));
    expect(done).toMatchObject({ Status: 2 });
    // The official response model has no ErrorMessage (docs/provider-fidelity.md).
    expect(done).not.toHaveProperty('ErrorMessage');
    expect(remaining()).toEqual(['demo-3']);
  });

  test('the instances go away at 2 even if nobody asks SAE', async () => {
    seedApp();
    seedInstances(['demo-1']);
    await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' });
    await sleep(2 * STEP_MS + 30);
    expect(remaining()).toEqual([]);
  });

  test.each([3, 6, 10])(
    'an application seeded with changeOrderOutcome %i ends there, keeping its instances',
    async (outcome) => {
      seedApp({ changeOrderOutcome: outcome });
      seedInstances(['demo-1']);
      const { ChangeOrderId: id } = data<{ ChangeOrderId: string }>(
        await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' }),
      );
      await sleep(2 * STEP_MS + 30);
      const order = data(await describeChangeOrder(id));
      expect(order.Status).toBe(outcome);
      expect(remaining()).toEqual(['demo-1']);
      // Final: the application takes a new change order.
      seedApp();
      expect((await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' })).status).toBe(200);
    },
  );

  test('8 waits for a manual batch confirmation, 11 for approval, forever', async () => {
    seedApp();
    seedInstances(['demo-8'], { changeOrderOutcome: 8 });
    seedApp({}, 'app-11');
    seedInstances(['demo-11'], { changeOrderOutcome: 11 }, 'app-11');
    const eight = data<{ ChangeOrderId: string }>(
      await deleteInstances({ AppId: APP, InstanceIds: 'demo-8' }),
    ).ChangeOrderId;
    const eleven = data<{ ChangeOrderId: string }>(
      await deleteInstances({ AppId: 'app-11', InstanceIds: 'demo-11' }),
    ).ChangeOrderId;
    await sleep(4 * STEP_MS);
    expect(data(await describeChangeOrder(eight))).toMatchObject({
      Status: 8,
      BatchType: 'manual',
      Auto: false,
    });
    expect(data(await describeChangeOrder(eleven))).toMatchObject({ Status: 11, ApprovalId: eleven });
    expect(remaining().sort()).toEqual(['demo-11', 'demo-8']);
    expect((await deleteInstances({ AppId: 'app-11', InstanceIds: 'demo-11' })).body.Code).toBe(
      'Application.ChangerOrderRunning',
    );
  });

  test('a running order keeps the step it started with', async () => {
    seedApp();
    seedInstances(['demo-1']);
    const { ChangeOrderId: id } = data<{ ChangeOrderId: string }>(
      await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' }),
    );
    emu.setSettings({ durations: { [SAE_CHANGE_ORDER_STEP]: 60_000 } });
    await sleep(2 * STEP_MS + 30);
    expect(data(await describeChangeOrder(id)).Status).toBe(2);
  });

  test("unknown (or another account's) change orders are InvalidChangeOrder.NotFound", async () => {
    seedApp();
    seedInstances(['demo-1']);
    const { ChangeOrderId: id } = data<{ ChangeOrderId: string }>(
      await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' }),
    );
    for (const reply of [await describeChangeOrder('nope'), await describeChangeOrder(id, 'other')]) {
      expect([reply.status, reply.body.Code]).toEqual([400, 'InvalidChangeOrder.NotFound']);
    }
    const missing = await roa('GET', '/pop/v1/sam/changeorder/DescribeChangeOrder', {});
    expect(missing.body.Code).toBe('InvalidParameter.NotEmpty');
  });
});

describe('DescribeApplicationInstances and DescribeApplicationGroups', () => {
  test('lists a group page by page (CurrentPage asked; PageSize and TotalSize answered, as the model has)', async () => {
    seedApp();
    seedInstances(Array.from({ length: 25 }, (_, i) => `demo-${String(i).padStart(2, '0')}`));
    const group = `${APP}-default-group`;
    const first = data<{
      PageSize: number;
      TotalSize: number;
      Instances: Array<Record<string, unknown>>;
    }>(await describeInstances({ AppId: APP, GroupId: group }));
    expect(first).toMatchObject({ PageSize: 10, TotalSize: 25 });
    expect(first).not.toHaveProperty('CurrentPage');
    expect(first.Instances.map((i) => i.InstanceId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `demo-${String(i).padStart(2, '0')}`),
    );
    expect(first.Instances[0]).toMatchObject({
      InstanceId: 'demo-00',
      GroupId: group,
      InstanceContainerStatus: 'Running',
      InstanceHealthStatus: 'WithoutHealthCheckConfig',
      CreateTimeStamp: expect.any(Number),
    });
    const third = data<{ Instances: unknown[] }>(
      await describeInstances({ AppId: APP, GroupId: group, CurrentPage: '3', PageSize: '10' }),
    );
    expect(third.Instances).toHaveLength(5);
    const one = data<{ Instances: Array<{ InstanceId: string }>; TotalSize: number }>(
      await describeInstances({ AppId: APP, GroupId: group, InstanceId: 'demo-07' }),
    );
    expect([one.TotalSize, one.Instances.map((i) => i.InstanceId)]).toEqual([1, ['demo-07']]);
  });

  test('shows Terminating while a change order removes an instance', async () => {
    seedApp();
    seedInstances(['demo-1', 'demo-2']);
    await deleteInstances({ AppId: APP, InstanceIds: 'demo-1' });
    const page = data<{ Instances: Array<{ InstanceId: string; InstanceContainerStatus: string }> }>(
      await describeInstances({ AppId: APP, GroupId: `${APP}-default-group` }),
    );
    expect(page.Instances.map((i) => [i.InstanceId, i.InstanceContainerStatus])).toEqual([
      ['demo-1', 'Terminating'],
      ['demo-2', 'Running'],
    ]);
  });

  test('groups: the default one plus any an instance names', async () => {
    seedApp({ GroupId: 'grp-default' });
    seedInstances(['demo-1', 'demo-2']);
    seedInstances(['demo-3'], { GroupId: 'grp-canary' });
    const groups = data<Array<Record<string, unknown>>>(await describeGroups({ AppId: APP }));
    expect(groups.map((g) => [g.GroupId, g.GroupName, g.Replicas])).toEqual([
      ['grp-default', '_DEFAULT_GROUP', 2],
      ['grp-canary', 'grp-canary', 1],
    ]);
    const canary = data<{ Instances: Array<{ InstanceId: string }> }>(
      await describeInstances({ AppId: APP, GroupId: 'grp-canary' }),
    );
    expect(canary.Instances.map((i) => i.InstanceId)).toEqual(['demo-3']);
  });

  test('refuses bad input the way SAE does', async () => {
    seedApp();
    const cases: Array<[Record<string, string>, string]> = [
      [{ GroupId: 'g' }, 'InvalidParameter.NotEmpty'],
      [{ AppId: APP }, 'InvalidParameter.NotEmpty'],
      [{ AppId: APP, GroupId: 'no-such-group' }, 'InvalidParameter.Obviously'],
      [{ AppId: APP, GroupId: `${APP}-default-group`, PageSize: '0' }, 'InvalidParameter.Obviously'],
      [{ AppId: APP, GroupId: `${APP}-default-group`, CurrentPage: 'two' }, 'InvalidParameter.Obviously'],
      [{ AppId: 'no-such-app', GroupId: 'g' }, 'InvalidApplication.NotFound'],
    ];
    for (const [query, code] of cases) {
      const reply = await describeInstances(query);
      expect([reply.status, reply.body.Code]).toEqual([400, code]);
    }
    expect((await describeGroups({ AppId: 'no-such-app' })).body.Code).toBe('InvalidApplication.NotFound');
  });
});

test('routes by method and path: a wrong method is InvalidAction.NotFound', async () => {
  const reply = await roa('GET', '/pop/v1/sam/app/deleteInstances', { AppId: APP, InstanceIds: 'x' });
  expect([reply.status, reply.body.Code]).toEqual([404, 'InvalidAction.NotFound']);
});

test('seeding fills SAE defaults: instances Running, applications deployed', () => {
  const [app, instance] = emu.seed([
    { type: SAE_APPLICATION_TYPE, id: APP },
    { type: SAE_INSTANCE_TYPE, id: 'demo-1', attributes: { AppId: APP } },
  ]);
  expect(app).toMatchObject({ status: 'RUNNING', attributes: { deployed: true } });
  expect(instance).toMatchObject({ status: 'Running', attributes: { AppId: APP } });
});
