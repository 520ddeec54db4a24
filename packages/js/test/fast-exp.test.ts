import { describe, expect, it } from 'vitest';
import { EXP_CEILING, EXP_CUTOFF, EXP_TABLE, EXP_TABLE_OFFSET, fastExp } from '../src/fast-exp.js';

/** Largest relative error of fastExp against Math.exp over `count` evenly spaced points in [a, b]. */
function maxRelativeError(a: number, b: number, count: number): number {
  let worst = 0;
  for (let k = 0; k <= count; k++) {
    const d = a + ((b - a) * k) / count;
    const want = Math.exp(d);
    const err = Math.abs(fastExp(d) - want) / want;
    if (err > worst) worst = err;
  }
  return worst;
}

describe('fastExp', () => {
  it('is within 1e-8 relative of Math.exp over its whole fast range [EXP_CUTOFF, EXP_CEILING]', () => {
    // 8 million points: about 700 per table step of ln2 / 64.
    const worst = maxRelativeError(EXP_CUTOFF, EXP_CEILING, 8_000_000);
    expect(worst).toBeLessThan(1e-8);
    expect(worst).toBeGreaterThan(0); // it really is the polynomial being measured
  });

  it('is within 1e-8 near 0 and at the edges of every reduction step', () => {
    expect(maxRelativeError(-0.05, 0.05, 200_000)).toBeLessThan(1e-8);
    const step = Math.LN2 / 64;
    let worst = 0;
    for (let k = -8130; k < 8062; k++) {
      for (const d of [-(k + 0.5) * step * (1 - 1e-12), -(k + 0.5) * step * (1 + 1e-12), -k * step]) {
        if (d < EXP_CUTOFF || d > EXP_CEILING) continue;
        worst = Math.max(worst, Math.abs(fastExp(d) - Math.exp(d)) / Math.exp(d));
      }
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('keeps the exact special values, flushes below the cutoff and falls back to Math.exp above', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    expect(Object.is(fastExp(-Infinity), 0)).toBe(true);
    expect(Number.isNaN(fastExp(Number.NaN))).toBe(true);
    expect(fastExp(100)).toBe(Math.exp(100));
    expect(Object.is(fastExp(-100), 0)).toBe(true);
    expect(Object.is(fastExp(-1e9), 0)).toBe(true);
    expect(Math.exp(EXP_CUTOFF)).toBeLessThan(1.25e-38); // about float32's smallest normal, 1.18e-38
    expect(fastExp(Infinity)).toBe(Infinity);
  });

  it('has a table of exact powers 2^(-k/64)', () => {
    const at = (k: number) => EXP_TABLE[k + EXP_TABLE_OFFSET];
    expect(at(0)).toBe(1);
    expect(at(64)).toBe(0.5);
    expect(at(-640)).toBe(2 ** 10);
    expect(EXP_TABLE.length - EXP_TABLE_OFFSET).toBeGreaterThan(Math.ceil((-EXP_CUTOFF * 64) / Math.LN2));
    expect(EXP_TABLE_OFFSET).toBeGreaterThan(Math.ceil((EXP_CEILING * 64) / Math.LN2));
  });
});
