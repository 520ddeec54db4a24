import type { FloatArray, ForwardArgs, MaskView, View } from '@softmax-kit/core';
import { finishLanes, MODE_LOG_SOFTMAX, MODE_SOFTMAX } from './forward-slice.js';
import { forwardStridedF32 } from './forward-strided-f32.js';
import { forwardStridedMaskedF32 } from './forward-strided-masked-f32.js';
import { MAX, NORM, rowLogSoftmax, rowMax, rowScale, rowStoreExp, rowSumExp, SUM } from './lane-rows.js';
import { F32_LANE_MIN_INNER, FORWARD_LANE_MIN_INNER, stridedWidth, type Workspace } from './workspace.js';

/**
 * The ops' dispatch to the lanes: softmax / log-softmax / log-sum-exp of a large inner (from
 * F32_LANE_MIN_INNER for float32 without a mask, else FORWARD_LANE_MIN_INNER) run here in
 * forwardStrided and return true; otherwise nothing is done and the op runs its per-slice loops.
 */
export function forwardLanes(mode: number, args: ForwardArgs, ws: Workspace): boolean {
  const { view, mask, x, out } = args;
  const inner = view.inner;
  const lanes =
    inner >= FORWARD_LANE_MIN_INNER ||
    (inner >= F32_LANE_MIN_INNER && mask === null && ws.fastExp && isF32(x) && isF32(out));
  if (lanes) forwardStrided(mode, view, mask, x, out, args.invTemperature, ws);
  return lanes;
}

function isF32(a: FloatArray): boolean {
  return a instanceof Float32Array;
}

/**
 * softmax / log-softmax / log-sum-exp over a large inner, without a transpose: for each outer
 * index, up to LANES neighbouring slices (consecutive i) advance together one row j of the
 * [n, inner] block at a time, so memory is read in order while each lane keeps its own running
 * max and sum. Lanes the fast passes cannot do exactly (NaN, +-Infinity maximum, nothing taking
 * part) are redone by forwardSlice. For log-sum-exp `out` has length outer * inner.
 * float32 with the fast exp goes to the unrolled float32 kernels; the loops here (Math.exp)
 * serve float64 and `fastExp: false`.
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
  if (ws.fastExp && x instanceof Float32Array && out instanceof Float32Array) {
    if (mask === null) forwardStridedF32(mode, view, x, out, invT, ws);
    else forwardStridedMaskedF32(mode, view, mask, x, out, invT, ws);
    return;
  }
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const width = stridedWidth(mask !== null, n, inner);
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += width) {
      const w = Math.min(width, inner - i0);
      L.fill(-Infinity, MAX, MAX + w);
      L.fill(0, SUM, SUM + w);
      if (mask === null) {
        lanesSumExp(mode, x, out, block, n, inner, i0, w, invT, L);
      } else lanesSumExpMasked(mode, mask, o, x, out, block, n, inner, i0, w, invT, L);
      // Pass 3: normalise.
      if (mode === MODE_SOFTMAX) {
        for (let l = 0; l < w; l++) L[NORM + l] = 1 / L[SUM + l];
        for (let j = 0; j < n; j++) rowScale(out, block + j * inner + i0, w, L);
      } else if (mode === MODE_LOG_SOFTMAX) {
        for (let l = 0; l < w; l++) L[NORM + l] = Math.log(L[SUM + l]);
        // Masked positions are fixed below; here every lane gets the formula.
        for (let j = 0; j < n; j++) rowLogSoftmax(x, out, block + j * inner + i0, w, invT, L);
        if (mask !== null) fillMasked(mask, o, out, block, n, inner, i0, w, -Infinity);
      }
      finishLanes(mode, view, mask, x, out, invT, o, i0, w, L);
    }
  }
}

/**
 * Passes 1 and 2 without a mask, with Math.exp (float64, or fastExp off): exact running max per
 * lane, then the sum of exp (softmax stores the exp). float32 with the fast exp goes to
 * forwardStridedF32 instead.
 */
function lanesSumExp(
  mode: number,
  x: FloatArray,
  out: FloatArray,
  block: number,
  n: number,
  inner: number,
  i0: number,
  w: number,
  invT: number,
  L: Float64Array,
): void {
  for (let j = 0; j < n; j++) rowMax(x, block + j * inner + i0, w, L);
  if (mode === MODE_SOFTMAX) {
    for (let j = 0; j < n; j++) rowStoreExp(x, out, block + j * inner + i0, w, invT, L);
  } else {
    for (let j = 0; j < n; j++) rowSumExp(x, block + j * inner + i0, w, invT, L);
  }
}

/** The same for the elements that take part; softmax stores exactly 0 at masked ones. */
function lanesSumExpMasked(
  mode: number,
  mask: MaskView,
  o: number,
  x: FloatArray,
  out: FloatArray,
  block: number,
  n: number,
  inner: number,
  i0: number,
  w: number,
  invT: number,
  L: Float64Array,
): void {
  const md = mask.data;
  const dense = mask.dense;
  const io = mask.innerOffsets;
  const mo = dense ? 0 : mask.outerOffsets[o];
  for (let j = 0; j < n; j++) {
    const row = block + j * inner + i0;
    const mrow = mo + j * mask.nStride;
    for (let l = 0; l < w; l++) {
      if (md[dense ? row + l : mrow + io[i0 + l]] === 0) continue;
      const v = x[row + l];
      if (v > L[MAX + l]) L[MAX + l] = v;
    }
  }
  const store = mode === MODE_SOFTMAX;
  for (let j = 0; j < n; j++) {
    const row = block + j * inner + i0;
    const mrow = mo + j * mask.nStride;
    for (let l = 0; l < w; l++) {
      let e = 0;
      if (md[dense ? row + l : mrow + io[i0 + l]] !== 0) {
        const d = (x[row + l] - L[MAX + l]) * invT;
        e = Math.exp(d);
      }
      if (store) out[row + l] = e;
      L[SUM + l] += e;
    }
  }
}

/** Writes `value` at every masked position of lanes i0 .. i0 + w - 1. */
function fillMasked(
  mask: MaskView,
  o: number,
  out: FloatArray,
  block: number,
  n: number,
  inner: number,
  i0: number,
  w: number,
  value: number,
): void {
  const md = mask.data;
  const dense = mask.dense;
  const io = mask.innerOffsets;
  const mo = dense ? 0 : mask.outerOffsets[o];
  for (let j = 0; j < n; j++) {
    const row = block + j * inner + i0;
    const mrow = mo + j * mask.nStride;
    for (let l = 0; l < w; l++) if (md[dense ? row + l : mrow + io[i0 + l]] === 0) out[row + l] = value;
  }
}
