/**
 * Outputs of 8 MiB and more are written with non-temporal stores (rows whose starts are not
 * vector-aligned get a plain head first). Checked against the float64 reference on sampled rows.
 */
import { createSoftmax, labels, type Softmax, tensor } from '@softmax-kit/core';
import { logSoftmax, softmax, softmaxBackward, softmaxCrossEntropy } from '@softmax-kit/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { randomF32, randomMask } from './helpers.js';

const ROWS = 2203;
const N = 1001; // rows start at every alignment
let sm: Softmax<true>;

beforeAll(async () => {
  sm = await createSoftmax(nativeBackend({ threads: 2 }));
});
afterAll(() => sm.dispose());

const x = randomF32(ROWS * N, 11);
const dy = randomF32(ROWS * N, 12, 1);
const where = randomMask(ROWS * N, 13);
const SAMPLED = [0, 1, 2, 3, 17, 1000, ROWS - 2, ROWS - 1];

function row(a: Float32Array, r: number): Float64Array {
  return Float64Array.from(a.subarray(r * N, (r + 1) * N));
}

function expectRowsClose(
  got: Float32Array,
  want: (r: number) => ArrayLike<number>,
  rel: number,
  abs: number,
): void {
  for (const r of SAMPLED) {
    const w = want(r);
    for (let j = 0; j < N; j++) {
      const g = got[r * N + j];
      if (w[j] === Number.NEGATIVE_INFINITY || w[j] === 0) {
        expect(g, `row ${r} [${j}]`).toBe(w[j]);
        continue;
      }
      expect(Math.abs(g - w[j]), `row ${r} [${j}]: ${g} vs ${w[j]}`).toBeLessThanOrEqual(
        Math.max(abs, rel * Math.abs(w[j])),
      );
    }
  }
}

describe(`streamed outputs (${ROWS}x${N} float32, ${((ROWS * N * 4) / 2 ** 20).toFixed(1)} MiB)`, () => {
  it('softmax and logSoftmax with a mask, temperature 0.8', async () => {
    const opts = { where: { data: where, shape: [ROWS, N] }, temperature: 0.8 };
    const input = tensor(x, { shape: [ROWS, N] });
    for (const mode of ['sync', 'async'] as const) {
      const ops = mode === 'sync' ? sm.sync : sm;
      const y = (await ops.softmax(input, opts)).data as Float32Array;
      const lp = (await ops.logSoftmax(input, opts)).data as Float32Array;
      const rowOpts = (r: number) => ({
        temperature: 0.8,
        where: { data: where.subarray(r * N, (r + 1) * N), shape: [N] },
      });
      expectRowsClose(y, (r) => softmax(tensor(row(x, r)), rowOpts(r)).data, 4e-6, 1e-7);
      expectRowsClose(lp, (r) => logSoftmax(tensor(row(x, r)), rowOpts(r)).data, 2e-6, 2e-6);
    }
  });

  it('softmaxBackward', async () => {
    const y = sm.sync.softmax(tensor(x, { shape: [ROWS, N] }));
    const g = sm.sync.softmaxBackward(y, tensor(dy, { shape: [ROWS, N] })).data as Float32Array;
    const yd = y.data as Float32Array;
    // Gradients are bounded relative to the magnitude of their terms: y (|dy| + |sum dy y|).
    expectRowsClose(g, (r) => softmaxBackward(tensor(row(yd, r)), tensor(row(dy, r))).data, 1e-5, 1e-7);
  });

  it('softmaxCrossEntropy with labels, smoothing and weights (reduction none)', async () => {
    const ys = Int32Array.from({ length: ROWS }, (_, r) => (r * 7919) % N);
    const weights = Float32Array.from(randomF32(N, 14, 1), Math.abs);
    const opts = { reduction: 'none' as const, labelSmoothing: 0.1 };
    const got = await sm.softmaxCrossEntropy(tensor(x, { shape: [ROWS, N] }), labels(ys), {
      ...opts,
      weights: tensor(weights, { shape: [N] }),
    });
    const grad = got.grad.data as Float32Array;
    for (const r of SAMPLED) {
      const want = softmaxCrossEntropy(tensor(row(x, r), { shape: [1, N] }), labels(Int32Array.of(ys[r])), {
        ...opts,
        weights: tensor(Float64Array.from(weights), { shape: [N] }),
      });
      const loss = (got.loss.data as Float32Array)[r];
      expect(Math.abs(loss - want.loss.data[0]), `loss of row ${r}`).toBeLessThanOrEqual(
        2e-6 * Math.max(1, Math.abs(want.loss.data[0])),
      );
      for (let j = 0; j < N; j++) {
        const w = want.grad.data[j];
        expect(Math.abs(grad[r * N + j] - w), `grad row ${r} [${j}]`).toBeLessThanOrEqual(
          Math.max(1e-7, 1e-5 * Math.abs(w)),
        );
      }
    }
  });
});
