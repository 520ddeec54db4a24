import type { FloatArray, LogSoftmaxBackwardArgs, MaskView, View } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { rowLogSoftmaxGradF32, rowSumDyF32 } from './lane-rows-f32.js';
import { maskBase, maskStride } from './mask.js';
import { BACKWARD_LANE_MIN_INNER, stridedWidth, type Workspace } from './workspace.js';

/**
 * out = (dy - exp(logp) * sum(dy)) * invT along n, the sum over the positions that take part;
 * positions masked out or with logp = -Infinity get 0 and their dy is ignored.
 */
export function logSoftmaxBackward(args: LogSoftmaxBackwardArgs, ws: Workspace): void {
  const { view, mask, logp, dy, out, invTemperature: invT } = args;
  const { outer, n, inner } = view;
  const fast = ws.fastExp && logp instanceof Float32Array;
  if (inner >= BACKWARD_LANE_MIN_INNER) {
    backwardStrided(view, mask, logp, dy, out, invT, fast, ws);
    return;
  }
  const ms = mask === null ? 0 : maskStride(mask, view);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      if (mask === null) {
        let s = 0;
        for (let j = start; j < end; j += inner) if (logp[j] !== -Infinity) s += dy[j];
        if (fast && logp instanceof Float32Array) writeF32(logp, dy, out, start, inner, end, s, invT);
        else write(logp, dy, out, start, inner, end, s, invT);
        continue;
      }
      const md = mask.data;
      const mb = maskBase(mask, view, o, i);
      let s = 0;
      for (let j = start, k = mb; j < end; j += inner, k += ms) {
        if (md[k] !== 0 && logp[j] !== -Infinity) s += dy[j];
      }
      for (let j = start, k = mb; j < end; j += inner, k += ms) {
        const lp = logp[j];
        out[j] =
          md[k] === 0 || lp === -Infinity ? 0 : (dy[j] - (fast ? fastExp(lp) : Math.exp(lp)) * s) * invT;
      }
    }
  }
}

function writeF32(
  logp: Float32Array,
  dy: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  end: number,
  s: number,
  invT: number,
): void {
  for (let j = start; j < end; j += stride) {
    const lp = logp[j];
    out[j] = lp === -Infinity ? 0 : (dy[j] - fastExp(lp) * s) * invT;
  }
}

function write(
  logp: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  start: number,
  stride: number,
  end: number,
  s: number,
  invT: number,
): void {
  for (let j = start; j < end; j += stride) {
    const lp = logp[j];
    out[j] = lp === -Infinity ? 0 : (dy[j] - Math.exp(lp) * s) * invT;
  }
}

/** A large inner: LANES neighbouring slices advance together through the [n, inner] block. */
function backwardStrided(
  view: View,
  mask: MaskView | null,
  logp: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  invT: number,
  fast: boolean,
  ws: Workspace,
): void {
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const width = stridedWidth(mask !== null, n, inner);
  const md = mask === null ? null : mask.data;
  const dense = mask?.dense === true;
  const ns = mask === null ? 0 : mask.nStride;
  const io = mask === null ? null : mask.innerOffsets;
  for (let o = 0; o < outer; o++) {
    const mo = mask === null || dense ? 0 : mask.outerOffsets[o];
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += width) {
      const w = Math.min(width, inner - i0);
      L.fill(0, 0, w);
      if (
        md === null &&
        fast &&
        logp instanceof Float32Array &&
        dy instanceof Float32Array &&
        out instanceof Float32Array
      ) {
        // Monomorphic float32 rows: the generic loops below slow down once float64 also ran.
        for (let j = 0; j < n; j++) rowSumDyF32(logp, dy, block + j * inner + i0, w, L);
        for (let j = 0; j < n; j++) rowLogSoftmaxGradF32(logp, dy, out, block + j * inner + i0, w, invT, L);
        continue;
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          if (logp[row + l] === -Infinity) continue;
          if (md !== null && io !== null && md[dense ? row + l : mrow + io[i0 + l]] === 0) continue;
          L[l] += dy[row + l];
        }
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          const lp = logp[row + l];
          const take =
            lp !== -Infinity && (md === null || io === null || md[dense ? row + l : mrow + io[i0 + l]] !== 0);
          out[row + l] = take ? (dy[row + l] - (fast ? fastExp(lp) : Math.exp(lp)) * L[l]) * invT : 0;
        }
      }
    }
  }
}
