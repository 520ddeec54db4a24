/**
 * Rows up to a chunk long are summed around a shift sampled from nine elements (the first, the
 * last and every eighth of the row) and redone around the exact max when the estimate lies too
 * far below it. These rows make every sample miss: spikes between the samples, masks hiding
 * the samples, a low temperature, special values at and between the samples. Each vector
 * target runs them, against the float64 reference and SEMANTICS.md's float32 bounds.
 */
import { createSoftmax, type Softmax, tensor } from '@softmax-kit/core';
import { logSoftmax, logSumExp, softmax } from '@softmax-kit/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { loadBinding } from '../src/load-binding.js';
import { randomF32 } from './helpers.js';

const N = 1000; // samples at 0, 125, ..., 875 and 999
const SAMPLES = [0, 125, 250, 375, 500, 625, 750, 875, 999];

interface Row {
  readonly name: string;
  readonly x: Float32Array;
  readonly where?: Uint8Array;
  readonly temperature?: number;
}

function base(seed: number): Float32Array {
  return randomF32(N, seed, 1);
}

function withAt(seed: number, at: Record<number, number>): Float32Array {
  const x = base(seed);
  for (const [j, v] of Object.entries(at)) x[Number(j)] = v;
  return x;
}

const ROWS: Row[] = [
  { name: 'a spike of 200 between samples (estimate 200 below the max)', x: withAt(1, { 3: 200 }) },
  { name: 'a spike of 100 between samples (exp(100) would overflow float32)', x: withAt(11, { 900: 100 }) },
  { name: 'a spike of 60 between samples (estimate kept)', x: withAt(2, { 130: 60 }) },
  { name: 'spikes of 1e30 between samples', x: withAt(3, { 7: 1e30, 503: 1e30 }) },
  { name: 'temperature 0.01 (spread past the limit)', x: withAt(4, { 64: 2 }), temperature: 0.01 },
  {
    name: 'every sample masked out',
    x: withAt(5, { 1: 100 }),
    where: Uint8Array.from({ length: N }, (_, j) => (SAMPLES.includes(j) ? 0 : 1)),
  },
  {
    name: 'only one unsampled element takes part',
    x: base(6),
    where: Uint8Array.from({ length: N }, (_, j) => (j === 77 ? 1 : 0)),
  },
  { name: '-Infinity at every sample', x: withAt(7, Object.fromEntries(SAMPLES.map((j) => [j, -Infinity]))) },
  { name: '+Infinity between samples', x: withAt(8, { 9: Infinity }) },
  { name: 'NaN between samples', x: withAt(9, { 11: Number.NaN }) },
  { name: 'NaN at a sample', x: withAt(10, { 125: Number.NaN }) },
  {
    name: '-1e30 everywhere but one unsampled 0',
    x: Float32Array.from({ length: N }, (_, j) => (j === 600 ? 0 : -1e30)),
  },
];

function expectWithin(got: ArrayLike<number>, want: ArrayLike<number>, bound: (ref: number) => number): void {
  for (let j = 0; j < want.length; j++) {
    const w = want[j];
    const g = got[j];
    if (!Number.isFinite(w) || w === 0) {
      expect(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `[${j}] ${g} vs ${w}`).toBe(true);
      continue;
    }
    expect(Math.abs(g - w), `[${j}] ${g} vs ${w}`).toBeLessThanOrEqual(bound(w));
  }
}

const softmaxBound = (ref: number) => Math.max(4e-6 * Math.abs(ref), 1e-7);
const logBound = (ref: number) => 2e-6 * Math.max(1, Math.abs(ref));

for (const isa of loadBinding().isas()) {
  describe(`the sampled shift misses (${isa})`, () => {
    let sm: Softmax<true>;
    beforeAll(async () => {
      sm = await createSoftmax(nativeBackend({ threads: 1, isa }));
    });
    afterAll(() => sm.dispose());

    for (const row of ROWS) {
      it(row.name, () => {
        const shape = [2, N]; // two rows: the second one prefetched by the first
        const x = new Float32Array(2 * N);
        x.set(row.x, 0);
        x.set(row.x, N);
        const options = {
          ...(row.temperature === undefined ? {} : { temperature: row.temperature }),
          ...(row.where === undefined ? {} : { where: { data: row.where, shape: [N] } }),
        };
        const input = tensor(x, { shape });
        const refInput = tensor(Float64Array.from(row.x), { shape: [N] });
        const y = sm.sync.softmax(input, options).data;
        const lp = sm.sync.logSoftmax(input, options).data;
        const lse = sm.sync.logSumExp(input, options).data;
        const wantY = softmax(refInput, options).data;
        const wantLp = logSoftmax(refInput, options).data;
        const wantLse = logSumExp(refInput, options).data;
        for (let r = 0; r < 2; r++) {
          expectWithin(y.subarray(r * N, (r + 1) * N), wantY, softmaxBound);
          expectWithin(lp.subarray(r * N, (r + 1) * N), wantLp, logBound);
          expectWithin([lse[r]], wantLse, logBound);
        }
      });
    }
  });
}
