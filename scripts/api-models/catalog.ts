// Which official model each emulated product is checked against (docs/provider-fidelity.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiModel } from '../../src/emulator/models/model';
import { teaModels } from './alibaba-tea';
import { API_MODELS_DIR, darabonbaModels, swaggerModels } from './python-models';
import { tencentModels } from './tencent-dts';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const pinned = (name: string): string => `npm ${name}@${manifest.devDependencies[name]}`;

const TENCENT_SERVICES = join(
  require.resolve('tencentcloud-sdk-nodejs/package.json'),
  '../tencentcloud/services',
);

/** Every model, built from the packages (slow-ish: a few hundred ms). */
export function buildModels(): ApiModel[] {
  return [
    {
      provider: 'alibabacloud',
      service: 'ecs',
      version: '2014-05-26',
      source: pinned('@alicloud/ecs20140526'),
      actions: teaModels('@alicloud/ecs20140526', [
        'DescribeInstances',
        'DescribeInstanceStatus',
        'StopInstances',
        'DeleteInstances',
        'ModifyInstanceChargeType',
      ]),
    },
    {
      provider: 'alibabacloud',
      service: 'sae',
      version: '2019-05-06',
      source: 'PyPI alibabacloud-sae20190506==2.11.2',
      actions: darabonbaModels(join(API_MODELS_DIR, 'alibabacloud_sae20190506/models'), [
        'DeleteInstances',
        'DescribeChangeOrder',
        'DescribeApplicationInstances',
        'DescribeApplicationGroups',
      ]),
    },
    {
      provider: 'tencentcloud',
      service: 'gaap',
      version: '2018-05-29',
      source: pinned('tencentcloud-sdk-nodejs'),
      actions: tencentModels(join(TENCENT_SERVICES, 'gaap/v20180529/gaap_models.d.ts'), [
        'DestroyProxies',
        'DescribeProxies',
      ]),
    },
    {
      provider: 'tencentcloud',
      service: 'ms',
      version: '2018-04-08',
      // MS was withdrawn: no SDK package ships DeleteScanInstances any more (tencentcloud-sdk-nodejs
      // 4.1.313 and tencentcloud-sdk-python-ms 3.0.1459 lack it), so the seed document is the model.
      // DescribeScanInstances has neither a package nor a seed: it has no model (unverified).
      source: 'seed shared/seeds/000_767ff8a29e92ea4b.txt (DeleteScanInstances)',
      actions: {
        DeleteScanInstances: {
          request: { AppSids: { type: { kind: 'array', items: { kind: 'string' } }, required: true } },
          response: {
            Progress: { type: { kind: 'integer' }, required: false },
            RequestId: { type: { kind: 'string' }, required: false },
          },
        },
      },
    },
    {
      provider: 'volcengine',
      service: 'ecs',
      version: '2020-04-01',
      source: 'PyPI volcenginesdk-ecs==5.0.54',
      actions: swaggerModels(join(API_MODELS_DIR, 'volcenginesdkecs/models'), [
        'DeleteInstances',
        'StopInstances',
        'ModifyInstanceChargeType',
        'DescribeInstances',
      ]),
    },
  ];
}

export const modelFileName = (m: Pick<ApiModel, 'provider' | 'service'>) => `${m.provider}.${m.service}.json`;
