/**
 * The magnitude of the terms of each gradient element, M, to which the relative tolerance of a
 * gradient applies (SEMANTICS.md "Accuracy"): |got - want| <= max(abs, rel * M). A gradient
 * element is a difference of terms (dy_j and exp(logp_j) * sum(dy), say) that may nearly
 * cancel; each term, and each sum, carries a rounding error relative to its own magnitude, so
 * the attainable accuracy is relative to M, not to the (possibly tiny) difference. M >= |want|.
 *
 *   softmaxBackward:     M_j = y_j * (|dy_j| + sum_k |y_k dy_k|) / T
 *   logSoftmaxBackward:  M_j = (|dy_j| + exp(logp_j) * sum_k |dy_k|) / T
 *   softmaxJacobian:     M_jk = y_j * ([j == k] + y_k) / T
 *   cross-entropy grad:  M_j = |gradScale| * (p_j * sum_c |a_c| + |a_j|)
 *
 * The sums run over the positions that take part (logSoftmaxBackward: logp_k > -Infinity); a
 * sum of magnitudes, not the magnitude of the sum, because a sum's rounding error scales with
 * the former. a_c and gradScale are as in CrossEntropyArgs (packages/core/src/backend.ts).
 */
import type { CrossEntropyOptions, SoftmaxOptions } from '../options.js';
import * as reference from '../reference/index.js';
import { broadcastMask, checkAxis } from '../reference/validate.js';
import type { Labels, Tensor } from '../types.js';

interface Lanes {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

function lanesOf(shape: readonly number[], axis: number | undefined): Lanes {
  const a = checkAxis(axis, shape.length);
  const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
  return { outer: product(shape.slice(0, a)), n: shape[a], inner: product(shape.slice(a + 1)) };
}

/** Calls `slice(at)` for every slice, `at(j)` giving the flat index of its j-th element. */
function eachSlice({ outer, n, inner }: Lanes, slice: (at: (j: number) => number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) slice((j) => (o * n + j) * inner + i);
  }
}

export function backwardMagnitudes(
  op: 'softmaxBackward' | 'logSoftmaxBackward',
  forward: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Float64Array {
  const lanes = lanesOf(forward.shape, options?.axis);
  const part = broadcastMask(options?.where, forward.shape);
  const invT = 1 / (options?.temperature ?? 1);
  const f = forward.data;
  const g = dy.data;
  const magnitudes = new Float64Array(f.length);
  eachSlice(lanes, (at) => {
    const takes = (j: number) => part[at(j)] !== 0 && f[at(j)] !== Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let j = 0; j < lanes.n; j++) {
      if (!takes(j)) continue;
      sum += op === 'softmaxBackward' ? Math.abs(f[at(j)] * g[at(j)]) : Math.abs(g[at(j)]);
    }
    for (let j = 0; j < lanes.n; j++) {
      const k = at(j);
      if (!takes(j)) continue;
      magnitudes[k] =
        op === 'softmaxBackward'
          ? Math.abs(f[k]) * (Math.abs(g[k]) + sum) * invT
          : (Math.abs(g[k]) + Math.exp(f[k]) * sum) * invT;
    }
  });
  return magnitudes;
}

/** M for the Jacobian, laid out like its result ([..., n] appended to y's shape). */
export function jacobianMagnitudes(y: Tensor, options: SoftmaxOptions | undefined): Float64Array {
  const lanes = lanesOf(y.shape, options?.axis);
  const invT = 1 / (options?.temperature ?? 1);
  const { n } = lanes;
  const magnitudes = new Float64Array(y.data.length * n);
  eachSlice(lanes, (at) => {
    for (let j = 0; j < n; j++) {
      const yj = Math.abs(y.data[at(j)]);
      for (let k = 0; k < n; k++) {
        magnitudes[at(j) * n + k] = yj * ((j === k ? 1 : 0) + Math.abs(y.data[at(k)])) * invT;
      }
    }
  });
  return magnitudes;
}

function isLabels(target: Labels | Tensor): target is Labels {
  return target.data instanceof Int32Array;
}

/** M for the cross-entropy gradient, from the effective target weights a_c of each sample. */
export function crossEntropyMagnitudes(
  logits: Tensor,
  target: Labels | Tensor,
  options: CrossEntropyOptions | undefined,
): Float64Array {
  const lanes = lanesOf(logits.shape, options?.axis);
  const { n } = lanes;
  const p = reference.softmax(logits, { axis: options?.axis }).data;
  const e = options?.labelSmoothing ?? 0;
  const w = (c: number) => (options?.weights === undefined ? 1 : Math.abs(options.weights.data[c]));
  const ignoreIndex = options?.ignoreIndex ?? -100;
  const a = new Float64Array(n);
  let counted = 0;
  const magnitudes = new Float64Array(logits.data.length);
  let sample = 0;
  eachSlice(lanes, (at) => {
    const label = isLabels(target) ? target.data[sample] : undefined;
    sample++;
    for (let c = 0; c < n; c++) {
      if (label === undefined) a[c] = w(c) * ((1 - e) * Math.abs(target.data[at(c)]) + e / n);
      else if (label === ignoreIndex) a[c] = 0;
      else a[c] = (1 - e) * (c === label ? w(c) : 0) + (e / n) * w(c);
    }
    if (label === undefined) counted += 1;
    else if (label !== ignoreIndex) counted += w(label);
    const total = a.reduce((s, v) => s + v, 0);
    for (let c = 0; c < n; c++) magnitudes[at(c)] = p[at(c)] * total + a[c];
  });
  const reduction = options?.reduction ?? 'mean';
  const scale = reduction !== 'mean' ? 1 : counted === 0 ? 0 : 1 / counted;
  return magnitudes.map((m) => m * scale);
}
