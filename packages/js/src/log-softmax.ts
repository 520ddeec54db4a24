import type { FloatArray, ForwardArgs } from '@softmax-kit/core';
import { forwardSlice, MODE_LOG_SOFTMAX } from './forward-slice.js';
import { forwardLanes } from './forward-strided.js';
import { maskBase, maskStride } from './mask.js';
import { isFiniteNumber, maskedSliceMax } from './row-max.js';
import { MAX_MISSES, maskedSampleMax, SHIFT_SUM_LIMIT } from './shift.js';
import { maskedSumExp, shiftSum } from './sum-exp.js';
import type { Workspace } from './workspace.js';

/**
 * log softmax(x * invT) = (x - max) * invT - log(sum exp((x - max) * invT)), never via
 * log(softmax), so finite inputs never give -Infinity. Subtracting max before log(sum) keeps
 * log(sum) from vanishing next to a large max.
 */
export function logSoftmax(args: ForwardArgs, ws: Workspace): void {
  if (forwardLanes(MODE_LOG_SOFTMAX, args, ws)) return;
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
      if (mask === null) {
        if (shiftSum(x, start, inner, n, invT, fast, misses < MAX_MISSES, pair)) misses++;
        const m = pair[0];
        const s = pair[1];
        if (Number.isNaN(s)) forwardSlice(MODE_LOG_SOFTMAX, x, out, start, inner, n, invT, null, 0, 0);
        else writeLogSoftmax(x, out, start, inner, end, m, invT, Math.log(s));
        continue;
      }
      const md = mask.data;
      const mb = maskBase(mask, view, o, i);
      let m = fast && misses < MAX_MISSES ? maskedSampleMax(x, start, inner, n, md, mb, ms) : Number.NaN;
      let s = isFiniteNumber(m) ? maskedSumExp(x, start, inner, end, m, invT, md, mb, ms, fast) : Number.NaN;
      if (!(s < SHIFT_SUM_LIMIT)) {
        if (fast) misses++;
        m = maskedSliceMax(x, start, inner, end, md, mb, ms);
        s = isFiniteNumber(m) ? maskedSumExp(x, start, inner, end, m, invT, md, mb, ms, fast) : Number.NaN;
      }
      if (Number.isNaN(s)) {
        forwardSlice(MODE_LOG_SOFTMAX, x, out, start, inner, n, invT, md, mb, ms);
        continue;
      }
      const logS = Math.log(s);
      for (let j = start, k = mb; j < end; j += inner, k += ms) {
        out[j] = md[k] === 0 ? -Infinity : (x[j] - m) * invT - logS;
      }
    }
  }
}

function writeLogSoftmax(
  x: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  end: number,
  m: number,
  invT: number,
  logS: number,
): void {
  const step = 4 * stride;
  let j = start;
  for (; j + 3 * stride < end; j += step) {
    out[j] = (x[j] - m) * invT - logS;
    out[j + stride] = (x[j + stride] - m) * invT - logS;
    out[j + 2 * stride] = (x[j + 2 * stride] - m) * invT - logS;
    out[j + 3 * stride] = (x[j + 3 * stride] - m) * invT - logS;
  }
  for (; j < end; j += stride) out[j] = (x[j] - m) * invT - logS;
}
