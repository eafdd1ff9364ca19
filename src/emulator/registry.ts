// Every cloud family (signature scheme) and product the emulator serves. Adding a cloud or a
// product is one import and one list entry here.
import type { CloudFamily, ProductHandler } from './types';
import { alibabaFamily } from './alibabacloud/family';
import { ecsProduct } from './alibabacloud/ecs';
import { saeProduct } from './alibabacloud/sae';
import { tencentFamily } from './tencentcloud/family';
import { gaapProduct } from './tencentcloud/gaap';
import { msProduct } from './tencentcloud/ms';
import { volcengineFamily } from './volcengine/family';
import { volcengineEcsProduct } from './volcengine/ecs';

export const FAMILIES: CloudFamily[] = [alibabaFamily, tencentFamily, volcengineFamily];

export const PRODUCTS: ProductHandler[] = [
  ecsProduct,
  saeProduct,
  msProduct,
  gaapProduct,
  volcengineEcsProduct,
];
