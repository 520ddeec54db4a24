import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { normalizeSlice } from './normalize-slice.js';
import { prepare, sliceValues } from './prepare.js';
import { checkOut } from './validate.js';

/** log softmax(x / T) = x / T - logSumExp along the axis, in float64 (-Infinity where masked). */
export function logSoftmax(x: Tensor, options?: SoftmaxOptions): Tensor<Float64Array> {
  const prepared = prepare(x, options, 'x', 'logSoftmax');
  checkOut(options?.out, x.data, x.data.length);
  const result = new Float64Array(x.data.length);
  for (const slice of prepared.slices) {
    const { z, takesPart } = sliceValues(x.data, slice, prepared);
    const { logProbs } = normalizeSlice(z, takesPart);
    slice.forEach((k, j) => {
      result[k] = logProbs[j];
    });
  }
  return { data: result, shape: [...x.shape] };
}
