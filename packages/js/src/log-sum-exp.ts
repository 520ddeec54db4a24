import type { LogSumExpArgs } from '@softmax-kit/core';
import { forwardSlice, MODE_LOG_SUM_EXP } from './forward-slice.js';
import { forwardLanes } from './forward-strided.js';
import { maskBase, maskStride } from './mask.js';
import { isFiniteNumber, maskedSliceMax } from './row-max.js';
import { MAX_MISSES, maskedSampleMax, SHIFT_SUM_LIMIT } from './shift.js';
import { maskedSumExp, shiftSum } from './sum-exp.js';
import type { Workspace } from './workspace.js';

/** log sum exp(x * invT) along n = max * invT + log(sum exp((x - max) * invT)). */
export function logSumExp(args: LogSumExpArgs, ws: Workspace): void {
  if (forwardLanes(MODE_LOG_SUM_EXP, args, ws)) return;
  const { view, mask, x, out, invTemperature: invT } = args;
  const { outer, n, inner } = view;
  const fast = ws.fastExp && x instanceof Float32Array;
  const ms = mask === null ? 0 : maskStride(mask, view);
  const pair = ws.pair;
  let misses = 0; // slices whose max estimate did not do (see MAX_MISSES)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      const md = mask === null ? null : mask.data;
      const mb = mask === null ? 0 : maskBase(mask, view, o, i);
      let m: number;
      let s: number;
      if (md === null) {
        // With the fast exp, shift by an estimate of the max first (see shift.ts).
        if (shiftSum(x, start, inner, n, invT, fast, misses < MAX_MISSES, pair)) misses++;
        m = pair[0];
        s = pair[1];
      } else {
        // Kept inline: a shared masked helper measured 9-12% slower here (masked, last axis).
        m = Number.NaN;
        s = Number.NaN;
        if (fast && misses < MAX_MISSES) {
          m = maskedSampleMax(x, start, inner, n, md, mb, ms);
          if (isFiniteNumber(m)) s = maskedSumExp(x, start, inner, end, m, invT, md, mb, ms, fast);
          if (!(s < SHIFT_SUM_LIMIT)) misses++;
        }
        if (!(s < SHIFT_SUM_LIMIT)) {
          m = maskedSliceMax(x, start, inner, end, md, mb, ms);
          s = isFiniteNumber(m) ? maskedSumExp(x, start, inner, end, m, invT, md, mb, ms, fast) : Number.NaN;
        }
      }
      out[o * inner + i] = Number.isNaN(s)
        ? forwardSlice(MODE_LOG_SUM_EXP, x, out, start, inner, n, invT, md, mb, ms)
        : m * invT + Math.log(s);
    }
  }
}
