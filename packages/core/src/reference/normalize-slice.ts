import { accurateSum } from './sum.js';

/** softmax, log-softmax and log-sum-exp of one slice, in float64. */
export interface NormalizedSlice {
  readonly probs: number[];
  readonly logProbs: number[];
  readonly logSumExp: number;
}

/**
 * Normalises one slice `z` (already divided by the temperature) where `takesPart[j]` says
 * whether the mask keeps z[j]. This is where SEMANTICS.md lives:
 * - -Infinity behaves exactly like a masked position: +0 / -Infinity out, never NaN;
 * - nothing taking part: all 0 / -Infinity, log-sum-exp -Infinity;
 * - NaN taking part: every taking-part position NaN, the others stay exact;
 * - k positions at +Infinity: 1/k each (log -ln k), the rest 0 / -Infinity, log-sum-exp +Infinity;
 * - otherwise the stable formula with the maximum subtracted.
 */
export function normalizeSlice(z: readonly number[], takesPart: readonly boolean[]): NormalizedSlice {
  const n = z.length;
  const active = z.map((v, j) => takesPart[j] && v !== Number.NEGATIVE_INFINITY);
  // Array.from, not new Array(n).fill: V8 makes large preallocated arrays slow dictionaries.
  const probs = Array.from({ length: n }, () => 0);
  const logProbs = Array.from({ length: n }, () => Number.NEGATIVE_INFINITY);
  const activeValues = z.filter((_, j) => active[j]);

  if (activeValues.length === 0) return { probs, logProbs, logSumExp: Number.NEGATIVE_INFINITY };

  if (activeValues.some(Number.isNaN)) {
    for (let j = 0; j < n; j++) {
      if (active[j]) {
        probs[j] = Number.NaN;
        logProbs[j] = Number.NaN;
      }
    }
    return { probs, logProbs, logSumExp: Number.NaN };
  }

  const atPlusInfinity = activeValues.filter((v) => v === Number.POSITIVE_INFINITY).length;
  if (atPlusInfinity > 0) {
    for (let j = 0; j < n; j++) {
      if (z[j] === Number.POSITIVE_INFINITY && active[j]) {
        probs[j] = 1 / atPlusInfinity;
        logProbs[j] = -Math.log(atPlusInfinity);
      }
    }
    return { probs, logProbs, logSumExp: Number.POSITIVE_INFINITY };
  }

  const max = activeValues.reduce((a, b) => Math.max(a, b));
  const sum = accurateSum(activeValues.map((v) => Math.exp(v - max)));
  const logSum = Math.log(sum);
  for (let j = 0; j < n; j++) {
    if (active[j]) {
      probs[j] = Math.exp(z[j] - max) / sum;
      logProbs[j] = z[j] - max - logSum;
    }
  }
  return { probs, logProbs, logSumExp: max + logSum };
}
