import type { FloatArray } from '@softmax-kit/core';
import { LANES } from './workspace.js';

/**
 * One row j of a lane block: w neighbouring slices (x[row + l], l < w) advanced by one element
 * each, with the per-lane state in Workspace.lanes. One small function per row keeps each loop
 * short enough for V8 to inline it. These take either dtype (float64, or float32 with Math.exp);
 * the float32 fast paths use lane-rows-f32.ts.
 */

// Lane slots in Workspace.lanes: running max, sum of exp, then 1 / sum or log(sum). The row
// functions read private copies, which V8 folds into the code (exported bindings it reloads).
const MAX_ = 0;
const SUM_ = LANES;
const NORM_ = 2 * LANES;
export const MAX = MAX_;
export const SUM = SUM_;
export const NORM = NORM_;

export function rowMax(x: FloatArray, row: number, w: number, L: Float64Array): void {
  for (let l = 0; l < w; l++) {
    const v = x[row + l];
    if (v > L[MAX_ + l]) L[MAX_ + l] = v;
  }
}

export function rowStoreExp(
  x: FloatArray,
  out: FloatArray,
  row: number,
  w: number,
  invT: number,
  L: Float64Array,
): void {
  for (let l = 0; l < w; l++) {
    const e = Math.exp((x[row + l] - L[MAX_ + l]) * invT);
    out[row + l] = e;
    L[SUM_ + l] += e;
  }
}

export function rowSumExp(x: FloatArray, row: number, w: number, invT: number, L: Float64Array): void {
  for (let l = 0; l < w; l++) L[SUM_ + l] += Math.exp((x[row + l] - L[MAX_ + l]) * invT);
}

export function rowScale(out: FloatArray, row: number, w: number, L: Float64Array): void {
  for (let l = 0; l < w; l++) out[row + l] *= L[NORM_ + l];
}

export function rowLogSoftmax(
  x: FloatArray,
  out: FloatArray,
  row: number,
  w: number,
  invT: number,
  L: Float64Array,
): void {
  for (let l = 0; l < w; l++) out[row + l] = (x[row + l] - L[MAX_ + l]) * invT - L[NORM_ + l];
}
