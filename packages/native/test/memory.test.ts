/**
 * No leaks: resident memory stays flat over 10,000 calls of each kind (sync, async through the
 * pool, and calls the binding rejects). Each call uses fresh 150 KiB arrays (above the size that
 * goes to the pool), so anything the addon kept per call (a reference, a pending promise) would
 * hold gigabytes.
 */
import { createSoftmax, type Softmax, tensor } from '@softmax-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { loadBinding } from '../src/load-binding.js';

const ROWS = 64;
const N = 600;
let sm: Softmax<true>;

beforeAll(async () => {
  sm = await createSoftmax(nativeBackend({ threads: 2 }));
});
afterAll(() => sm.dispose());

function freshInput(): ReturnType<typeof tensor> {
  const x = new Float32Array(ROWS * N);
  for (let k = 0; k < x.length; k += 97) x[k] = k % 13;
  return tensor(x, { shape: [ROWS, N] });
}

async function rssGrowth(calls: number, call: () => unknown): Promise<number> {
  for (let k = 0; k < 1000; k++) await call(); // warm up: pools, JIT, allocator
  const before = process.memoryUsage().rss;
  for (let k = 0; k < calls; k++) await call();
  return (process.memoryUsage().rss - before) / 2 ** 20;
}

describe('resident memory over 10,000 calls', () => {
  it('stays flat for sync calls', async () => {
    const growth = await rssGrowth(10_000, () => sm.sync.softmax(freshInput()));
    expect(growth, `grew ${growth.toFixed(1)} MiB`).toBeLessThan(64);
  }, 120_000);

  it('stays flat for async calls run on the pool', async () => {
    const growth = await rssGrowth(10_000, () => sm.softmax(freshInput()));
    expect(growth, `grew ${growth.toFixed(1)} MiB`).toBeLessThan(64);
  }, 120_000);

  it('stays flat for calls the binding rejects', async () => {
    const binding = loadBinding();
    const raw = new binding.NativeBackend(1, binding.isas()[0]);
    const bad = () => {
      try {
        raw.params.set([10, 10, 1, 1, 0, 1]);
        raw.softmax(new Float32Array(100), new Float32Array(99), null, null, null);
      } catch {
        return;
      }
      throw new Error('the binding accepted a short out');
    };
    const growth = await rssGrowth(10_000, bad);
    raw.dispose();
    expect(growth, `grew ${growth.toFixed(1)} MiB`).toBeLessThan(64);
  }, 120_000);
});
