import type { FloatArray } from '@softmax-kit/core';
import { SUM } from './lane-rows.js';

/**
 * The float32 fast paths shift by an estimate of the slice maximum instead of the exact one,
 * which saves a whole pass over the slice. Any shift g gives the same softmax,
 * exp((x - g) T) / sum exp((x - g) T), as long as nothing overflows: with g taken from the
 * slice itself, one term is exp(0) = 1 so the sum is at least 1, and when the sum stays below
 * SHIFT_SUM_LIMIT every stored exp fits float32 and the result is as accurate as with the exact
 * max. Otherwise (an estimate far below the max, +-Infinity, NaN) the kernel redoes the slice
 * with the exact max, so the estimate only affects speed.
 */
export const SHIFT_SUM_LIMIT = 1e38;

/**
 * After this many slices of one call needed the exact max after all, the rest of the call
 * starts with it: a low temperature (large invT) spreads (x - estimate) * invT past the
 * limit on nearly every slice, and the wasted pass would then cost more than it saves.
 */
export const MAX_MISSES = 4;

/** The largest of nine samples spread over the slice (first, last, and every eighth of it). */
export function sampleMax(x: FloatArray, start: number, stride: number, n: number): number {
  let g = x[start];
  const step = (n >> 3 || 1) * stride;
  const end = start + n * stride;
  for (let j = start + step; j < end; j += step) {
    const v = x[j];
    if (v > g) g = v;
  }
  const last = x[end - stride];
  if (last > g) g = last;
  return g;
}

/** The same over the samples that take part (md[mb + j * ms] !== 0); -Infinity when none does. */
export function maskedSampleMax(
  x: FloatArray,
  start: number,
  stride: number,
  n: number,
  md: Uint8Array,
  mb: number,
  ms: number,
): number {
  let g = -Infinity;
  const q = n >> 3 || 1;
  for (let j = 0; j < n; j += q) {
    const v = x[start + j * stride];
    if (md[mb + j * ms] !== 0 && v > g) g = v;
  }
  const v = x[start + (n - 1) * stride];
  if (md[mb + (n - 1) * ms] !== 0 && v > g) g = v;
  return g;
}

/**
 * For the lane-blocked kernels: true when the sum of every lane (SUM slot of Workspace.lanes)
 * is below SHIFT_SUM_LIMIT, so the block's estimate did; false for NaN.
 */
export function sumsBelowLimit(L: Float64Array, w: number): boolean {
  for (let l = 0; l < w; l++) if (!(L[SUM + l] < SHIFT_SUM_LIMIT)) return false;
  return true;
}

/**
 * The lane-blocked kernels sample rows 0, q, 2q, ... and n - 1 of a block: at most nine rows,
 * and at most about one row in eight. The sampled rows are the block's first touch of memory,
 * so every sample row costs a cache miss per line: at n = 21, sampling 8 rows instead of 2
 * measured 18% slower. A poorer estimate only risks a redo with the exact max (see MAX_MISSES).
 */
export function sampleStep(n: number): number {
  return Math.max(8, (n + 7) >> 3);
}
