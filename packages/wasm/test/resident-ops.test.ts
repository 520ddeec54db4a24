/**
 * Every op on arrays resident in linear memory (sm.upload, results left there): right against
 * the float64 reference, the same bits as the same call on host arrays, and the same bits for
 * 1 and 2 threads (rows split across the workers, one long row split with merged partials).
 */
import {
  type AnyTensor,
  type FloatArray,
  isDeviceArray,
  mask,
  type Softmax,
  type Tensor,
  tensor,
} from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { describe, expect, it } from 'vitest';
import { firstBitDifference, hostData, input, sessionsPerThreadCount, worstError } from './helpers.js';

const FORWARD_REFERENCE = {
  softmax: reference.softmax,
  logSoftmax: reference.logSoftmax,
  logSumExp: reference.logSumExp,
};

const THREADS = [1, 2] as const;
const sessions = sessionsPerThreadCount(THREADS);

/** The result's data, downloaded after checking that it stayed in the backend's memory. */
async function downloaded(sm: Softmax, t: AnyTensor): Promise<FloatArray> {
  expect(isDeviceArray(t.data), 'the result is a device array').toBe(true);
  expect((t.data as { backend: string }).backend).toBe('wasm');
  return (await sm.download(t)).data;
}

const resident = async (sm: Softmax, t: Tensor) => {
  const up = await sm.upload(t);
  expect(isDeviceArray(up.data)).toBe(true);
  return up;
};

// Bounds as the conformance suite writes them (relative, with an absolute floor).
const PROBABILITY = { bound: 4e-6, floor: 1e-7 / 4e-6 };
const LOG = { bound: 2e-6, floor: 1 };
const GRADIENT = { bound: 4e-6 * 8, floor: 1e-7 / 4e-6 };

interface Case {
  readonly name: string;
  readonly shape: number[];
  readonly axis: number;
  readonly masked?: boolean;
  readonly temperature?: number;
}

const FORWARD_CASES: Case[] = [
  { name: 'rows', shape: [37, 129], axis: -1 },
  { name: 'rows, masked, temperature 0.7', shape: [41, 67], axis: -1, masked: true, temperature: 0.7 },
  { name: 'a strided axis, masked', shape: [5, 33, 7], axis: 1, masked: true },
  // over 8 MiB, where a target with non-temporal stores would stream the output; wasm has none,
  // so these rows keep their exps in the output: the same path and bits as the host call's blocks
  { name: 'rows of 20,000 in a call over 8 MiB', shape: [110, 20_000], axis: -1 },
  { name: 'one long row (split with partials on 2 threads)', shape: [1, 100_003], axis: -1 },
  { name: 'one long masked row', shape: [1, 70_001], axis: -1, masked: true },
];

function optionsFor(c: Case) {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const where = c.masked
    ? mask(
        Uint8Array.from({ length: size }, (_, k) => (k % 7 === 2 ? 0 : 1)),
        { shape: c.shape },
      )
    : undefined;
  return {
    axis: c.axis,
    ...(where ? { where } : {}),
    ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
  };
}

/** Runs `call` on every session; checks 2 threads give 1 thread's bits and returns them. */
async function sameOnEveryThreadCount(call: (sm: Softmax) => Promise<FloatArray>): Promise<FloatArray> {
  const results: FloatArray[] = [];
  for (const threads of THREADS) results.push(await call(sessions.get(threads)!));
  const k = firstBitDifference(results[0], results[1]);
  expect(k, `2 threads differ from 1 thread at element ${k}`).toBe(-1);
  return results[0];
}

describe('forward ops on resident arrays', () => {
  for (const c of FORWARD_CASES) {
    for (const op of ['softmax', 'logSoftmax', 'logSumExp'] as const) {
      it(`${op}: ${c.name} ${JSON.stringify(c.shape)}`, async () => {
        const x = input(c.shape, c.shape[0] * 13 + c.shape.length);
        const options = optionsFor(c);
        const hostOuts: FloatArray[] = [];
        const got = await sameOnEveryThreadCount(async (sm) => {
          const dx = await resident(sm, x);
          // also with the result streamed out to a host array
          hostOuts.push(hostData(await sm[op](dx, { ...options, output: 'host' })));
          return downloaded(sm, await sm[op](dx, options));
        });
        const host = hostData(await sessions.get(1)![op](x, options));
        expect(firstBitDifference(got, host), 'resident and host arrays give the same bits').toBe(-1);
        for (const hostOut of hostOuts) expect(firstBitDifference(hostOut, host)).toBe(-1);
        const tol = op === 'softmax' ? PROBABILITY : LOG;
        expect(worstError(got, FORWARD_REFERENCE[op](x, options).data, tol.floor)).toBeLessThan(tol.bound);
      });
    }
  }

  it('float64: softmax and logSumExp', async () => {
    const shape = [9, 1001];
    const x = tensor(Float64Array.from(input(shape, 3).data), { shape });
    for (const op of ['softmax', 'logSumExp'] as const) {
      const got = await sameOnEveryThreadCount(async (sm) => {
        const dx = await resident(sm, x);
        const data = await downloaded(sm, await sm[op](dx));
        expect(data).toBeInstanceOf(Float64Array);
        return data;
      });
      expect(worstError(got, FORWARD_REFERENCE[op](x).data, 1)).toBeLessThan(1e-12);
    }
  });
});

describe('gradients on resident arrays', () => {
  const shape = [29, 83];
  const where = mask(
    Uint8Array.from({ length: 29 * 83 }, (_, k) => (k % 5 === 1 ? 0 : 1)),
    { shape },
  );
  // one long row: split into block sums across 2 threads (from 2^20 elements)
  const longShape = [1, 1_048_583];
  const longWhere = mask(
    Uint8Array.from({ length: 1_048_583 }, (_, k) => (k % 9 === 4 ? 0 : 1)),
    { shape: longShape },
  );

  for (const withMask of [false, true]) {
    const options = withMask ? { where, temperature: 1.5 } : {};
    const label = withMask ? ', masked, temperature 1.5' : '';

    for (const [rows, opts, rowsLabel] of [
      [shape, options, ''],
      [longShape, withMask ? { where: longWhere, temperature: 1.5 } : {}, ', one long row'],
    ] as const) {
      it(`softmaxBackward${label}${rowsLabel}`, async () => {
        const y = tensor(Float32Array.from(reference.softmax(input(rows, 11), opts).data), { shape: rows });
        const dy = input(rows, 12);
        const got = await sameOnEveryThreadCount(async (sm) => {
          const [ry, rdy] = [await resident(sm, y), await resident(sm, dy)];
          return downloaded(sm, await sm.softmaxBackward(ry, rdy, opts));
        });
        expect(firstBitDifference(got, hostData(await sessions.get(1)!.softmaxBackward(y, dy, opts)))).toBe(
          -1,
        );
        const want = reference.softmaxBackward(y, dy, opts).data;
        expect(worstError(got, want, GRADIENT.floor)).toBeLessThan(GRADIENT.bound);
      });

      it(`logSoftmaxBackward${label}${rowsLabel}`, async () => {
        const logp = tensor(Float32Array.from(reference.logSoftmax(input(rows, 13), opts).data), {
          shape: rows,
        });
        const dy = input(rows, 14);
        const got = await sameOnEveryThreadCount(async (sm) => {
          const [rl, rdy] = [await resident(sm, logp), await resident(sm, dy)];
          return downloaded(sm, await sm.logSoftmaxBackward(rl, rdy, opts));
        });
        expect(
          firstBitDifference(got, hostData(await sessions.get(1)!.logSoftmaxBackward(logp, dy, opts))),
        ).toBe(-1);
        const want = reference.logSoftmaxBackward(logp, dy, opts).data;
        expect(worstError(got, want, GRADIENT.floor)).toBeLessThan(GRADIENT.bound);
      });
    }

    it(`softmaxJacobian${label}`, async () => {
      const y = tensor(Float32Array.from(reference.softmax(input(shape, 15), options).data), { shape });
      const got = await sameOnEveryThreadCount(async (sm) => {
        const ry = await resident(sm, y);
        const j = await sm.softmaxJacobian(ry, options);
        expect(j.shape).toEqual([29, 83, 83]);
        return downloaded(sm, j);
      });
      expect(firstBitDifference(got, hostData(await sessions.get(1)!.softmaxJacobian(y, options)))).toBe(-1);
      const want = reference.softmaxJacobian(y, options).data;
      expect(worstError(got, want, GRADIENT.floor)).toBeLessThan(GRADIENT.bound);
    });
  }
});

describe('cross-entropy on resident logits', () => {
  const shape = [57, 31];
  const logits = input(shape, 21);
  const labels = {
    data: Int32Array.from({ length: 57 }, (_, k) => (k % 9 === 4 ? -100 : (k * 7) % 31)),
    shape: [57],
  };
  const weights = tensor(Float32Array.from({ length: 31 }, (_, c) => 0.5 + (c % 4) * 0.25));
  const probs = tensor(Float32Array.from(reference.softmax(input(shape, 22)).data), { shape });

  for (const reduction of ['none', 'mean', 'sum'] as const) {
    it(`labels (weights, ignoreIndex, smoothing), reduction '${reduction}'`, async () => {
      const options = { reduction, weights, labelSmoothing: 0.1 };
      const losses: FloatArray[] = [];
      const grad = await sameOnEveryThreadCount(async (sm) => {
        const r = await sm.softmaxCrossEntropy(await resident(sm, logits), labels, options);
        losses.push(await downloaded(sm, r.loss));
        return downloaded(sm, r.grad);
      });
      expect(firstBitDifference(losses[0], losses[1])).toBe(-1);
      const host = await sessions.get(1)!.softmaxCrossEntropy(logits, labels, options);
      expect(firstBitDifference(grad, hostData(host.grad))).toBe(-1);
      expect(firstBitDifference(losses[0], hostData(host.loss)), 'the device loss equals the host loss').toBe(
        -1,
      );
      const want = reference.softmaxCrossEntropy(logits, labels, options);
      expect(worstError(losses[0], want.loss.data, LOG.floor)).toBeLessThan(LOG.bound);
      expect(worstError(grad, want.grad.data, GRADIENT.floor)).toBeLessThan(GRADIENT.bound);
    });
  }

  it('resident probability targets, reduction mean', async () => {
    const losses: FloatArray[] = [];
    const grad = await sameOnEveryThreadCount(async (sm) => {
      const r = await sm.softmaxCrossEntropy(await resident(sm, logits), await resident(sm, probs));
      losses.push(await downloaded(sm, r.loss));
      return downloaded(sm, r.grad);
    });
    expect(firstBitDifference(losses[0], losses[1])).toBe(-1);
    const want = reference.softmaxCrossEntropy(logits, probs);
    expect(worstError(losses[0], want.loss.data, LOG.floor)).toBeLessThan(LOG.bound);
    expect(worstError(grad, want.grad.data, GRADIENT.floor)).toBeLessThan(GRADIENT.bound);
  });
});
