import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import { familyCall } from './family.js';
import type { Plan } from './plan.js';

/** softmax and logSoftmax: same arguments, result shaped like x. */
export function planForward(
  context: SupportContext,
  op: 'softmax' | 'logSoftmax',
  x: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const call = familyCall(x, options, 'x');
  const length = call.x.data.length;
  const kernel = requireSupport(context, op, call.x.dtype, [length]);
  const out = outputArray(options?.out, call.x.dtype, length, call.inputs);
  const shape = [...call.x.shape];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const args = { x: call.x.data, view: call.view, mask: call.mask, invTemperature: call.invTemperature, out };
  return { run: () => kernel(args), finish };
}
