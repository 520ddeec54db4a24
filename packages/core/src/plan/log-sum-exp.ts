import type { LogSumExpOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import { familyCall } from './family.js';
import type { Plan } from './plan.js';

export function planLogSumExp(
  context: SupportContext,
  x: Tensor,
  options: LogSumExpOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const call = familyCall(x, options, 'x');
  const { outer, n, inner } = call.view;
  const length = outer * inner;
  const kernel = requireSupport(context, 'logSumExp', call.x.dtype, [call.x.data.length]);
  const out = outputArray(options?.out, call.x.dtype, length, call.inputs);
  const shape = call.x.shape.flatMap((d, i) => (i !== call.axis ? [d] : options?.keepDims ? [1] : []));
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  if (n === 0) {
    // The sum over an empty axis is 0, so its log is -Infinity.
    out.fill(Number.NEGATIVE_INFINITY);
    return { finish };
  }
  const args = { x: call.x.data, view: call.view, mask: call.mask, invTemperature: call.invTemperature, out };
  return { run: () => kernel(args), finish };
}
