import type { LogSumExpOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { LOG_SUM_EXP_OPTIONS } from '../validate/option-keys.js';
import { normalizeSlice } from './normalize-slice.js';
import { prepare, sliceValues } from './prepare.js';
import { reducedShape, sizeOf } from './shape.js';
import { checkKeepDims, checkOut, checkResultSize } from './validate.js';

/** log sum exp(x / T) along the axis, in float64; -Infinity for an empty or fully masked slice. */
export function logSumExp(x: Tensor, options?: LogSumExpOptions): Tensor<Float64Array> {
  const prepared = prepare(x, options, 'x', 'logSumExp', LOG_SUM_EXP_OPTIONS);
  const shape = reducedShape(x.shape, prepared.axis, checkKeepDims(options?.keepDims));
  const count = sizeOf(shape);
  checkResultSize(count, 'x');
  checkOut(options?.out, x.data, count);
  // An empty axis sums to 0, whose log is -Infinity (and a zero-size input lists no slice).
  const result = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  // slicesAlong lists the slices in the row-major order of the reduced shape.
  prepared.slices.forEach((slice, s) => {
    const { z, takesPart } = sliceValues(x.data, slice, prepared);
    result[s] = normalizeSlice(z, takesPart).logSumExp;
  });
  return { data: result, shape };
}
