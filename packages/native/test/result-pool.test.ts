/**
 * New results of 1 MiB and more come from the addon's result pool (addon/result-pool.h): pages
 * kept after a result is collected and handed to the next one. Values are compared with a
 * float64 reference; the pool's counters show where each array came from.
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MessageChannel, Worker } from 'node:worker_threads';
import { createSoftmax, type Softmax, tensor } from '@softmax-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { bindingCandidates, loadBinding } from '../src/load-binding.js';
import { randomF32 } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const binding = loadBinding();
const stats = () => {
  const [kept, keptBytes, live, served, reused] = binding.resultPoolStats();
  return { kept, keptBytes, live, served, reused };
};

function arrayBufferOf(data: Float32Array | Float64Array): ArrayBuffer {
  const { buffer } = data;
  if (!(buffer instanceof ArrayBuffer)) throw new Error('a result on a SharedArrayBuffer');
  return buffer;
}

/** Collects dropped results and lets their finalizers (queued to the JS thread) run. */
async function collect(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const ROWS = 512;
const N = 1024; // 2 MiB of float32 per result

/** The largest |got - softmax(x)| over rows of N, in float64. */
function worstError(x: Float32Array, got: Float32Array | Float64Array): number {
  let worst = 0;
  for (let r = 0; r < x.length / N; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < N; j++) max = Math.max(max, x[r * N + j]);
    let sum = 0;
    for (let j = 0; j < N; j++) sum += Math.exp(x[r * N + j] - max);
    for (let j = 0; j < N; j++) {
      worst = Math.max(worst, Math.abs(got[r * N + j] - Math.exp(x[r * N + j] - max) / sum));
    }
  }
  return worst;
}

let sm: Softmax<true>;
beforeAll(async () => {
  sm = await createSoftmax(nativeBackend({ threads: 2 }));
});
afterAll(() => sm.dispose());

describe('pooled results', () => {
  it('gives each live result its own memory, and correct values', async () => {
    const inputs = [1, 2, 3, 4].map((seed) => randomF32(ROWS * N, seed));
    const before = stats().served;
    const results = await Promise.all(inputs.map((x) => sm.softmax(tensor(x, { shape: [ROWS, N] }))));
    expect(stats().served - before).toBe(4);
    expect(new Set(results.map((y) => y.data.buffer)).size).toBe(4);
    results.forEach((y, k) => {
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(y.data.length).toBe(ROWS * N);
      expect(worstError(inputs[k], y.data)).toBeLessThan(1e-6);
    });
  });

  it('reuses the memory of collected results, one result per block', async () => {
    const xs = [5, 6].map((seed) => randomF32(ROWS * N, seed));
    const inputs = xs.map((x) => tensor(x, { shape: [ROWS, N] }));
    await Promise.all(inputs.map((input) => sm.softmax(input))); // dropped at once
    await collect();
    const kept = stats();
    expect(kept.kept).toBeGreaterThanOrEqual(2);
    const ys = await Promise.all(inputs.map((input) => sm.softmax(input)));
    const after = stats();
    expect(after.reused).toBe(kept.reused + 2);
    expect(after.kept).toBe(kept.kept - 2);
    expect(ys[0].data.buffer === ys[1].data.buffer, 'two live results on one block').toBe(false);
    for (const [k, y] of ys.entries()) expect(worstError(xs[k], y.data)).toBeLessThan(1e-6);
  });

  it('serves float64 results and sync calls too', async () => {
    const x = randomF32(ROWS * N, 6);
    const before = stats().served;
    const y = sm.sync.softmax(tensor(Float64Array.from(x), { shape: [ROWS, N] }));
    expect(y.data).toBeInstanceOf(Float64Array);
    expect(stats().served).toBe(before + 1);
    expect(worstError(x, y.data)).toBeLessThan(1e-12);
  });

  it('leaves results under 1 MiB to core', async () => {
    const before = stats().served;
    const y = await sm.softmax(tensor(randomF32(64 * 1024, 7), { shape: [64, 1024] }));
    expect(stats().served).toBe(before);
    expect(y.data.length).toBe(64 * 1024);
  });

  it('keeps at most 256 MiB of collected results', async () => {
    const input = tensor(randomF32(4096 * 1024, 8), { shape: [4096, 1024] }); // 16 MiB results
    let held: unknown[] = [];
    for (let k = 0; k < 20; k++) held.push(await sm.softmax(input)); // 320 MiB live at once
    expect(held).toHaveLength(20);
    held = [];
    await collect();
    expect(stats().keptBytes).toBeGreaterThan(128 * 2 ** 20);
    expect(stats().keptBytes).toBeLessThanOrEqual(256 * 2 ** 20);
  }, 60_000);

  it('keeps resident memory bounded over 400 dropped 16 MiB results', async () => {
    const input = tensor(randomF32(4096 * 1024, 8), { shape: [4096, 1024] });
    const rss = process.memoryUsage().rss;
    for (let k = 0; k < 400; k++) await sm.softmax(input); // 6.4 GB if nothing came back
    await collect();
    const growth = (process.memoryUsage().rss - rss) / 2 ** 20;
    expect(growth, `grew ${growth.toFixed(0)} MiB`).toBeLessThan(640);
  }, 60_000);

  it('sends a pooled result to another thread intact (copied: its buffer cannot be transferred)', async () => {
    const x = randomF32(ROWS * N, 9);
    const y = await sm.softmax(tensor(x, { shape: [ROWS, N] }));
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<Float32Array>((resolve) => port2.once('message', resolve));
    let threw = false;
    try {
      port1.postMessage(y.data, [arrayBufferOf(y.data)]);
    } catch {
      threw = true; // Node 21 and later refuse to transfer it
    }
    if (threw) port1.postMessage(y.data);
    const copy = await received;
    port1.close();
    expect(y.data.length).toBe(ROWS * N); // not detached
    expect(worstError(x, copy)).toBeLessThan(1e-6);
  });
});

describe('worker threads', () => {
  it('take blocks from the same pool, which gets them back when the worker exits holding them', async () => {
    const path = bindingCandidates().find((candidate) => existsSync(candidate));
    await collect(); // so that no earlier result of this thread comes back during the test
    const before = stats().live;
    // CommonJS, evaluated: loads the addon again in the worker's own Node environment
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const binding = require(workerData.path);
       globalThis.held = [0, 1, 2, 3].map((k) => new Float32Array(binding.newResultBuffer(16 << 20)).fill(k));
       parentPort.postMessage(binding.resultPoolStats()[2]);`,
      { eval: true, workerData: { path } },
    );
    const liveInWorker = await new Promise((resolve) => worker.once('message', resolve));
    expect(liveInWorker).toBe(before + 4);
    expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);
    expect(stats().live).toBe(before);
  });
});

describe('pooledResults: false', () => {
  it('gives plain, transferable arrays', async () => {
    const plain = await createSoftmax(nativeBackend({ threads: 1, pooledResults: false }));
    try {
      const before = stats().served;
      const x = randomF32(ROWS * N, 10);
      const y = await plain.softmax(tensor(x, { shape: [ROWS, N] }));
      expect(stats().served).toBe(before);
      expect(worstError(x, y.data)).toBeLessThan(1e-6);
      structuredClone(y.data.buffer, { transfer: [arrayBufferOf(y.data)] });
      expect(y.data.length).toBe(0); // detached: it was transferred
    } finally {
      await plain.dispose();
    }
  });

  it('is checked', () => {
    const options: Record<string, unknown> = { pooledResults: 1 };
    expect(() => nativeBackend(options)).toThrow(/options.pooledResults must be true or false/);
  });
});

describe('dispose', () => {
  it('unmaps the kept blocks', async () => {
    const other = await createSoftmax(nativeBackend({ threads: 1 }));
    await other.softmax(tensor(randomF32(ROWS * N, 11), { shape: [ROWS, N] }));
    await collect();
    expect(stats().kept).toBeGreaterThan(0);
    await other.dispose();
    expect(stats()).toMatchObject({ kept: 0, keptBytes: 0 });
  });
});
