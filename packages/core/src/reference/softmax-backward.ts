import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { prepare } from './prepare.js';
import { accurateSum } from './sum.js';
import { checkOut, checkSameShape } from './validate.js';

/**
 * Vector-Jacobian product of softmax: dx_j = y_j (dy_j - sum_k dy_k y_k) / T over the positions
 * that take part; 0 elsewhere (a masked position's y and dy are never read).
 */
export function softmaxBackward(y: Tensor, dy: Tensor, options?: SoftmaxOptions): Tensor<Float64Array> {
  const prepared = prepare(y, options, 'y', 'softmaxBackward', SOFTMAX_OPTIONS, {
    tensor: dy,
    argument: 'dy',
  });
  checkSameShape(y.shape, dy.shape, 'dy');
  checkOut(options?.out, y.data, y.data.length);
  const result = new Float64Array(y.data.length);
  for (const slice of prepared.slices) {
    const active = slice.filter((k) => prepared.takesPart[k] !== 0);
    const dot = accurateSum(active.map((k) => dy.data[k] * y.data[k]));
    for (const k of active) result[k] = (y.data[k] * (dy.data[k] - dot)) / prepared.temperature;
  }
  return { data: result, shape: [...y.shape] };
}
