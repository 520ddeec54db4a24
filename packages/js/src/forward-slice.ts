import type { FloatArray, MaskView, View } from '@softmax-kit/core';
import { MAX, SUM } from './lane-rows.js';
import { maskBase, maskStride } from './mask.js';

export const MODE_SOFTMAX = 0;
export const MODE_LOG_SOFTMAX = 1;
export const MODE_LOG_SUM_EXP = 2;

/**
 * One slice of softmax / log-softmax / log-sum-exp done carefully, element by element, with
 * Math.exp. The fast loops hand over the slices they cannot do with one max-subtract: a NaN
 * that takes part, a +Infinity maximum, or nothing taking part. Element j is
 * x[base + j * stride]; it takes part unless md[mb + j * ms] === 0 (md null: all take part).
 * Writes the slice of `out` (softmax and log-softmax) and returns its log-sum-exp.
 */
export function forwardSlice(
  mode: number,
  x: FloatArray,
  out: FloatArray,
  base: number,
  stride: number,
  n: number,
  invT: number,
  md: Uint8Array | null,
  mb: number,
  ms: number,
): number {
  let m = -Infinity;
  let nan = false;
  let kInf = 0;
  for (let j = 0; j < n; j++) {
    if (md !== null && md[mb + j * ms] === 0) continue;
    const v = x[base + j * stride];
    if (v > m) m = v;
    else if (Number.isNaN(v)) nan = true;
    if (v === Infinity) kInf++;
  }
  let s = 0;
  let lse: number;
  if (nan) lse = Number.NaN;
  else if (m === -Infinity) lse = -Infinity;
  else if (m === Infinity) lse = Infinity;
  else {
    for (let j = 0; j < n; j++) {
      if (md !== null && md[mb + j * ms] === 0) continue;
      s += Math.exp((x[base + j * stride] - m) * invT);
    }
    lse = m * invT + Math.log(s);
  }
  if (mode === MODE_LOG_SUM_EXP) return lse;

  const soft = mode === MODE_SOFTMAX;
  const off = soft ? 0 : -Infinity;
  const invS = 1 / s;
  const logS = Math.log(s);
  // The limit as the +Infinity entries grow together: they share the mass equally.
  const atInf = soft ? 1 / kInf : -Math.log(kInf);
  for (let j = 0; j < n; j++) {
    const idx = base + j * stride;
    let r = off;
    if (md === null || md[mb + j * ms] !== 0) {
      const v = x[idx];
      // -Infinity behaves like a masked position, so it stays exact even next to a NaN.
      if (nan) r = v === -Infinity ? off : Number.NaN;
      else if (m === Infinity) r = v === Infinity ? atInf : off;
      else if (m !== -Infinity) {
        const d = (v - m) * invT;
        r = soft ? Math.exp(d) * invS : d - logS;
      }
    }
    out[idx] = r;
  }
  return lse;
}

/**
 * The end of a block of w lanes (slices i0 .. i0 + w - 1 of outer index o) in the lane-blocked
 * forward kernels, once the MAX and SUM lane slots hold each lane's max and sum: log-sum-exp
 * writes max * invT + log(sum) per lane, and every lane the passes could not do exactly (NaN,
 * +-Infinity maximum, nothing taking part) is redone by forwardSlice. Per lane, not per element.
 */
export function finishLanes(
  mode: number,
  view: View,
  mask: MaskView | null,
  x: FloatArray,
  out: FloatArray,
  invT: number,
  o: number,
  i0: number,
  w: number,
  L: Float64Array,
): void {
  const { n, inner } = view;
  const base = o * inner + i0;
  if (mode === MODE_LOG_SUM_EXP) {
    for (let l = 0; l < w; l++) out[base + l] = L[MAX + l] * invT + Math.log(L[SUM + l]);
  }
  for (let l = 0; l < w; l++) {
    const m = L[MAX + l];
    if (m > -Infinity && m < Infinity && !Number.isNaN(L[SUM + l])) continue;
    const i = i0 + l;
    const md = mask === null ? null : mask.data;
    const mb = mask === null ? 0 : maskBase(mask, view, o, i);
    const ms = mask === null ? 0 : maskStride(mask, view);
    const lse = forwardSlice(mode, x, out, o * n * inner + i, inner, n, invT, md, mb, ms);
    if (mode === MODE_LOG_SUM_EXP) out[base + l] = lse;
  }
}
