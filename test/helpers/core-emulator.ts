// The emulator the core tests share: the registry's products plus a buggy one, short ECS
// durations, one Stopped instance seeded before each test, and Alibaba RPC calls through the SDK.
import type OpenApi from '@alicloud/openapi-client';
import { emulatorAccount } from '../../src/emulator/accounts';
import { PRODUCTS } from '../../src/emulator/registry';
import { EmulatorApiError, type ProductHandler } from '../../src/emulator/types';
import { adminRequest, alibabaSdk, callAlibabaRpc, useEmulator } from './provider-harness';

export function useCoreEmulator() {
  const TYPE = 'alibabacloud.ecs.instance';
  const REGION = 'cn-hangzhou';

  // A product whose handler has a bug, to check the core turns it into InternalError.
  const buggyProduct: ProductHandler = {
    provider: 'alibabacloud',
    service: 'buggy',
    version: '2099-01-01',
    actions: {
      Explode: () => {
        throw new TypeError('cannot read properties of undefined');
      },
      Refuse: () => {
        throw new EmulatorApiError(409, 'Custom.Refusal', 'refused on purpose');
      },
    },
  };

  const em = useEmulator({
    products: [...PRODUCTS, buggyProduct],
    settings: { durations: { 'alibabacloud.ecs.delete': 200, 'alibabacloud.ecs.stop': 200 } },
  });

  const sdkFor = (account: 'default' | 'other') =>
    alibabaSdk(em.endpoint, emulatorAccount('alibabacloud', account));

  let client: OpenApi;
  beforeAll(() => {
    client = sdkFor('default');
  });
  beforeEach(() => {
    em.seed([{ type: TYPE, id: 'i-core00001', region: REGION, status: 'Stopped' }]);
  });

  const call = (
    action: string,
    query: Record<string, string>,
    opts: { version?: string; via?: OpenApi } = {},
  ) => callAlibabaRpc(opts.via ?? client, action, query, { version: opts.version });

  const describe1 = { RegionId: REGION, InstanceIds: '["i-core00001"]' };
  const deleteQuery = (token?: string, ...ids: string[]) => ({
    RegionId: REGION,
    ...(token ? { ClientToken: token } : {}),
    ...Object.fromEntries((ids.length ? ids : ['i-core00001']).map((id, i) => [`InstanceId.${i + 1}`, id])),
  });

  const admin = (method: string, path: string, body?: unknown, rawBody?: string) =>
    adminRequest(em, method, path, body, rawBody);

  return { TYPE, REGION, buggyProduct, em, sdkFor, call, describe1, deleteQuery, admin };
}
