import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { checkTensor } from '../validate/arrays.js';
import { checkOptionKeys, SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import { divideBy } from './extreme-temperature.js';
import { checkFamily, familyInputs, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

/** softmaxJacobian(y): y's shape with n appended; J[..., i (at axis), ..., j] = dy_i / dx_j. */
export function planJacobian(
  context: SupportContext,
  y: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, 'softmaxJacobian');
  const input = checkTensor(y, 'y');
  const family = checkFamily(o, input);
  const { n } = family.view;
  const length = input.data.length * n;
  const kernel = requireSupport(context, 'softmaxJacobian', input.dtype, [input.data.length, length]);
  const out = outputArray(o.out, input.dtype, length, familyInputs(family, input), unzeroedResults(context));
  const shape = [...input.shape, n];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const args = {
    y: input.data,
    view: family.view,
    mask: familyMask(family, input.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  if (!family.extreme) return { run: () => kernel(args), finish };
  return {
    run: () => kernel(args),
    finish: () => {
      divideBy(out, family.temperature);
      return finish();
    },
  };
}
