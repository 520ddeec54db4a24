import type { FloatArray } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { isFiniteNumber, sliceMax } from './row-max.js';
import { SHIFT_SUM_LIMIT, sampleMax } from './shift.js';

/**
 * The shift m and sum s = sum exp((x - m) * invT) of one slice (x[start], x[start + stride],
 * ..., n elements) for log-softmax and log-sum-exp, written to pair[0] and pair[1]
 * (Workspace.pair, so nothing is allocated per slice). With `estimate` (and the fast exp) m is
 * first the sampled estimate (see shift.ts); when its sum is not below SHIFT_SUM_LIMIT the slice
 * is redone with the exact max. s is NaN when the careful path (forwardSlice) must take over.
 * Returns true when an estimate was tried and missed (see MAX_MISSES).
 */
export function shiftSum(
  x: FloatArray,
  start: number,
  stride: number,
  n: number,
  invT: number,
  fast: boolean,
  estimate: boolean,
  pair: Float64Array,
): boolean {
  const end = start + n * stride;
  let m = Number.NaN;
  let s = Number.NaN;
  let missed = false;
  if (fast && estimate && x instanceof Float32Array) {
    m = sampleMax(x, start, stride, n);
    s = sumExpF32(x, start, stride, end, m, invT);
    missed = !(s < SHIFT_SUM_LIMIT);
  }
  if (!(s < SHIFT_SUM_LIMIT)) {
    m = sliceMax(x, start, stride, end);
    s = Number.NaN;
    if (isFiniteNumber(m)) {
      s =
        fast && x instanceof Float32Array
          ? sumExpF32(x, start, stride, end, m, invT)
          : sumExp(x, start, stride, end, m, invT);
    }
  }
  pair[0] = m;
  pair[1] = s;
  return missed;
}

/**
 * sum exp((x[j] - m) * invT) over x[start], x[start + stride], ... below end: the second pass of
 * log-softmax and log-sum-exp. Four sums break the add latency chain; NaN inputs give NaN.
 */
export function sumExpF32(
  x: Float32Array,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const step = 4 * stride;
  let j = start;
  for (; j + 3 * stride < end; j += step) {
    s0 += fastExp((x[j] - m) * invT);
    s1 += fastExp((x[j + stride] - m) * invT);
    s2 += fastExp((x[j + 2 * stride] - m) * invT);
    s3 += fastExp((x[j + 3 * stride] - m) * invT);
  }
  for (; j < end; j += stride) s0 += fastExp((x[j] - m) * invT);
  return s0 + s1 + (s2 + s3);
}

/**
 * Elements per partial sum of the float64 (exact exp) passes. Each block is summed plainly and
 * the block sums are added with compensation (Neumaier), so the rounding error stays that of a
 * SUM_BLOCK-term sum however long the row: a plain sum over a 2^24-element float64 row was off
 * by 1e-12 relative, the float64 bound. The terms are exps in [0, 1], so no abs is needed.
 */
export const SUM_BLOCK = 1024;

/** The same with Math.exp (float64, or float32 with the exact exp), summed in compensated blocks. */
export function sumExp(
  x: FloatArray,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
): number {
  let total = 0;
  let comp = 0;
  const blockSpan = SUM_BLOCK * stride;
  for (let b = start; b < end; b += blockSpan) {
    const blockEnd = Math.min(end, b + blockSpan);
    let s0 = 0;
    let s1 = 0;
    let j = b;
    for (; j + stride < blockEnd; j += 2 * stride) {
      s0 += Math.exp((x[j] - m) * invT);
      s1 += Math.exp((x[j + stride] - m) * invT);
    }
    if (j < blockEnd) s0 += Math.exp((x[j] - m) * invT);
    const s = s0 + s1;
    const t = total + s;
    comp += total >= s ? total - t + s : s - t + total;
    total = t;
  }
  return total + comp;
}

/** Over the elements that take part (md[k] !== 0, k stepping by ms from mb), in compensated blocks. */
export function maskedSumExp(
  x: FloatArray,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
  md: Uint8Array,
  mb: number,
  ms: number,
  fast: boolean,
): number {
  let total = 0;
  let comp = 0;
  const blockSpan = SUM_BLOCK * stride;
  for (let b = start, k = mb; b < end; b += blockSpan) {
    const blockEnd = Math.min(end, b + blockSpan);
    let s = 0;
    for (let j = b; j < blockEnd; j += stride, k += ms) {
      if (md[k] === 0) continue;
      const d = (x[j] - m) * invT;
      s += fast ? fastExp(d) : Math.exp(d);
    }
    const t = total + s;
    comp += total >= s ? total - t + s : s - t + total;
    total = t;
  }
  return total + comp;
}

/**
 * Stores e_j = exp((x[j] - m) * invT) into out[j] (the same positions) and returns their sum:
 * the second pass of softmax and cross-entropy, which then scale out in place.
 */
export function storeExpF32(
  x: Float32Array,
  out: Float32Array,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const step = 4 * stride;
  let j = start;
  for (; j + 3 * stride < end; j += step) {
    const e0 = fastExp((x[j] - m) * invT);
    const e1 = fastExp((x[j + stride] - m) * invT);
    const e2 = fastExp((x[j + 2 * stride] - m) * invT);
    const e3 = fastExp((x[j + 3 * stride] - m) * invT);
    out[j] = e0;
    out[j + stride] = e1;
    out[j + 2 * stride] = e2;
    out[j + 3 * stride] = e3;
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
  }
  for (; j < end; j += stride) {
    const e = fastExp((x[j] - m) * invT);
    out[j] = e;
    s0 += e;
  }
  return s0 + s1 + (s2 + s3);
}

/** The same with Math.exp (float64, or float32 with the exact exp), summed in compensated blocks. */
export function storeExp(
  x: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
): number {
  let total = 0;
  let comp = 0;
  const blockSpan = SUM_BLOCK * stride;
  for (let b = start; b < end; b += blockSpan) {
    const blockEnd = Math.min(end, b + blockSpan);
    let s0 = 0;
    let s1 = 0;
    let j = b;
    for (; j + stride < blockEnd; j += 2 * stride) {
      const e0 = Math.exp((x[j] - m) * invT);
      const e1 = Math.exp((x[j + stride] - m) * invT);
      out[j] = e0;
      out[j + stride] = e1;
      s0 += e0;
      s1 += e1;
    }
    if (j < blockEnd) {
      const e = Math.exp((x[j] - m) * invT);
      out[j] = e;
      s0 += e;
    }
    const s = s0 + s1;
    const t = total + s;
    comp += total >= s ? total - t + s : s - t + total;
    total = t;
  }
  return total + comp;
}

/** storeExp over the elements that take part (compensated blocks); masked positions get exactly +0. */
export function maskedStoreExp(
  x: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
  md: Uint8Array,
  mb: number,
  ms: number,
  fast: boolean,
): number {
  let total = 0;
  let comp = 0;
  const blockSpan = SUM_BLOCK * stride;
  for (let b = start, k = mb; b < end; b += blockSpan) {
    const blockEnd = Math.min(end, b + blockSpan);
    let s = 0;
    for (let j = b; j < blockEnd; j += stride, k += ms) {
      let e = 0;
      if (md[k] !== 0) {
        const d = (x[j] - m) * invT;
        e = fast ? fastExp(d) : Math.exp(d);
      }
      out[j] = e;
      s += e;
    }
    const t = total + s;
    comp += total >= s ? total - t + s : s - t + total;
    total = t;
  }
  return total + comp;
}

/** out *= k over the slice, four elements per step. */
export function scale(out: FloatArray, start: number, stride: number, end: number, k: number): void {
  const step = 4 * stride;
  let j = start;
  for (; j + 3 * stride < end; j += step) {
    out[j] *= k;
    out[j + stride] *= k;
    out[j + 2 * stride] *= k;
    out[j + 3 * stride] *= k;
  }
  for (; j < end; j += stride) out[j] *= k;
}
