// Every cloud family (signature scheme) and product the emulator serves. A product registers
// itself (src/emulator/products.ts); the generated list loads every kind's product. Adding a
// cloud is one import and one list entry here.
import { alibabaFamily } from './alibabacloud/family';
import './products.generated';
// STS AssumeRole (temporary keys of another account's role): not a kind, so listed here.
import './alibabacloud/sts';
import './tencentcloud/sts';
import type { CloudFamily } from './types';
import { tencentFamily } from './tencentcloud/family';
import { volcengineFamily } from './volcengine/family';

export { PRODUCTS, registerProduct } from './products';

export const FAMILIES: CloudFamily[] = [alibabaFamily, tencentFamily, volcengineFamily];
