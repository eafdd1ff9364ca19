// The gateway's model step: requests refused against the official API models the way each
// gateway refuses them (Tencent UnknownParameter / MissingParameter / InvalidParameterValue,
// Alibaba and Volcengine MissingParameter / InvalidParameter, SAE its own codes).
import { alibabaFamily } from '../../src/emulator/alibabacloud/family';
import { EmulatorCore } from '../../src/emulator/core';
import type { Exchange } from '../../src/emulator/gateway';
import { modelStep } from '../../src/emulator/gateway/model';
import { checkFlatParams, checkJsonParams } from '../../src/emulator/models/model';
import { actionModel } from '../../src/emulator/models';
import type { ApiCall, CloudProvider } from '../../src/emulator/types';
import { alibabaSdk, callAlibabaRpc, useEmulator } from '../helpers/provider-harness';

const core = new EmulatorCore([], []);

function refusalOf(
  provider: CloudProvider,
  service: string,
  version: string,
  action: string,
  params: Record<string, unknown>,
) {
  const call = { provider, service, version, action, params } as ApiCall;
  const ex = { family: alibabaFamily, raw: {}, requestId: 'r', call } as unknown as Exchange;
  const answer = modelStep.request(ex, core) as
    | { outcome: { ok: boolean; error?: { code: string; message: string } } }
    | undefined;
  return answer?.outcome.error;
}

describe('model checks', () => {
  it('Tencent: unknown, missing and mistyped parameters', () => {
    const gaap = (params: Record<string, unknown>) =>
      refusalOf('tencentcloud', 'gaap', '2018-05-29', 'DestroyProxies', params);
    expect(gaap({ Force: 0, ProxyIds: ['link-1'] })).toBeUndefined();
    expect(gaap({ Force: 0, ProxyIds: ['link-1'], ProxyIdz: ['x'] })).toMatchObject({
      code: 'UnknownParameter',
      message: expect.stringContaining('ProxyIdz'),
    });
    expect(gaap({ ProxyIds: ['link-1'] })).toMatchObject({
      code: 'MissingParameter',
      message: expect.stringContaining('Force'),
    });
    expect(gaap({ Force: '0', ProxyIds: ['link-1'] })).toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('Force'),
    });
    expect(gaap({ Force: 0, ProxyIds: 'link-1' })).toMatchObject({ code: 'InvalidParameterValue' });
    // MS: the seed document is the model.
    expect(refusalOf('tencentcloud', 'ms', '2018-04-08', 'DeleteScanInstances', {})).toMatchObject({
      code: 'MissingParameter',
    });
  });

  it('Volcengine: mistyped parameters refused, unknown ones ignored as its gateway does', () => {
    const stop = (params: Record<string, unknown>) =>
      refusalOf('volcengine', 'ecs', '2020-04-01', 'StopInstances', params);
    expect(stop({ 'InstanceIds.1': 'i-1', ForceStop: 'true' })).toBeUndefined();
    expect(stop({ 'InstanceIds.1': 'i-1', ForceStop: 'yes' })).toMatchObject({ code: 'InvalidParameter' });
    expect(stop({ 'InstanceIds.x': 'i-1' })).toMatchObject({ code: 'InvalidParameter' });
    expect(stop({ 'InstanceIds.1': 'i-1', Unknown: '1' })).toBeUndefined();
  });

  it('SAE: its own codes for a missing and a malformed parameter', () => {
    const describe = (params: Record<string, unknown>) =>
      refusalOf('alibabacloud', 'sae', '2019-05-06', 'DescribeApplicationInstances', params);
    expect(describe({ AppId: 'a' })).toMatchObject({
      code: 'InvalidParameter.NotEmpty',
      message: 'You must specify the parameter GroupId.',
    });
    expect(describe({ AppId: 'a', GroupId: 'g', PageSize: 'ten' })).toMatchObject({
      code: 'InvalidParameter.Obviously',
    });
  });

  it('checks flattened lists and lists of objects by the model', () => {
    const model = actionModel({
      provider: 'alibabacloud',
      service: 'ecs',
      version: '2014-05-26',
      action: 'DescribeInstances',
    })!;
    expect(
      checkFlatParams(model, { RegionId: 'r', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a', MaxResults: '100' }),
    ).toEqual([]);
    expect(
      checkFlatParams(model, { RegionId: 'r', 'Tag.1.Colour': 'x', 'Tag.0.Key': 'k', MaxResults: '1e2' }),
    ).toEqual([
      { problem: 'unknown', name: 'Tag.1.Colour' },
      { problem: 'type', name: 'Tag.0.Key', expected: expect.stringContaining('array') },
      { problem: 'type', name: 'MaxResults', expected: 'number' },
    ]);
    const gaap = actionModel({
      provider: 'tencentcloud',
      service: 'gaap',
      version: '2018-05-29',
      action: 'DescribeProxies',
    })!;
    expect(checkJsonParams(gaap, { Filters: [{ Name: 'ProjectId', Values: ['0'] }], Limit: 10 })).toEqual([]);
    expect(checkJsonParams(gaap, { Filters: [{ Name: 'ProjectId', Value: '0' }] })).toEqual([
      { problem: 'type', name: 'Filters', expected: 'array of object' },
    ]);
  });

  it('can be switched off (settings.modelChecks)', () => {
    const off = new EmulatorCore([], [], { modelChecks: false });
    const call = {
      provider: 'tencentcloud',
      service: 'gaap',
      version: '2018-05-29',
      action: 'DestroyProxies',
      params: {},
    } as ApiCall;
    expect(modelStep.request({ call } as unknown as Exchange, off)).toBeUndefined();
  });
});

describe('model checks through the Alibaba SDK', () => {
  const em = useEmulator();
  it('answers MissingParameter and InvalidParameter in Alibaba’s body', async () => {
    const client = alibabaSdk(em.endpoint, em.accounts.alibabacloud);
    const missing = await callAlibabaRpc(client, 'DeleteInstances', { 'InstanceId.1': 'i-1' });
    expect(missing).toMatchObject({ ok: false, status: 400, code: 'MissingParameter' });
    expect(missing.body.Message).toContain('"RegionId"');
    const mistyped = await callAlibabaRpc(client, 'DescribeInstances', {
      RegionId: 'cn-hangzhou',
      MaxResults: 'many',
    });
    expect(mistyped).toMatchObject({ ok: false, status: 400, code: 'InvalidParameter' });
  });
});
