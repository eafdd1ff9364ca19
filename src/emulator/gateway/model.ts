// Step: the request checked against the provider's official API model (src/emulator/models), the
// way each gateway refuses it: Tencent answers UnknownParameter / MissingParameter /
// InvalidParameterValue; Alibaba and Volcengine answer MissingParameter / InvalidParameter and
// ignore parameters they do not know (as their gateways do). Actions without a model pass.
import { actionModel } from '../models';
import { checkFlatParams, checkJsonParams, type Violation } from '../models/model';
import { EmulatorApiError, type ApiCall } from '../types';
import { callOf, fail, type GatewayStep } from './chain';

function refusal(call: ApiCall, v: Violation): EmulatorApiError | undefined {
  const expected = v.expected ? ` (expected ${v.expected})` : '';
  if (call.provider === 'tencentcloud') {
    if (v.problem === 'unknown')
      return new EmulatorApiError(400, 'UnknownParameter', `The parameter \`${v.name}\` is not recognized.`);
    if (v.problem === 'missing')
      return new EmulatorApiError(
        400,
        'MissingParameter',
        `The request is missing a required parameter \`${v.name}\`.`,
      );
    return new EmulatorApiError(
      400,
      'InvalidParameterValue',
      `The value type of parameter \`${v.name}\` is not valid${expected}.`,
    );
  }
  if (v.problem === 'unknown') return undefined;
  // SAE's own error table (seed 002) names its answers to a missing and a malformed parameter.
  if (call.provider === 'alibabacloud' && call.service === 'sae') {
    return v.problem === 'missing'
      ? new EmulatorApiError(400, 'InvalidParameter.NotEmpty', `You must specify the parameter ${v.name}.`)
      : new EmulatorApiError(
          400,
          'InvalidParameter.Obviously',
          `The specified parameter ${v.name} is invalid${expected}.`,
        );
  }
  if (v.problem === 'missing')
    return new EmulatorApiError(
      400,
      'MissingParameter',
      `The input parameter "${v.name}" that is mandatory for processing this request is not supplied.`,
    );
  return new EmulatorApiError(
    400,
    'InvalidParameter',
    `The specified parameter "${v.name}" is not valid${expected}.`,
  );
}

export const modelStep: GatewayStep = {
  name: 'model',
  request(ex, core) {
    if (!core.settings.modelChecks) return undefined;
    const call = callOf(ex);
    const model = actionModel(call);
    if (!model) return undefined;
    const violations =
      call.provider === 'tencentcloud'
        ? checkJsonParams(model, call.params)
        : checkFlatParams(model, call.params);
    for (const v of violations) {
      const error = refusal(call, v);
      if (error) return fail(error);
    }
    return undefined;
  },
};
