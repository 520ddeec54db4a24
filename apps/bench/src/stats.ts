/**
 * Statistics of timings: quantiles, the summary shown in the table, and ratios computed per
 * round (rounds are interleaved A B C A B C, so round k of two implementations ran side by side).
 */

/** Quantile q in [0, 1] with linear interpolation (type 7, like NumPy's default). NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export interface Summary {
  /** number of samples */
  n: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
  max: number;
  /** median absolute deviation, relative to the median (0.05 = 5 %) */
  relMad: number;
  /** true when the samples split into two clusters (see `isBimodal`) */
  bimodal: boolean;
}

export function summarize(values: readonly number[]): Summary {
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  return {
    n: values.length,
    median: med,
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    relMad: med > 0 ? mad / med : Number.NaN,
    bimodal: isBimodal(values),
  };
}

/**
 * A coarse bimodality flag: the largest gap between consecutive sorted samples splits them
 * into two groups of at least 20 % each, and is wider than half the smaller group's median.
 */
export function isBimodal(values: readonly number[]): boolean {
  if (values.length < 6) return false;
  const s = [...values].sort((a, b) => a - b);
  let best = 0;
  let at = -1;
  for (let i = 1; i < s.length; i++) {
    const gap = s[i] - s[i - 1];
    if (gap > best) {
      best = gap;
      at = i;
    }
  }
  const minGroup = Math.ceil(s.length * 0.2);
  if (at < minGroup || s.length - at < minGroup) return false;
  return best > 0.5 * median(s.slice(0, at));
}

export interface RatioSummary {
  /** median over rounds of (other's round time / this one's round time); > 1 means this is faster */
  median: number;
  min: number;
  max: number;
  rounds: number;
}

/**
 * Ratios per round: rounds[k] of `base` and `other` were measured back to back, so machine
 * drift cancels within a round. Each round's value is the median of its samples.
 * Returns other / base per round, summarised; null when there is no common round.
 */
export function ratioPerRound(
  base: readonly (readonly number[])[],
  other: readonly (readonly number[])[],
): RatioSummary | null {
  const k = Math.min(base.length, other.length);
  const ratios: number[] = [];
  for (let i = 0; i < k; i++) {
    const b = median(base[i]);
    const o = median(other[i]);
    if (b > 0 && Number.isFinite(b) && Number.isFinite(o)) ratios.push(o / b);
  }
  if (ratios.length === 0) return null;
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds: ratios.length,
  };
}

/** Flattens rounds of samples. */
export function allSamples(rounds: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (const r of rounds) out.push(...r);
  return out;
}
