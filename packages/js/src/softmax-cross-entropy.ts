import type { CrossEntropyArgs, FloatArray } from '@softmax-kit/core';
import { crossEntropyLabelsF32 } from './cross-entropy-lanes-f32.js';
import { rowMax, rowStoreExp, SUM } from './lane-rows.js';
import { rowStoreExpF32 } from './lane-rows-f32.js';
import { isFiniteNumber, sliceMax } from './row-max.js';
import { SHIFT_SUM_LIMIT, sampleMax } from './shift.js';
import { scale, storeExp, storeExpF32 } from './sum-exp.js';
import { F32_LANE_MIN_INNER, FORWARD_LANE_MIN_INNER, LANES, laneWidth, type Workspace } from './workspace.js';

const NO_LABELS = new Int32Array(0);

/**
 * Fused softmax cross-entropy, never via log(softmax). With m the slice max and
 * S = sum exp(z - m), log p_c = (z_c - m) - log S stays finite for any finite logits, so
 *   loss = lossScale * sum_{a_c != 0} a_c * (log S - (z_c - m)),  grad_c = gradScale * (p_c * sum(a) - a_c),
 * where a_c are the effective target weights documented on CrossEntropyArgs.
 * The exp of the second pass is kept in gradOut and turned into the gradient in place.
 */
export function softmaxCrossEntropy(args: CrossEntropyArgs, ws: Workspace): void {
  const { view, target, labelSmoothing: eps, weights } = args;
  const { outer, n, inner } = view;
  const fast = ws.fastExp && args.logits instanceof Float32Array;
  const labelsF32 = fast && target.kind === 'labels' && eps === 0;
  if (inner >= FORWARD_LANE_MIN_INNER || (labelsF32 && inner >= F32_LANE_MIN_INNER)) {
    crossEntropyStrided(args, fast, ws);
    return;
  }
  const wSum = weightSum(weights, n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      if (target.kind === 'labels' && target.labels[o * inner + i] === target.ignoreIndex) {
        const start = o * n * inner + i;
        args.lossOut[o * inner + i] = 0;
        for (let j = start; j < start + n * inner; j += inner) args.gradOut[j] = 0;
      } else if (target.kind === 'labels' && eps === 0) {
        labelSample(args, o, i, target.labels[o * inner + i], fast, ws.pair);
      } else {
        smoothSample(args, o, i, wSum, fast, ws.pair);
      }
    }
  }
}

/** sum_c w_c (n without weights), for sum(a) of label targets with smoothing. */
function weightSum(weights: FloatArray | null, n: number): number {
  if (weights === null) return n;
  let w = 0;
  for (let c = 0; c < n; c++) w += weights[c];
  return w;
}

/** Pass 2 of a sample: exp(z - m) stored into gradOut; returns their sum, NaN when the careful path must take over. */
function expPass(
  args: CrossEntropyArgs,
  start: number,
  stride: number,
  end: number,
  fast: boolean,
  m: number,
): number {
  const { logits, gradOut } = args;
  if (!isFiniteNumber(m)) return Number.NaN;
  if (fast && logits instanceof Float32Array && gradOut instanceof Float32Array) {
    return storeExpF32(logits, gradOut, start, stride, end, m, 1);
  }
  return storeExp(logits, gradOut, start, stride, end, m, 1);
}

/**
 * Passes 1 and 2 of sample (o, i), whose slice ends at `end`: the shift m (an estimate of the
 * max first, see shift.ts; the exact max only when its sum is not below SHIFT_SUM_LIMIT) into
 * pair[0], exp(z - m) into gradOut. Returns the sum; NaN when the sample needed the careful
 * path, which has then already written its loss and gradient (crossEntropySlice).
 */
function shiftExp(
  args: CrossEntropyArgs,
  o: number,
  i: number,
  end: number,
  fast: boolean,
  pair: Float64Array,
): number {
  const { logits, view } = args;
  const { n, inner } = view;
  const start = o * n * inner + i;
  let m = fast ? sampleMax(logits, start, inner, n) : Number.NaN;
  let s = fast ? expPass(args, start, inner, end, fast, m) : Number.NaN;
  if (!(s < SHIFT_SUM_LIMIT)) {
    m = sliceMax(logits, start, inner, end);
    s = expPass(args, start, inner, end, fast, m);
  }
  if (Number.isNaN(s)) crossEntropySlice(args, o, i);
  pair[0] = m;
  return s;
}

/** An integer label without smoothing: a is w_y at the label and 0 elsewhere. */
function labelSample(
  args: CrossEntropyArgs,
  o: number,
  i: number,
  label: number,
  fast: boolean,
  pair: Float64Array,
): void {
  const { view, logits, weights, gradScale, gradOut } = args;
  const { n, inner } = view;
  const start = o * n * inner + i;
  const end = start + n * inner;
  const s = shiftExp(args, o, i, end, fast, pair);
  if (Number.isNaN(s)) return; // done by crossEntropySlice
  const m = pair[0];
  const a = weights === null ? 1 : weights[label];
  const at = start + label * inner;
  const eLabel = gradOut[at];
  args.lossOut[o * inner + i] = a === 0 ? 0 : args.lossScale * a * (Math.log(s) - (logits[at] - m));
  const k = (gradScale * a) / s;
  scale(gradOut, start, inner, end, k);
  gradOut[at] = gradScale * ((eLabel / s) * a - a);
}

/** Label smoothing and/or probability targets, with optional weights: every a_c may be non-zero. */
function smoothSample(
  args: CrossEntropyArgs,
  o: number,
  i: number,
  wSum: number,
  fast: boolean,
  pair: Float64Array,
): void {
  const { view, logits, target, labelSmoothing: eps, weights, gradScale, gradOut } = args;
  const { n, inner } = view;
  const start = o * n * inner + i;
  const end = start + n * inner;
  const s = shiftExp(args, o, i, end, fast, pair);
  if (Number.isNaN(s)) return; // done by crossEntropySlice
  const m = pair[0];
  const smooth = eps / n;
  const logS = Math.log(s);
  const invS = 1 / s;
  const probs = target.kind === 'probabilities' ? target.probabilities : null;
  const label = target.kind === 'labels' ? target.labels[o * inner + i] : -1;
  let sumA = 0;
  if (probs === null) {
    sumA = (1 - eps) * (weights === null ? 1 : weights[label]) + smooth * wSum;
  } else {
    for (let j = start, c = 0; j < end; j += inner, c++) {
      sumA += (weights === null ? 1 : weights[c]) * ((1 - eps) * probs[j] + smooth);
    }
  }
  let loss = 0;
  for (let j = start, c = 0; j < end; j += inner, c++) {
    const wc = weights === null ? 1 : weights[c];
    const a =
      probs === null ? wc * (smooth + (c === label ? 1 - eps : 0)) : wc * ((1 - eps) * probs[j] + smooth);
    if (a !== 0) loss += a * (logS - (logits[j] - m));
    gradOut[j] = gradScale * (gradOut[j] * invS * sumA - a);
  }
  args.lossOut[o * inner + i] = args.lossScale * loss;
}

/**
 * Any class axis, labels or probabilities, label smoothing and weights. LANES neighbouring
 * samples advance together through each [n, inner] block; lane slots hold max, sum, 1 / sum,
 * log sum, sum(a) and the loss.
 */
function crossEntropyStrided(args: CrossEntropyArgs, fast: boolean, ws: Workspace): void {
  const { view, logits, target, labelSmoothing: eps, weights, gradScale, lossOut, gradOut } = args;
  const { outer, n, inner } = view;
  if (
    fast &&
    target.kind === 'labels' &&
    eps === 0 &&
    logits instanceof Float32Array &&
    gradOut instanceof Float32Array
  ) {
    const redo = (o: number, i: number): void => crossEntropySlice(args, o, i);
    crossEntropyLabelsF32(args, view, logits, gradOut, target.labels, target.ignoreIndex, ws, redo);
    return;
  }
  const L = ws.lanes;
  const width = laneWidth(n);
  const S = SUM; // slot 0 is the running max (MAX), as the lane row functions expect
  const INV = 2 * LANES;
  const LOGS = 3 * LANES;
  const SUMA = 4 * LANES;
  const LOSS = 5 * LANES;
  const labels = target.kind === 'labels' ? target.labels : NO_LABELS;
  const ignoreIndex = target.kind === 'labels' ? target.ignoreIndex : 0;
  const probs = target.kind === 'probabilities' ? target.probabilities : null;
  const smooth = eps / n;
  const wSum = weightSum(weights, n);
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += width) {
      const w = Math.min(width, inner - i0);
      const s0 = o * inner + i0; // sample index of lane 0
      for (let l = 0; l < w; l++) {
        L[l] = -Infinity;
        L[S + l] = 0;
      }
      for (let j = 0; j < n; j++) rowMax(logits, block + j * inner + i0, w, L);
      if (fast && logits instanceof Float32Array && gradOut instanceof Float32Array) {
        for (let j = 0; j < n; j++) rowStoreExpF32(logits, gradOut, block + j * inner + i0, w, 1, L);
      } else {
        for (let j = 0; j < n; j++) rowStoreExp(logits, gradOut, block + j * inner + i0, w, 1, L);
      }
      for (let l = 0; l < w; l++) {
        const s = L[S + l];
        L[INV + l] = 1 / s;
        L[LOGS + l] = Math.log(s);
        L[LOSS + l] = 0;
        if (probs === null) {
          const label = labels[s0 + l];
          const wy = label === ignoreIndex ? 0 : weights === null ? 1 : weights[label];
          L[SUMA + l] = label === ignoreIndex ? 0 : (1 - eps) * wy + smooth * wSum;
        } else {
          L[SUMA + l] = 0;
        }
      }
      // sum(a) for probability targets, and the loss.
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const wj = weights === null ? 1 : weights[j];
        for (let l = 0; l < w; l++) {
          let a: number;
          if (probs !== null) {
            a = wj * ((1 - eps) * probs[row + l] + smooth);
            L[SUMA + l] += a;
          } else {
            const label = labels[s0 + l];
            if (label === ignoreIndex) continue;
            a = smooth * wj + (label === j ? (1 - eps) * wj : 0);
          }
          if (a !== 0) L[LOSS + l] += a * (L[LOGS + l] - (logits[row + l] - L[l]));
        }
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const wj = weights === null ? 1 : weights[j];
        for (let l = 0; l < w; l++) {
          let a: number;
          if (probs !== null) {
            a = wj * ((1 - eps) * probs[row + l] + smooth);
          } else {
            const label = labels[s0 + l];
            if (label === ignoreIndex) {
              gradOut[row + l] = 0;
              continue;
            }
            a = smooth * wj + (label === j ? (1 - eps) * wj : 0);
          }
          gradOut[row + l] = gradScale * (gradOut[row + l] * L[INV + l] * L[SUMA + l] - a);
        }
      }
      for (let l = 0; l < w; l++) {
        const m = L[l];
        if (m > -Infinity && m < Infinity && !Number.isNaN(L[S + l]))
          lossOut[s0 + l] = args.lossScale * L[LOSS + l];
        else crossEntropySlice(args, o, i0 + l);
      }
    }
  }
}

/**
 * The careful path for one sample (o, i) whose logits hold NaN or +-Infinity: p and log p are
 * the limits the forward ops give (NaN everywhere, the +Infinity entries sharing the mass, or
 * nothing taking part), and terms with a_c == 0 contribute nothing even where log p_c = -Infinity.
 */
function crossEntropySlice(args: CrossEntropyArgs, o: number, i: number): void {
  const { view, logits, target, gradScale, lossOut, gradOut } = args;
  const { n, inner } = view;
  const base = o * n * inner + i;
  const sample = o * inner + i;
  const label = target.kind === 'labels' ? target.labels[sample] : 0;
  if (target.kind === 'labels' && label === target.ignoreIndex) {
    lossOut[sample] = 0;
    for (let c = 0; c < n; c++) gradOut[base + c * inner] = 0;
    return;
  }
  let m = -Infinity;
  let nan = false;
  let kInf = 0;
  for (let c = 0; c < n; c++) {
    const v = logits[base + c * inner];
    if (v > m) m = v;
    else if (Number.isNaN(v)) nan = true;
    if (v === Infinity) kInf++;
  }
  let s = 0;
  if (!nan && isFiniteNumber(m)) for (let c = 0; c < n; c++) s += Math.exp(logits[base + c * inner] - m);
  const logS = Math.log(s);
  let sumA = 0;
  let loss = 0;
  for (let c = 0; c < n; c++) {
    const ac = targetWeight(args, base + c * inner, c, label);
    sumA += ac;
    if (ac !== 0) loss -= ac * limitLogP(logits[base + c * inner], nan, m, kInf, logS);
  }
  lossOut[sample] = args.lossScale * loss;
  for (let c = 0; c < n; c++) {
    const lp = limitLogP(logits[base + c * inner], nan, m, kInf, logS);
    gradOut[base + c * inner] =
      gradScale * (Math.exp(lp) * sumA - targetWeight(args, base + c * inner, c, label));
  }
}

/** a_c of class c (element k of the logits) for a sample whose label is `label`. */
function targetWeight(args: CrossEntropyArgs, k: number, c: number, label: number): number {
  const { view, target, labelSmoothing: eps, weights } = args;
  const wc = weights === null ? 1 : weights[c];
  if (target.kind === 'labels') return (eps / view.n) * wc + (c === label ? (1 - eps) * wc : 0);
  return wc * ((1 - eps) * target.probabilities[k] + eps / view.n);
}

/** log p of a logit v in the limits the forward ops give: NaN, +Infinity sharing, nothing taking part. */
function limitLogP(v: number, nan: boolean, m: number, kInf: number, logS: number): number {
  if (nan) return v === -Infinity ? -Infinity : Number.NaN;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return v === Infinity ? -Math.log(kInf) : -Infinity;
  return v - m - logS;
}
