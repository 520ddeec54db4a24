import { describe, expect, it } from 'vitest';
import { isBimodal, median, quantile, ratioPerRound, summarize } from '../src/stats.js';

describe('quantile / median', () => {
  it('interpolates like NumPy (type 7)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
    expect(quantile([7], 0.3)).toBe(7);
  });
  it('is NaN for no samples and does not reorder its input', () => {
    expect(median([])).toBeNaN();
    const a = [3, 1, 2];
    median(a);
    expect(a).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives median, spread and relative MAD', () => {
    const s = summarize([10, 11, 9, 10, 30]);
    expect(s.n).toBe(5);
    expect(s.median).toBe(10);
    expect(s.min).toBe(9);
    expect(s.max).toBe(30);
    expect(s.relMad).toBeCloseTo(0.1);
    expect(s.p90).toBeGreaterThan(11);
  });
});

describe('isBimodal', () => {
  it('flags two well separated clusters', () => {
    expect(isBimodal([1, 1.1, 1, 1.05, 2, 2.1, 2, 2.05])).toBe(true);
  });
  it('does not flag one cluster with an outlier, or few samples', () => {
    expect(isBimodal([1, 1.1, 1, 1.05, 1.02, 1.03, 1.01, 5])).toBe(false);
    expect(isBimodal([1, 2, 1, 2])).toBe(false);
  });
});

describe('ratioPerRound', () => {
  it('pairs round k with round k and takes the median of the ratios', () => {
    // machine drift: round 2 is twice as slow for both; the ratio stays 2
    const fast = [
      [1, 1],
      [2, 2],
      [1, 1],
    ];
    const slow = [
      [2, 2],
      [4, 4],
      [2, 2],
    ];
    const r = ratioPerRound(fast, slow)!;
    expect(r.median).toBe(2);
    expect(r.min).toBe(2);
    expect(r.max).toBe(2);
    expect(r.rounds).toBe(3);
  });
  it('uses only common rounds and returns null without any', () => {
    expect(ratioPerRound([[1], [1], [1]], [[3]])!.rounds).toBe(1);
    expect(ratioPerRound([], [[1]])).toBeNull();
  });
  it('differs from a ratio of pooled medians when drift is uneven', () => {
    const a = [[1], [1], [10]];
    const b = [[2], [2], [20]];
    expect(ratioPerRound(a, b)!.median).toBe(2);
  });
});
