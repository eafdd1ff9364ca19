// Alibaba Cloud's answer to a region it does not have (ECS and the POP gateway: HTTP 404
// InvalidRegionId.NotFound), shared by the Alibaba products.
import { ALIBABA_REGIONS } from '../../providers/alibabacloud/regions';
import { inRealRegions } from '../products';
import { EmulatorApiError, type ActionHandler } from '../types';

export function inAlibabaRegions(actions: Record<string, ActionHandler>): Record<string, ActionHandler> {
  return inRealRegions(
    actions,
    ALIBABA_REGIONS,
    () => new EmulatorApiError(404, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist.'),
  );
}
