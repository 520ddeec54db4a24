import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import { familyCall } from './family.js';
import type { Plan } from './plan.js';

/** softmaxJacobian(y): y's shape with n appended; J[..., i (at axis), ..., j] = dy_i / dx_j. */
export function planJacobian(
  context: SupportContext,
  y: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const call = familyCall(y, options, 'y');
  const { n } = call.view;
  const length = call.x.data.length * n;
  const kernel = requireSupport(context, 'softmaxJacobian', call.x.dtype, [call.x.data.length, length]);
  const out = outputArray(options?.out, call.x.dtype, length, call.inputs);
  const shape = [...call.x.shape, n];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const args = { y: call.x.data, view: call.view, mask: call.mask, invTemperature: call.invTemperature, out };
  return { run: () => kernel(args), finish };
}
