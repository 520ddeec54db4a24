import type { FloatArray, LogSumExpArgs } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { forwardSlice, MODE_LOG_SUM_EXP } from './forward-slice.js';
import { forwardStrided } from './forward-strided.js';
import { isFiniteNumber, rowMax } from './row-max.js';
import type { Workspace } from './workspace.js';

/** log sum exp(x * invT) along n = max * invT + log(sum exp((x - max) * invT)). */
export function logSumExp(args: LogSumExpArgs, ws: Workspace): void {
  const { view, mask, x, out, invTemperature } = args;
  if (view.inner !== 1 || mask !== null) {
    forwardStrided(MODE_LOG_SUM_EXP, view, mask, x, out, invTemperature, ws);
  } else if (ws.fastExp && x instanceof Float32Array) {
    logSumExpRowsF32(x, out, view.outer, view.n, invTemperature);
  } else {
    logSumExpRows(x, out, view.outer, view.n, invTemperature);
  }
}

function logSumExpRowsF32(x: Float32Array, out: FloatArray, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    let s = Number.NaN;
    if (isFiniteNumber(m)) {
      let s0 = 0;
      let s1 = 0;
      let j = start;
      for (; j + 1 < end; j += 2) {
        s0 += fastExp((x[j] - m) * invT);
        s1 += fastExp((x[j + 1] - m) * invT);
      }
      if (j < end) s0 += fastExp((x[j] - m) * invT);
      s = s0 + s1;
    }
    out[o] = !Number.isNaN(s)
      ? m * invT + Math.log(s)
      : forwardSlice(MODE_LOG_SUM_EXP, x, out, start, 1, n, invT, null, 0, 0);
  }
}

function logSumExpRows(x: FloatArray, out: FloatArray, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    let s = Number.NaN;
    if (isFiniteNumber(m)) {
      s = 0;
      for (let j = start; j < end; j++) s += Math.exp((x[j] - m) * invT);
    }
    out[o] = !Number.isNaN(s)
      ? m * invT + Math.log(s)
      : forwardSlice(MODE_LOG_SUM_EXP, x, out, start, 1, n, invT, null, 0, 0);
  }
}
