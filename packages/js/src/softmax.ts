import type { FloatArray, ForwardArgs } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { forwardSlice, MODE_SOFTMAX } from './forward-slice.js';
import { forwardStrided } from './forward-strided.js';
import { isFiniteNumber, rowMax } from './row-max.js';
import type { Workspace } from './workspace.js';

/** softmax(x * invT) along n. Contiguous unmasked slices take a dedicated three-pass loop. */
export function softmax(args: ForwardArgs, ws: Workspace): void {
  const { view, mask, x, out, invTemperature } = args;
  if (view.inner !== 1 || mask !== null) {
    forwardStrided(MODE_SOFTMAX, view, mask, x, out, invTemperature, ws);
  } else if (ws.fastExp && x instanceof Float32Array && out instanceof Float32Array) {
    softmaxRowsF32(x, out, view.outer, view.n, invTemperature);
  } else {
    softmaxRows(x, out, view.outer, view.n, invTemperature);
  }
}

/**
 * float32 rows: max, then the table exp stored unnormalised while summing in float64, then
 * scale. A row of up to ~100k floats stays in cache between the passes.
 */
function softmaxRowsF32(x: Float32Array, out: Float32Array, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    if (!isFiniteNumber(m)) {
      forwardSlice(MODE_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    // Two sums, two elements per step: halves the add latency chain.
    let s0 = 0;
    let s1 = 0;
    let j = start;
    for (; j + 1 < end; j += 2) {
      const e0 = fastExp((x[j] - m) * invT);
      const e1 = fastExp((x[j + 1] - m) * invT);
      out[j] = e0;
      out[j + 1] = e1;
      s0 += e0;
      s1 += e1;
    }
    if (j < end) {
      const e = fastExp((x[j] - m) * invT);
      out[j] = e;
      s0 += e;
    }
    const s = s0 + s1;
    if (Number.isNaN(s)) {
      forwardSlice(MODE_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    const inv = 1 / s;
    for (j = start; j < end; j++) out[j] *= inv;
  }
}

/** float64 (or float32 with exact exp) rows: the same passes with Math.exp. */
function softmaxRows(x: FloatArray, out: FloatArray, outer: number, n: number, invT: number): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const m = rowMax(x, start, end);
    if (!isFiniteNumber(m)) {
      forwardSlice(MODE_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    let s = 0;
    for (let j = start; j < end; j++) {
      const e = Math.exp((x[j] - m) * invT);
      out[j] = e;
      s += e;
    }
    if (Number.isNaN(s)) {
      forwardSlice(MODE_SOFTMAX, x, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    const inv = 1 / s;
    for (let j = start; j < end; j++) out[j] *= inv;
  }
}
