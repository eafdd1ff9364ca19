// The official API models the emulator serves by (generated JSON, see model.ts), looked up per
// provider, service, version and action.
import alibabaEcs from './alibabacloud.ecs.json';
import alibabaSae from './alibabacloud.sae.json';
import { apiModelSchema, type ActionModel, type ApiModel } from './model';
import tencentGaap from './tencentcloud.gaap.json';
import tencentMs from './tencentcloud.ms.json';
import volcengineEcs from './volcengine.ecs.json';

export const API_MODELS: readonly ApiModel[] = [
  alibabaEcs,
  alibabaSae,
  tencentGaap,
  tencentMs,
  volcengineEcs,
].map((m) => apiModelSchema.parse(m));

export function actionModel(
  call: { provider: string; service: string; version: string; action: string },
  models: readonly ApiModel[] = API_MODELS,
): ActionModel | undefined {
  const model = models.find(
    (m) => m.provider === call.provider && m.service === call.service && m.version === call.version,
  );
  return model && Object.hasOwn(model.actions, call.action) ? model.actions[call.action] : undefined;
}
