import type { FloatArray, MaskView, SoftmaxBackwardArgs, View } from '@softmax-kit/core';
import { maskBase, maskStride } from './mask.js';
import { isFiniteNumber } from './row-max.js';
import { LANES, type Workspace } from './workspace.js';

const NO_OFFSETS = new Int32Array(0);

/** out = y * (dy - sum(dy * y)) * invT along n; 0 where an element does not take part. */
export function softmaxBackward(args: SoftmaxBackwardArgs, ws: Workspace): void {
  const { view, mask, y, dy, out, invTemperature } = args;
  if (view.inner === 1 && mask === null) backwardRows(y, dy, out, view.outer, view.n, invTemperature);
  else backwardStrided(view, mask, y, dy, out, invTemperature, ws);
}

function backwardRows(
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  outer: number,
  n: number,
  invT: number,
): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    let s0 = 0;
    let s1 = 0;
    let j = start;
    for (; j + 1 < end; j += 2) {
      s0 += y[j] * dy[j];
      s1 += y[j + 1] * dy[j + 1];
    }
    if (j < end) s0 += y[j] * dy[j];
    const s = s0 + s1;
    if (!isFiniteNumber(s)) {
      backwardSlice(y, dy, out, start, 1, n, invT, null, 0, 0);
      continue;
    }
    for (j = start; j < end; j++) out[j] = y[j] * (dy[j] - s) * invT;
  }
}

/** Any axis and mask: LANES neighbouring slices advance together through the [n, inner] block. */
function backwardStrided(
  view: View,
  mask: MaskView | null,
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  invT: number,
  ws: Workspace,
): void {
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const md = mask === null ? null : mask.data;
  const dense = mask?.dense === true;
  const ns = mask === null ? 0 : mask.nStride;
  const io = mask === null ? NO_OFFSETS : mask.innerOffsets;
  for (let o = 0; o < outer; o++) {
    const mo = mask === null || dense ? 0 : mask.outerOffsets[o];
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += LANES) {
      const w = Math.min(LANES, inner - i0);
      for (let l = 0; l < w; l++) L[l] = 0;
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          if (md !== null && md[dense ? row + l : mrow + io[i0 + l]] === 0) continue;
          L[l] += y[row + l] * dy[row + l];
        }
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          const take = md === null || md[dense ? row + l : mrow + io[i0 + l]] !== 0;
          out[row + l] = take ? y[row + l] * (dy[row + l] - L[l]) * invT : 0;
        }
      }
      for (let l = 0; l < w; l++) {
        if (isFiniteNumber(L[l])) continue;
        const i = i0 + l;
        const mb = mask === null ? 0 : maskBase(mask, view, o, i);
        const ms = mask === null ? 0 : maskStride(mask, view);
        backwardSlice(y, dy, out, block + i, inner, n, invT, md, mb, ms);
      }
    }
  }
}

/**
 * The careful path for a slice whose sum is not finite: positions with y = 0 (the softmax of a
 * -Infinity or masked input) carry no mass, so they neither enter the sum nor get a gradient,
 * and an infinite or NaN dy there cannot spread NaN into the rest of the slice.
 */
function backwardSlice(
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  base: number,
  stride: number,
  n: number,
  invT: number,
  md: Uint8Array | null,
  mb: number,
  ms: number,
): void {
  let s = 0;
  for (let j = 0; j < n; j++) {
    const idx = base + j * stride;
    if ((md !== null && md[mb + j * ms] === 0) || y[idx] === 0) continue;
    s += y[idx] * dy[idx];
  }
  for (let j = 0; j < n; j++) {
    const idx = base + j * stride;
    const yj = y[idx];
    out[idx] = (md !== null && md[mb + j * ms] === 0) || yj === 0 ? 0 : yj * (dy[idx] - s) * invT;
  }
}
