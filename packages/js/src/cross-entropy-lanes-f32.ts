import type { CrossEntropyArgs, FloatArray, View } from '@softmax-kit/core';
import { MAX, NORM, SUM } from './lane-rows.js';
import { rowMaxF32, rowScaleF32, rowStoreExpF32 } from './lane-rows-f32.js';
import { MAX_MISSES, sampleStep, sumsBelowLimit } from './shift.js';
import { blockWidth, LANES, type Workspace } from './workspace.js';

/** Lane slot for exp at each lane's label, kept unscaled so the label's gradient is computed exactly. */
const E_LABEL = 3 * LANES;

/**
 * Cross-entropy over a large inner for float32 integer labels without smoothing (the common
 * case), with the fast exp: the passes of forwardStridedF32 (sampled shift, exp stored in gradOut,
 * scale), since with a = w_y at the label only, the loss needs one element per sample and the
 * gradient is p * (gradScale * a) except at the label. Returns the lanes the passes cannot do
 * exactly (non-finite max or NaN sum) through `redo`, for the careful per-sample path.
 */
export function crossEntropyLabelsF32(
  args: CrossEntropyArgs,
  view: View,
  logits: Float32Array,
  gradOut: Float32Array,
  labels: Int32Array,
  ignoreIndex: number,
  ws: Workspace,
  redo: (o: number, i: number) => void,
): void {
  const { outer, n, inner } = view;
  const { weights, gradScale, lossOut } = args;
  const L = ws.lanes;
  const width = blockWidth(inner);
  const q = sampleStep(n);
  let misses = 0;
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += width) {
      const w = Math.min(width, inner - i0);
      const b = block + i0;
      const s0 = o * inner + i0; // sample index of lane 0
      let exact = misses >= MAX_MISSES;
      for (;;) {
        L.fill(-Infinity, MAX, MAX + w);
        L.fill(0, SUM, SUM + w);
        if (exact) for (let j = 0; j < n; j++) rowMaxF32(logits, b + j * inner, w, L);
        else {
          for (let j = 0; j < n; j += q) rowMaxF32(logits, b + j * inner, w, L);
          rowMaxF32(logits, b + (n - 1) * inner, w, L);
        }
        for (let j = 0; j < n; j++) rowStoreExpF32(logits, gradOut, b + j * inner, w, 1, L);
        if (exact || sumsBelowLimit(L, w)) break;
        misses++;
        exact = true;
      }
      for (let l = 0; l < w; l++)
        laneLoss(
          L,
          l,
          labels[s0 + l],
          ignoreIndex,
          weights,
          gradScale,
          args.lossScale,
          b + l,
          inner,
          logits,
          gradOut,
          lossOut,
          s0 + l,
        );
      for (let j = 0; j < n; j++) rowScaleF32(gradOut, b + j * inner, w, L);
      for (let l = 0; l < w; l++) {
        const label = labels[s0 + l];
        const m = L[MAX + l];
        if (!(m > -Infinity && m < Infinity && !Number.isNaN(L[SUM + l]))) redo(o, i0 + l);
        else if (label !== ignoreIndex) {
          const a = weights === null ? 1 : weights[label];
          gradOut[b + l + label * inner] = gradScale * ((L[E_LABEL + l] / L[SUM + l]) * a - a);
        }
      }
    }
  }
}

/** Lane l's loss, its gradient scale (NORM slot) and the exp at its label (E_LABEL slot). */
function laneLoss(
  L: Float64Array,
  l: number,
  label: number,
  ignoreIndex: number,
  weights: FloatArray | null,
  gradScale: number,
  lossScale: number,
  at0: number,
  inner: number,
  logits: Float32Array,
  gradOut: Float32Array,
  lossOut: FloatArray,
  sample: number,
): void {
  if (label === ignoreIndex) {
    L[NORM + l] = 0; // every gradient of an ignored sample is 0 (its exps are finite)
    lossOut[sample] = 0;
    return;
  }
  const a = weights === null ? 1 : weights[label];
  const s = L[SUM + l];
  const at = at0 + label * inner;
  L[E_LABEL + l] = gradOut[at];
  L[NORM + l] = (gradScale * a) / s;
  lossOut[sample] = a === 0 ? 0 : lossScale * a * (Math.log(s) - (logits[at] - L[MAX + l]));
}
