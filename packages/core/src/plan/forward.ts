import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { checkTensor } from '../validate/arrays.js';
import { checkOptionKeys, SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import { scaleInput } from './extreme-temperature.js';
import { checkFamily, familyInputs, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

/** softmax and logSoftmax: same arguments, result shaped like x. */
export function planForward(
  context: SupportContext,
  op: 'softmax' | 'logSoftmax',
  x: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, op);
  const input = checkTensor(x, 'x');
  const family = checkFamily(o, input);
  const length = input.data.length;
  const kernel = requireSupport(context, op, input.dtype, [length]);
  const out = outputArray(o.out, input.dtype, length, familyInputs(family, input), unzeroedResults(context));
  const shape = [...input.shape];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const mask = familyMask(family, input.shape);
  const data = family.extreme
    ? scaleInput(input.data, family.view, mask, family.temperature).data
    : input.data;
  const args = { x: data, view: family.view, mask, invTemperature: kernelInvTemperature(family), out };
  return { run: () => kernel(args), finish };
}
