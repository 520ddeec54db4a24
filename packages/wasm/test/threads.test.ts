/**
 * Threads: every thread count gives the same bits (rows split across workers, one long row
 * split with merged (max, sum) partials or, for the gradients, block sums; strided axes, masks),
 * and those bits are right against the float64 reference.
 */
import { createSoftmax, mask, tensor } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';

const FORWARD_REFERENCE = {
  softmax: reference.softmax,
  logSoftmax: reference.logSoftmax,
  logSumExp: reference.logSumExp,
};

import { describe, expect, it } from 'vitest';
import { type WasmCapabilities, wasmBackend } from '../dist/index.js';
import { firstBitDifference, hostData, input, sessionsPerThreadCount, worstError } from './helpers.js';

const THREADS = [1, 2, 3];
const sessions = sessionsPerThreadCount(THREADS);

const CASES: { name: string; shape: number[]; axis: number; where?: boolean }[] = [
  { name: 'many rows', shape: [777, 301], axis: -1 },
  { name: 'one long row (split across workers)', shape: [1, 300_007], axis: -1 },
  { name: 'two long rows, masked', shape: [2, 200_003], axis: -1, where: true },
  { name: 'a strided axis', shape: [129, 67, 33], axis: 1 },
  { name: 'a long strided axis', shape: [40_000, 5], axis: 0 },
];

describe('the same bits for every thread count', () => {
  it('declares the threads it runs', () => {
    for (const [threads, sm] of sessions) {
      const caps = sm.capabilities as WasmCapabilities;
      expect(caps.threads).toBe(threads);
      expect(caps.sync).toBe(threads === 1);
      expect(caps.sharedMemory).toBe(threads > 1);
    }
  });

  for (const c of CASES) {
    for (const op of ['softmax', 'logSoftmax', 'logSumExp'] as const) {
      it(`${op}: ${c.name} ${JSON.stringify(c.shape)} axis ${c.axis}`, async () => {
        const x = input(c.shape, c.shape.length * 7 + c.shape[0]);
        const size = x.data.length;
        const where = c.where
          ? mask(
              Uint8Array.from({ length: size }, (_, k) => (k % 11 === 3 ? 0 : 1)),
              { shape: c.shape },
            )
          : undefined;
        const options = { axis: c.axis, ...(where ? { where } : {}) };
        const results = [];
        for (const threads of THREADS) results.push(hostData(await sessions.get(threads)![op](x, options)));
        for (let t = 1; t < THREADS.length; t++) {
          const k = firstBitDifference(results[0], results[t]);
          expect(k, `${THREADS[t]} threads differ from 1 thread at element ${k}`).toBe(-1);
        }
        const want = hostData(FORWARD_REFERENCE[op](x, options));
        const bound = op === 'softmax' ? 4e-6 : 2e-6;
        expect(worstError(results[0], want, op === 'softmax' ? 1e-7 / 4e-6 : 1)).toBeLessThan(bound);
      });
    }
  }

  it('softmaxBackward and cross-entropy over many rows', async () => {
    const shape = [513, 257];
    const y = reference.softmax(input(shape, 5)).data;
    const yt = tensor(Float32Array.from(y), { shape });
    const dy = input(shape, 6);
    const labels = { data: Int32Array.from({ length: 513 }, (_, k) => (k * 31) % 257), shape: [513] };
    const x = input(shape, 7);
    const grads = [];
    const losses = [];
    for (const threads of THREADS) {
      const sm = sessions.get(threads)!;
      grads.push(hostData(await sm.softmaxBackward(yt, dy)));
      const ce = await sm.softmaxCrossEntropy(x, labels, { reduction: 'none' });
      losses.push(hostData(ce.loss), hostData(ce.grad));
    }
    for (let t = 1; t < THREADS.length; t++) {
      expect(firstBitDifference(grads[0], grads[t])).toBe(-1);
      expect(firstBitDifference(losses[0], losses[2 * t])).toBe(-1);
      expect(firstBitDifference(losses[1], losses[2 * t + 1])).toBe(-1);
    }
    const want = reference.softmaxBackward(yt, dy).data;
    expect(worstError(grads[0], want, 1e-7 / 4e-6)).toBeLessThan(4e-6 * 8);
  });

  // Gradient rows of 2^20 elements and more split across the workers (2 threads: the two-row cases
  // run a row per worker); a [rows, 1] mask switches whole rows on or off.
  const LONG_GRADIENT_CASES: {
    name: string;
    shape: number[];
    where?: 'elements' | 'rows';
    float64?: boolean;
  }[] = [
    { name: 'one long row', shape: [1, 1_100_003] },
    { name: 'one long float64 row', shape: [1, 1_048_600], float64: true },
    { name: 'two long rows, masked', shape: [2, 1_050_001], where: 'elements' },
    { name: 'two long rows, the second masked out whole', shape: [2, 1_048_577], where: 'rows' },
  ];
  for (const c of LONG_GRADIENT_CASES) {
    for (const op of ['softmaxBackward', 'logSoftmaxBackward'] as const) {
      it(`${op}: ${c.name} ${JSON.stringify(c.shape)} (block sums split across workers)`, async () => {
        const [rows, n] = c.shape;
        const where =
          c.where === 'elements'
            ? mask(
                Uint8Array.from({ length: rows * n }, (_, k) => (k % 13 === 5 ? 0 : 1)),
                { shape: c.shape },
              )
            : c.where === 'rows'
              ? mask(Uint8Array.from([1, 0]), { shape: [rows, 1] })
              : undefined;
        const options = { temperature: 1.25, ...(where ? { where } : {}) };
        const x = input(c.shape, 40 + rows);
        const [forward, backward] =
          op === 'softmaxBackward'
            ? [reference.softmax, reference.softmaxBackward]
            : [reference.logSoftmax, reference.logSoftmaxBackward];
        const Float = c.float64 ? Float64Array : Float32Array;
        const a = tensor(Float.from(forward(x, options).data), { shape: c.shape });
        const dy = tensor(Float.from(input(c.shape, 41 + rows).data), { shape: c.shape });
        const results = [];
        for (const threads of THREADS)
          results.push(hostData(await sessions.get(threads)![op](a, dy, options)));
        for (let t = 1; t < THREADS.length; t++) {
          const k = firstBitDifference(results[0], results[t]);
          expect(k, `${THREADS[t]} threads differ from 1 thread at element ${k}`).toBe(-1);
        }
        const want = hostData(backward(a, dy, options));
        expect(worstError(results[0], want, 1e-7 / 4e-6)).toBeLessThan(4e-6 * 8);
        if (c.where === 'rows') expect(results[0].subarray(n).every((v) => v === 0)).toBe(true);
      });
    }
  }

  it('concurrent calls do not disturb each other', async () => {
    const sm = sessions.get(3)!;
    const xs = [0, 1, 2, 3, 4].map((k) => input([64 + k, 1000 + k], 100 + k));
    const results = await Promise.all(xs.map((x) => sm.softmax(x)));
    xs.forEach((x, k) => {
      expect(worstError(results[k].data, reference.softmax(x).data, 1e-7 / 4e-6)).toBeLessThan(4e-6);
    });
  });
});

describe('dispose', () => {
  it('rejects a call still running on the workers instead of leaving it pending', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 2, inlineElements: 0 }));
    const running = sm.softmax(input([1, 2_000_000], 9));
    await sm.dispose();
    await expect(running).rejects.toThrow(/disposed/);
  });
});
