/** mulberry32: a tiny seeded PRNG, so every run of the suite sees the same inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values uniform in [-scale, scale). */
export function uniformValues(count: number, seed: number, scale = 4): number[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => (next() * 2 - 1) * scale);
}

/** `count` flags that are 1 with probability `keep`. */
export function randomFlags(count: number, seed: number, keep = 0.7): number[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => (next() < keep ? 1 : 0));
}

/** `count` random probability rows of length `classes` (each row sums to 1). */
export function randomDistributions(rows: number, classes: number, seed: number): number[] {
  const next = seededRandom(seed);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: classes }, () => next() + 0.01);
    const sum = row.reduce((a, b) => a + b, 0);
    out.push(...row.map((v) => v / sum));
  }
  return out;
}
