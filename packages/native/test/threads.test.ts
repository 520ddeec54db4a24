/**
 * Results are identical, bit for bit, for every thread count and in both call modes: rows are
 * split only at slice boundaries and a long row only at fixed chunk boundaries, whatever the
 * number of threads.
 */
import { createSoftmax, labels, type Softmax, type Tensor, tensor } from '@softmax-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { randomF32, randomF64, randomMask, sameBits } from './helpers.js';

const THREADS = [1, 2, 3, 5];
const sessions = new Map<number, Softmax<true>>();

beforeAll(async () => {
  for (const threads of THREADS) sessions.set(threads, await createSoftmax(nativeBackend({ threads })));
});
afterAll(async () => {
  for (const sm of sessions.values()) await sm.dispose();
});

type Run = (sm: Softmax<true>, mode: 'sync' | 'async') => Promise<Tensor[]>;

/** Every thread count and both modes give the bits of the one-thread sync run. */
async function expectSameForAllThreads(run: Run): Promise<void> {
  const want = await run(sessions.get(1)!, 'sync');
  for (const threads of THREADS) {
    for (const mode of ['sync', 'async'] as const) {
      const got = await run(sessions.get(threads)!, mode);
      got.forEach((t, k) => {
        expect(
          sameBits(t.data as Float32Array, want[k].data as Float32Array),
          `${threads} threads, ${mode}, output ${k}`,
        ).toBe(true);
      });
    }
  }
}

const cases: {
  what: string;
  shape: number[];
  axis: number;
  masked: boolean;
  f64: boolean;
  temperature?: number;
}[] = [
  { what: 'one long row (split across threads)', shape: [1, 1_000_003], axis: -1, masked: false, f64: false },
  {
    what: 'one long masked row, temperature 0.7',
    shape: [1, 300_001],
    axis: -1,
    masked: true,
    f64: false,
    temperature: 0.7,
  },
  { what: 'two long float64 rows', shape: [2, 200_003], axis: -1, masked: false, f64: true },
  { what: 'many rows', shape: [513, 1031], axis: -1, masked: true, f64: false },
  { what: 'a middle axis', shape: [5, 777, 37], axis: 1, masked: true, f64: false },
  { what: 'a middle axis, float64', shape: [3, 301, 53], axis: 1, masked: false, f64: true },
];

describe('identical results for 1, 2, 3 and 5 threads, sync and async', () => {
  for (const c of cases) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = tensor(c.f64 ? randomF64(size, 1) : randomF32(size, 1), { shape: c.shape });
    const dy = tensor(c.f64 ? randomF64(size, 2, 1) : randomF32(size, 2, 1), { shape: c.shape });
    const where = c.masked ? { data: randomMask(size, 3), shape: c.shape } : undefined;
    const opts = { axis: c.axis, where, temperature: c.temperature };

    it(`softmax, logSoftmax, logSumExp and both backward ops: ${c.what}`, async () => {
      await expectSameForAllThreads(async (sm, mode) => {
        const ops = mode === 'sync' ? sm.sync : sm;
        const y = await ops.softmax(x, opts);
        const logp = await ops.logSoftmax(x, opts);
        return [
          y,
          logp,
          await ops.logSumExp(x, opts),
          await ops.softmaxBackward(y, dy, opts),
          await ops.logSoftmaxBackward(logp, dy, opts),
        ];
      });
    }, 60_000);
  }

  it('cross-entropy with labels, smoothing and weights over many rows', async () => {
    const rows = 4099;
    const classes = 257;
    const logits = tensor(randomF32(rows * classes, 4), { shape: [rows, classes] });
    const ys = labels(Int32Array.from({ length: rows }, (_, k) => (k * 7919) % classes));
    const weights = tensor(randomF32(classes, 5, 1).map(Math.abs), { shape: [classes] });
    await expectSameForAllThreads(async (sm, mode) => {
      const ops = mode === 'sync' ? sm.sync : sm;
      const r = await ops.softmaxCrossEntropy(logits, ys, {
        labelSmoothing: 0.1,
        weights,
        reduction: 'none',
      });
      return [r.loss, r.grad];
    });
  }, 60_000);
});
