import type { CrossEntropyArgs } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { isFiniteNumber, sliceMax } from './row-max.js';
import { storeExp, storeExpF32 } from './sum-exp.js';
import { LANES, type Workspace } from './workspace.js';

const NO_LABELS = new Int32Array(0);

/**
 * Fused softmax cross-entropy, never via log(softmax). With m the slice max and
 * S = sum exp(z - m), log p_c = (z_c - m) - log S stays finite for any finite logits, so
 *   loss = sum_{a_c != 0} a_c * (log S - (z_c - m)),  grad_c = gradScale * (p_c * sum(a) - a_c),
 * where a_c are the effective target weights documented on CrossEntropyArgs.
 * The exp of the second pass is kept in gradOut and turned into the gradient in place.
 */
export function softmaxCrossEntropy(args: CrossEntropyArgs, ws: Workspace): void {
  const { view, target, labelSmoothing } = args;
  const fast = ws.fastExp && args.logits instanceof Float32Array;
  if (view.inner === 1 && target.kind === 'labels' && labelSmoothing === 0) {
    labelRows(args, target.labels, target.ignoreIndex, fast);
  } else {
    crossEntropyStrided(args, fast, ws);
  }
}

/** Last-axis integer labels without smoothing: a is w_y at the label and 0 elsewhere. */
function labelRows(args: CrossEntropyArgs, labels: Int32Array, ignoreIndex: number, fast: boolean): void {
  const { view, logits, weights, gradScale, lossOut, gradOut } = args;
  const { outer, n } = view;
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    const label = labels[o];
    if (label === ignoreIndex) {
      lossOut[o] = 0;
      gradOut.fill(0, start, end);
      continue;
    }
    const m = sliceMax(logits, start, 1, end);
    let s = Number.NaN;
    if (isFiniteNumber(m)) {
      if (fast && logits instanceof Float32Array && gradOut instanceof Float32Array) {
        s = storeExpF32(logits, gradOut, start, 1, end, m, 1);
      } else {
        s = storeExp(logits, gradOut, start, 1, end, m, 1);
      }
    }
    if (Number.isNaN(s)) {
      crossEntropySlice(args, o, 0);
      continue;
    }
    const a = weights === null ? 1 : weights[label];
    const logS = Math.log(s);
    const eLabel = gradOut[start + label];
    lossOut[o] = a === 0 ? 0 : a * (logS - (logits[start + label] - m));
    const k = (gradScale * a) / s;
    for (let j = start; j < end; j++) gradOut[j] *= k;
    gradOut[start + label] = gradScale * ((eLabel / s) * a - a);
  }
}

/**
 * Any class axis, labels or probabilities, label smoothing and weights. LANES neighbouring
 * samples advance together through each [n, inner] block; lane slots hold max, sum, 1 / sum,
 * log sum, sum(a) and the loss.
 */
function crossEntropyStrided(args: CrossEntropyArgs, fast: boolean, ws: Workspace): void {
  const { view, logits, target, labelSmoothing: eps, weights, gradScale, lossOut, gradOut } = args;
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const S = LANES;
  const INV = 2 * LANES;
  const LOGS = 3 * LANES;
  const SUMA = 4 * LANES;
  const LOSS = 5 * LANES;
  const labels = target.kind === 'labels' ? target.labels : NO_LABELS;
  const ignoreIndex = target.kind === 'labels' ? target.ignoreIndex : 0;
  const probs = target.kind === 'probabilities' ? target.probabilities : null;
  const smooth = eps / n;
  let wSum = n;
  if (weights !== null) {
    wSum = 0;
    for (let c = 0; c < n; c++) wSum += weights[c];
  }
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += LANES) {
      const w = Math.min(LANES, inner - i0);
      const s0 = o * inner + i0; // sample index of lane 0
      for (let l = 0; l < w; l++) {
        L[l] = -Infinity;
        L[S + l] = 0;
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        for (let l = 0; l < w; l++) {
          const v = logits[row + l];
          if (v > L[l]) L[l] = v;
        }
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        for (let l = 0; l < w; l++) {
          const d = logits[row + l] - L[l];
          const e = fast ? fastExp(d) : Math.exp(d);
          gradOut[row + l] = e;
          L[S + l] += e;
        }
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
        if (m > -Infinity && m < Infinity && !Number.isNaN(L[S + l])) lossOut[s0 + l] = L[LOSS + l];
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
  const { view, logits, target, labelSmoothing: eps, weights, gradScale, lossOut, gradOut } = args;
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
  const a = (c: number): number => {
    const wc = weights === null ? 1 : weights[c];
    if (target.kind === 'labels') return (eps / n) * wc + (c === label ? (1 - eps) * wc : 0);
    return wc * ((1 - eps) * target.probabilities[base + c * inner] + eps / n);
  };
  const logp = (v: number): number => {
    if (nan) return v === -Infinity ? -Infinity : Number.NaN;
    if (m === -Infinity) return -Infinity;
    if (m === Infinity) return v === Infinity ? -Math.log(kInf) : -Infinity;
    return v - m - logS;
  };
  let sumA = 0;
  let loss = 0;
  for (let c = 0; c < n; c++) {
    const ac = a(c);
    sumA += ac;
    if (ac !== 0) loss -= ac * logp(logits[base + c * inner]);
  }
  lossOut[sample] = loss;
  for (let c = 0; c < n; c++) {
    const lp = logp(logits[base + c * inner]);
    gradOut[base + c * inner] = gradScale * (Math.exp(lp) * sumA - a(c));
  }
}
