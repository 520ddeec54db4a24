import type { FloatArray, MaskView, View } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { forwardSlice, MODE_LOG_SOFTMAX, MODE_LOG_SUM_EXP, MODE_SOFTMAX } from './forward-slice.js';
import { maskBase, maskStride } from './mask.js';
import { LANES, type Workspace } from './workspace.js';

const NO_OFFSETS = new Int32Array(0);

/**
 * softmax / log-softmax / log-sum-exp for any axis and any mask, without a transpose: for each
 * outer index, up to LANES neighbouring slices (consecutive i) advance together, one row j of
 * the [n, inner] block at a time, so memory is read in order while each lane keeps its own
 * running max and sum. Lanes the fast passes cannot do exactly (NaN, +-Infinity maximum,
 * nothing taking part) are redone by forwardSlice.
 * For log-sum-exp `out` has length outer * inner.
 */
export function forwardStrided(
  mode: number,
  view: View,
  mask: MaskView | null,
  x: FloatArray,
  out: FloatArray,
  invT: number,
  ws: Workspace,
): void {
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const fast = ws.fastExp && x instanceof Float32Array;
  const md = mask === null ? null : mask.data;
  const dense = mask?.dense === true;
  const ns = mask === null ? 0 : mask.nStride;
  const io = mask === null ? NO_OFFSETS : mask.innerOffsets;
  const S = LANES; // slot 1: sum of exp
  const A = 2 * LANES; // slot 2: 1 / sum (softmax) or log(sum) (log-softmax)
  for (let o = 0; o < outer; o++) {
    const mo = mask === null || dense ? 0 : mask.outerOffsets[o];
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += LANES) {
      const w = Math.min(LANES, inner - i0);
      for (let l = 0; l < w; l++) {
        L[l] = -Infinity;
        L[S + l] = 0;
      }
      // Pass 1: running max per lane.
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          if (md !== null && md[dense ? row + l : mrow + io[i0 + l]] === 0) continue;
          const v = x[row + l];
          if (v > L[l]) L[l] = v;
        }
      }
      // Pass 2: sum of exp per lane (softmax also stores the unnormalised exp).
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          let e = 0;
          if (md === null || md[dense ? row + l : mrow + io[i0 + l]] !== 0) {
            const d = (x[row + l] - L[l]) * invT;
            e = fast ? fastExp(d) : Math.exp(d);
          }
          if (mode === MODE_SOFTMAX) out[row + l] = e;
          L[S + l] += e;
        }
      }
      // Pass 3: normalise.
      if (mode === MODE_SOFTMAX) {
        for (let l = 0; l < w; l++) L[A + l] = 1 / L[S + l];
        for (let j = 0; j < n; j++) {
          const row = block + j * inner + i0;
          for (let l = 0; l < w; l++) out[row + l] *= L[A + l];
        }
      } else if (mode === MODE_LOG_SOFTMAX) {
        for (let l = 0; l < w; l++) L[A + l] = Math.log(L[S + l]);
        for (let j = 0; j < n; j++) {
          const row = block + j * inner + i0;
          const mrow = mo + j * ns;
          for (let l = 0; l < w; l++) {
            const take = md === null || md[dense ? row + l : mrow + io[i0 + l]] !== 0;
            out[row + l] = take ? (x[row + l] - L[l]) * invT - L[A + l] : -Infinity;
          }
        }
      } else {
        const base = o * inner + i0;
        for (let l = 0; l < w; l++) out[base + l] = L[l] * invT + Math.log(L[S + l]);
      }
      // Lanes the passes above cannot do exactly.
      for (let l = 0; l < w; l++) {
        const m = L[l];
        const s = L[S + l];
        if (m > -Infinity && m < Infinity && !Number.isNaN(s)) continue;
        const i = i0 + l;
        const mb = mask === null ? 0 : maskBase(mask, view, o, i);
        const mst = mask === null ? 0 : maskStride(mask, view);
        const lse = forwardSlice(mode, x, out, block + i, inner, n, invT, md, mb, mst);
        if (mode === MODE_LOG_SUM_EXP) out[o * inner + i] = lse;
      }
    }
  }
}
