/**
 * A temperature so small that 1 / T is not representable in the data's dtype: a kernel would
 * compute (x - max) * Infinity and give NaN. Core handles it once, for every backend:
 *
 * - forward ops: the kernel gets z_j - max_j(z), with z = x / T computed in float64 like the
 *   reference, and invTemperature 1. softmax and log-softmax do not change under a shift;
 *   log-sum-exp gets the shift added back. A slice whose largest z overflows to +Infinity is
 *   passed as z itself (its +Infinity entries share the mass, as SEMANTICS.md says).
 * - gradients and the Jacobian are linear in 1 / T: the kernel runs with invTemperature 1 and
 *   core divides its output by T (0 / T stays 0).
 */
import type { MaskView, View } from '../backend.js';
import type { FloatArray } from '../types.js';

export interface ScaledInput {
  /** z - shift per slice, in the input's dtype. */
  readonly data: FloatArray;
  /** The shift of each slice (o * inner + i); 0 where nothing was subtracted. */
  readonly shifts: Float64Array;
}

export function scaleInput(
  x: FloatArray,
  view: View,
  mask: MaskView | null,
  temperature: number,
): ScaledInput {
  const { outer, n, inner } = view;
  const data = x instanceof Float64Array ? new Float64Array(x.length) : new Float32Array(x.length);
  const shifts = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const mb = mask === null ? 0 : mask.dense ? base : mask.outerOffsets[o] + mask.innerOffsets[i];
      const ms = mask === null ? 0 : mask.dense ? inner : mask.nStride;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        if (mask !== null && mask.data[mb + j * ms] === 0) continue;
        const v = x[base + j * inner];
        if (v > max) max = v; // NaN never compares greater: the kernel sees it and gives NaN
      }
      const top = max / temperature;
      const shift = Number.isFinite(top) ? top : 0;
      for (let j = 0; j < n; j++) {
        const k = base + j * inner;
        data[k] = x[k] / temperature - shift;
      }
      shifts[o * inner + i] = shift;
    }
  }
  return { data, shifts };
}

/** out[s] += shifts[s]: log-sum-exp of the unshifted z. */
export function addShifts(out: FloatArray, shifts: Float64Array): void {
  for (let s = 0; s < out.length; s++) out[s] += shifts[s];
}

/** out /= temperature: a gradient the kernel computed with invTemperature 1. */
export function divideBy(out: FloatArray, temperature: number): void {
  for (let k = 0; k < out.length; k++) out[k] /= temperature;
}
