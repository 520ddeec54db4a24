import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { normalizeSlice } from './normalize-slice.js';
import { prepare, sliceValues } from './prepare.js';
import { checkOut } from './validate.js';

/** softmax(x / T) along the axis, in float64. `out` is checked like the API does, then ignored. */
export function softmax(x: Tensor, options?: SoftmaxOptions): Tensor<Float64Array> {
  const prepared = prepare(x, options, 'x', 'softmax');
  checkOut(options?.out, x.data, x.data.length);
  const result = new Float64Array(x.data.length);
  for (const slice of prepared.slices) {
    const { z, takesPart } = sliceValues(x.data, slice, prepared);
    const { probs } = normalizeSlice(z, takesPart);
    slice.forEach((k, j) => {
      result[k] = probs[j];
    });
  }
  return { data: result, shape: [...x.shape] };
}
