import type { FloatArray, LogSumExpArgs } from '@softmax-kit/core';
import { EXP_CUTOFF, EXP_K_SCALE, EXP_P0, EXP_P1, EXP_P2, EXP_R_STEP, EXP_TABLE } from './fast-exp.js';
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
  const table = EXP_TABLE;
  const cut = EXP_CUTOFF;
  const kScale = EXP_K_SCALE;
  const rStep = EXP_R_STEP;
  const p0 = EXP_P0;
  const p1 = EXP_P1;
  const p2 = EXP_P2;
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    let s = Number.NaN;
    if (isFiniteNumber(m)) {
      s = 0;
      for (let j = start; j < end; j++) {
        const d = (x[j] - m) * invT;
        if (d >= cut) {
          const k = (d * kScale + 0.5) | 0;
          const r = d + k * rStep;
          s += table[k] * (p0 + r * (p1 + r * p2));
        } else {
          s += Math.exp(d);
        }
      }
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
