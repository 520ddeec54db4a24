import type { LogSumExpOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { normalizeSlice } from './normalize-slice.js';
import { prepare, sliceValues } from './prepare.js';
import { reducedShape } from './shape.js';
import { checkOut } from './validate.js';

/** log sum exp(x / T) along the axis, in float64; -Infinity for an empty or fully masked slice. */
export function logSumExp(x: Tensor, options?: LogSumExpOptions): Tensor<Float64Array> {
  const prepared = prepare(x, options, 'x');
  const shape = reducedShape(x.shape, prepared.axis, options?.keepDims ?? false);
  // slicesAlong lists the slices in the row-major order of the reduced shape.
  checkOut(options?.out, x.data, prepared.slices.length);
  const result = new Float64Array(prepared.slices.length);
  prepared.slices.forEach((slice, s) => {
    const { z, takesPart } = sliceValues(x.data, slice, prepared);
    result[s] = normalizeSlice(z, takesPart).logSumExp;
  });
  return { data: result, shape };
}
