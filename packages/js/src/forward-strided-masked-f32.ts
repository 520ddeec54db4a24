import type { MaskView, View } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { finishLanes, MODE_LOG_SOFTMAX, MODE_SOFTMAX } from './forward-slice.js';
import { MAX, NORM, SUM } from './lane-rows.js';
import { rowLogSoftmaxF32, rowScaleF32 } from './lane-rows-f32.js';
import { blockWidth, LANES, type Workspace } from './workspace.js';

// Private copies of the lane slots, which V8 folds into the code.
const MAX_ = 0;
const SUM_ = LANES;

/**
 * forwardStrided for float32 with a mask and the fast exp: the blocks of forwardStridedF32, with
 * the exact max over the elements that take part (no estimate: a lane may have no sampled
 * element taking part), exp stored as exactly 0 at masked positions, then the unmasked
 * normalising rows (0 * (1 / sum) stays 0; log-softmax refills the masked positions with
 * -Infinity). A dense mask is read at the element's own index, a broadcast one through
 * innerOffsets, each in its own loop. Lanes with nothing taking part, NaN or +Infinity go to
 * forwardSlice.
 */
export function forwardStridedMaskedF32(
  mode: number,
  view: View,
  mask: MaskView,
  x: Float32Array,
  out: Float32Array,
  invT: number,
  ws: Workspace,
): void {
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const width = blockWidth(inner);
  const md = mask.data;
  const io = mask.innerOffsets;
  const dense = mask.dense;
  const store = mode === MODE_SOFTMAX;
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    const mo = dense ? 0 : mask.outerOffsets[o];
    for (let i0 = 0; i0 < inner; i0 += width) {
      const w = Math.min(width, inner - i0);
      const b = block + i0;
      L.fill(-Infinity, MAX, MAX + w);
      L.fill(0, SUM, SUM + w);
      for (let j = 0; j < n; j++) {
        if (dense) rowMaxDense(x, md, b + j * inner, w, L);
        else rowMaxBroadcast(x, md, b + j * inner, mo + j * mask.nStride, io, i0, w, L);
      }
      for (let j = 0; j < n; j++) {
        const row = b + j * inner;
        if (dense) rowExpDense(x, out, md, row, w, invT, store, L);
        else rowExpBroadcast(x, out, md, row, mo + j * mask.nStride, io, i0, w, invT, store, L);
      }
      if (mode === MODE_SOFTMAX) {
        for (let l = 0; l < w; l++) L[NORM + l] = 1 / L[SUM + l];
        for (let j = 0; j < n; j++) rowScaleF32(out, b + j * inner, w, L);
      } else if (mode === MODE_LOG_SOFTMAX) {
        for (let l = 0; l < w; l++) L[NORM + l] = Math.log(L[SUM + l]);
        for (let j = 0; j < n; j++) {
          const row = b + j * inner;
          rowLogSoftmaxF32(x, out, row, w, invT, L);
          const mrow = mo + j * mask.nStride;
          for (let l = 0; l < w; l++)
            if (md[dense ? row + l : mrow + io[i0 + l]] === 0) out[row + l] = -Infinity;
        }
      }
      finishLanes(mode, view, mask, x, out, invT, o, i0, w, L);
    }
  }
}

function rowMaxDense(x: Float32Array, md: Uint8Array, row: number, w: number, L: Float64Array): void {
  let l = 0;
  for (; l + 3 < w; l += 4) {
    const k = row + l;
    if (md[k] !== 0 && x[k] > L[MAX_ + l]) L[MAX_ + l] = x[k];
    if (md[k + 1] !== 0 && x[k + 1] > L[MAX_ + l + 1]) L[MAX_ + l + 1] = x[k + 1];
    if (md[k + 2] !== 0 && x[k + 2] > L[MAX_ + l + 2]) L[MAX_ + l + 2] = x[k + 2];
    if (md[k + 3] !== 0 && x[k + 3] > L[MAX_ + l + 3]) L[MAX_ + l + 3] = x[k + 3];
  }
  for (; l < w; l++) if (md[row + l] !== 0 && x[row + l] > L[MAX_ + l]) L[MAX_ + l] = x[row + l];
}

function rowMaxBroadcast(
  x: Float32Array,
  md: Uint8Array,
  row: number,
  mrow: number,
  io: Int32Array,
  i0: number,
  w: number,
  L: Float64Array,
): void {
  for (let l = 0; l < w; l++) {
    const v = x[row + l];
    if (md[mrow + io[i0 + l]] !== 0 && v > L[MAX_ + l]) L[MAX_ + l] = v;
  }
}

/** exp at the positions that take part, exactly 0 elsewhere, summed per lane; stored when `store`. */
function rowExpDense(
  x: Float32Array,
  out: Float32Array,
  md: Uint8Array,
  row: number,
  w: number,
  invT: number,
  store: boolean,
  L: Float64Array,
): void {
  let l = 0;
  for (; l + 3 < w; l += 4) {
    const k = row + l;
    const e0 = md[k] === 0 ? 0 : fastExp((x[k] - L[MAX_ + l]) * invT);
    const e1 = md[k + 1] === 0 ? 0 : fastExp((x[k + 1] - L[MAX_ + l + 1]) * invT);
    const e2 = md[k + 2] === 0 ? 0 : fastExp((x[k + 2] - L[MAX_ + l + 2]) * invT);
    const e3 = md[k + 3] === 0 ? 0 : fastExp((x[k + 3] - L[MAX_ + l + 3]) * invT);
    if (store) {
      out[k] = e0;
      out[k + 1] = e1;
      out[k + 2] = e2;
      out[k + 3] = e3;
    }
    L[SUM_ + l] += e0;
    L[SUM_ + l + 1] += e1;
    L[SUM_ + l + 2] += e2;
    L[SUM_ + l + 3] += e3;
  }
  for (; l < w; l++) {
    const e = md[row + l] === 0 ? 0 : fastExp((x[row + l] - L[MAX_ + l]) * invT);
    if (store) out[row + l] = e;
    L[SUM_ + l] += e;
  }
}

function rowExpBroadcast(
  x: Float32Array,
  out: Float32Array,
  md: Uint8Array,
  row: number,
  mrow: number,
  io: Int32Array,
  i0: number,
  w: number,
  invT: number,
  store: boolean,
  L: Float64Array,
): void {
  for (let l = 0; l < w; l++) {
    const e = md[mrow + io[i0 + l]] === 0 ? 0 : fastExp((x[row + l] - L[MAX_ + l]) * invT);
    if (store) out[row + l] = e;
    L[SUM_ + l] += e;
  }
}
