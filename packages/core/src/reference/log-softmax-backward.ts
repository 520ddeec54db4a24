import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { prepare } from './prepare.js';
import { accurateSum } from './sum.js';
import { checkOut, checkSameShape } from './validate.js';

/**
 * Vector-Jacobian product of log-softmax: dx_j = (dy_j - exp(logp_j) sum_k dy_k) / T, the sum over
 * the positions that take part; masked positions and logp = -Infinity get 0 and their dy is ignored.
 */
export function logSoftmaxBackward(logp: Tensor, dy: Tensor, options?: SoftmaxOptions): Tensor<Float64Array> {
  const prepared = prepare(logp, options, 'logp', 'logSoftmaxBackward', SOFTMAX_OPTIONS, {
    tensor: dy,
    argument: 'dy',
  });
  checkSameShape(logp.shape, dy.shape, 'dy');
  checkOut(options?.out, logp.data, logp.data.length);
  const result = new Float64Array(logp.data.length);
  for (const slice of prepared.slices) {
    const active = slice.filter(
      (k) => prepared.takesPart[k] !== 0 && logp.data[k] !== Number.NEGATIVE_INFINITY,
    );
    const total = accurateSum(active.map((k) => dy.data[k]));
    for (const k of active) result[k] = (dy.data[k] - Math.exp(logp.data[k]) * total) / prepared.temperature;
  }
  return { data: result, shape: [...logp.shape] };
}
