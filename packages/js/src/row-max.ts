import type { FloatArray } from '@softmax-kit/core';

/**
 * The largest of x[start], x[start + stride], ... below end, ignoring NaN (a comparison with
 * NaN is false); -Infinity when there is none. Four running maxima break the dependency chain.
 */
export function sliceMax(x: FloatArray, start: number, stride: number, end: number): number {
  let m0 = -Infinity;
  let m1 = -Infinity;
  let m2 = -Infinity;
  let m3 = -Infinity;
  const step = 4 * stride;
  let j = start;
  for (; j + 3 * stride < end; j += step) {
    const v0 = x[j];
    const v1 = x[j + stride];
    const v2 = x[j + 2 * stride];
    const v3 = x[j + 3 * stride];
    if (v0 > m0) m0 = v0;
    if (v1 > m1) m1 = v1;
    if (v2 > m2) m2 = v2;
    if (v3 > m3) m3 = v3;
  }
  for (; j < end; j += stride) {
    const v = x[j];
    if (v > m0) m0 = v;
  }
  if (m1 > m0) m0 = m1;
  if (m3 > m2) m2 = m3;
  if (m2 > m0) m0 = m2;
  return m0;
}

/** The largest of the elements that take part (md[k] !== 0, k stepping by ms from mb). */
export function maskedSliceMax(
  x: FloatArray,
  start: number,
  stride: number,
  end: number,
  md: Uint8Array,
  mb: number,
  ms: number,
): number {
  let m = -Infinity;
  for (let j = start, k = mb; j < end; j += stride, k += ms) {
    if (md[k] === 0) continue;
    const v = x[j];
    if (v > m) m = v;
  }
  return m;
}

/** True for a finite number: the fast loops hand anything else to the careful path. */
export function isFiniteNumber(v: number): boolean {
  return v > -Infinity && v < Infinity;
}
