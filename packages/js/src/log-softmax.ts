import type { FloatArray, ForwardArgs } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { forwardSlice, MODE_LOG_SOFTMAX } from './forward-slice.js';
import { forwardStrided } from './forward-strided.js';
import { isFiniteNumber, rowMax } from './row-max.js';
import type { Workspace } from './workspace.js';

/**
 * log softmax(x * invT) = (x - max) * invT - log(sum exp((x - max) * invT)), never via
 * log(softmax), so finite inputs never give -Infinity.
 */
export function logSoftmax(args: ForwardArgs, ws: Workspace): void {
  const { view, mask, x, out, invTemperature } = args;
  if (view.inner !== 1 || mask !== null) {
    forwardStrided(MODE_LOG_SOFTMAX, view, mask, x, out, invTemperature, ws);
  } else if (ws.fastExp && x instanceof Float32Array && out instanceof Float32Array) {
    logSoftmaxRowsF32(x, out, view.outer, view.n, invTemperature);
  } else {
    logSoftmaxRows(x, out, view.outer, view.n, invTemperature);
  }
}

function logSoftmaxRowsF32(x: Float32Array, out: Float32Array, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    if (!isFiniteNumber(m)) {
      forwardSlice(MODE_LOG_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    let s0 = 0;
    let s1 = 0;
    let j = start;
    for (; j + 1 < end; j += 2) {
      s0 += fastExp((x[j] - m) * invT);
      s1 += fastExp((x[j + 1] - m) * invT);
    }
    if (j < end) s0 += fastExp((x[j] - m) * invT);
    const s = s0 + s1;
    if (Number.isNaN(s)) {
      forwardSlice(MODE_LOG_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    const logS = Math.log(s);
    for (let j = start; j < end; j++) out[j] = (x[j] - m) * invT - logS;
  }
}

function logSoftmaxRows(x: FloatArray, out: FloatArray, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    if (!isFiniteNumber(m)) {
      forwardSlice(MODE_LOG_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    let s = 0;
    for (let j = start; j < end; j++) s += Math.exp((x[j] - m) * invT);
    if (Number.isNaN(s)) {
      forwardSlice(MODE_LOG_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    const logS = Math.log(s);
    for (let j = start; j < end; j++) out[j] = (x[j] - m) * invT - logS;
  }
}
