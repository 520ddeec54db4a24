import type { FloatArray, ForwardArgs } from '@softmax-kit/core';
import { forwardSlice, MODE_SOFTMAX } from './forward-slice.js';
import { forwardLanes } from './forward-strided.js';
import { maskBase, maskStride } from './mask.js';
import { isFiniteNumber, maskedSliceMax, sliceMax } from './row-max.js';
import { MAX_MISSES, maskedSampleMax, SHIFT_SUM_LIMIT, sampleMax } from './shift.js';
import { maskedStoreExp, scale, storeExp, storeExpF32 } from './sum-exp.js';
import type { Workspace } from './workspace.js';

/**
 * softmax(x * invT) along n. Slices are done one at a time (stride `inner`, so a small inner
 * needs no transpose either); a large inner goes to the lane-blocked forwardStrided.
 */
export function softmax(args: ForwardArgs, ws: Workspace): void {
  if (forwardLanes(MODE_SOFTMAX, args, ws)) return;
  const { view, mask, x, out, invTemperature: invT } = args;
  const { outer, n, inner } = view;
  let misses = 0; // slices whose max estimate did not do (see MAX_MISSES)
  if (mask !== null) {
    const fast = ws.fastExp && x instanceof Float32Array;
    const ms = maskStride(mask, view);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * n * inner + i;
        const md = mask.data;
        const mb = maskBase(mask, view, o, i);
        if (!softmaxSliceMasked(x, out, start, inner, n, invT, md, mb, ms, fast, misses < MAX_MISSES))
          misses++;
      }
    }
  } else if (ws.fastExp && x instanceof Float32Array && out instanceof Float32Array) {
    // Type checks hoisted out of the slice loop: rows of 128 feel every per-slice cost.
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        if (!softmaxSliceF32(x, out, o * n * inner + i, inner, n, invT, misses < MAX_MISSES)) misses++;
      }
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) softmaxSlice(x, out, o * n * inner + i, inner, n, invT);
    }
  }
}

/**
 * The hot loop (float32, no mask): exp stored unnormalised while summing in float64, then
 * scale. The shift is an estimate of the max (see shift.ts), which saves the max pass; the
 * exact max is only computed when the estimate does not do. A slice of up to ~100k floats stays
 * in cache between the passes.
 */
function softmaxSliceF32(
  x: Float32Array,
  out: Float32Array,
  start: number,
  stride: number,
  n: number,
  invT: number,
  estimate: boolean,
): boolean {
  const end = start + n * stride;
  let s = estimate
    ? storeExpF32(x, out, start, stride, end, sampleMax(x, start, stride, n), invT)
    : Number.NaN;
  const hit = s < SHIFT_SUM_LIMIT;
  if (!hit) {
    const m = sliceMax(x, start, stride, end);
    s = isFiniteNumber(m) ? storeExpF32(x, out, start, stride, end, m, invT) : Number.NaN;
  }
  if (Number.isNaN(s)) forwardSlice(MODE_SOFTMAX, x, out, start, stride, n, invT, null, 0, 0);
  else scale(out, start, stride, end, 1 / s);
  return hit;
}

/** float64 (or float32 with exact exp), no mask: the same passes with Math.exp. */
function softmaxSlice(
  x: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  n: number,
  invT: number,
): void {
  const end = start + n * stride;
  const m = sliceMax(x, start, stride, end);
  const s = isFiniteNumber(m) ? storeExp(x, out, start, stride, end, m, invT) : Number.NaN;
  if (Number.isNaN(s)) forwardSlice(MODE_SOFTMAX, x, out, start, stride, n, invT, null, 0, 0);
  else scale(out, start, stride, end, 1 / s);
}

/** With a mask (dense or broadcast: md[mb + j * ms]); masked elements get exactly +0. */
function softmaxSliceMasked(
  x: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  n: number,
  invT: number,
  md: Uint8Array,
  mb: number,
  ms: number,
  fast: boolean,
  estimate: boolean,
): boolean {
  const end = start + n * stride;
  // With the fast exp, shift by an estimate of the max first (see shift.ts).
  let m = fast && estimate ? maskedSampleMax(x, start, stride, n, md, mb, ms) : Number.NaN;
  let s = isFiniteNumber(m)
    ? maskedStoreExp(x, out, start, stride, end, m, invT, md, mb, ms, fast)
    : Number.NaN;
  const hit = s < SHIFT_SUM_LIMIT;
  if (!hit) {
    m = maskedSliceMax(x, start, stride, end, md, mb, ms);
    s = isFiniteNumber(m)
      ? maskedStoreExp(x, out, start, stride, end, m, invT, md, mb, ms, fast)
      : Number.NaN;
  }
  if (Number.isNaN(s)) forwardSlice(MODE_SOFTMAX, x, out, start, stride, n, invT, md, mb, ms);
  else scale(out, start, stride, end, 1 / s);
  return hit;
}
