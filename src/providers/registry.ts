// Every kind's provider module, by kind name. Adding a kind: write src/providers/<cloud>/<product>.ts
// exporting a KindProvider, add it here, and enable it in src/kinds.ts.
import type { KindName } from '../kinds';
import type { KindProvider } from './types';
import { alibabaEcsInstance } from './alibabacloud/ecs';
import { alibabaSaeInstance } from './alibabacloud/sae';
import { tencentGaapProxy } from './tencentcloud/gaap';
import { tencentMsScan } from './tencentcloud/ms';
import { volcengineEcsInstance } from './volcengine/ecs';

export const PROVIDERS: Record<KindName, KindProvider> = {
  'alibabacloud.ecs.instance': alibabaEcsInstance,
  'alibabacloud.sae.instance': alibabaSaeInstance,
  'tencentcloud.gaap.proxy': tencentGaapProxy,
  'tencentcloud.ms.scan': tencentMsScan,
  'volcengine.ecs.instance': volcengineEcsInstance,
};
