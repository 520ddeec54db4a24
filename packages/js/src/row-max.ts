import type { FloatArray } from '@softmax-kit/core';

/**
 * The largest of x[start..end), ignoring NaN (a comparison with NaN is false); -Infinity for
 * an empty range. Four running maxima break the compare dependency chain.
 */
export function rowMax(x: FloatArray, start: number, end: number): number {
  let m0 = -Infinity;
  let m1 = -Infinity;
  let m2 = -Infinity;
  let m3 = -Infinity;
  let j = start;
  for (; j + 3 < end; j += 4) {
    const v0 = x[j];
    const v1 = x[j + 1];
    const v2 = x[j + 2];
    const v3 = x[j + 3];
    if (v0 > m0) m0 = v0;
    if (v1 > m1) m1 = v1;
    if (v2 > m2) m2 = v2;
    if (v3 > m3) m3 = v3;
  }
  for (; j < end; j++) {
    const v = x[j];
    if (v > m0) m0 = v;
  }
  if (m1 > m0) m0 = m1;
  if (m3 > m2) m2 = m3;
  return Math.max(m2, m0);
}

/** True for a finite number: the fast loops hand anything else to the careful path. */
export function isFiniteNumber(v: number): boolean {
  return v > -Infinity && v < Infinity;
}
