/**
 * onGpuTime: each call's GPU time from timestamp queries, where the adapter has the
 * 'timestamp-query' feature (lavapipe does); the results are unchanged by the timing.
 */
import { createSoftmax, tensor } from '@softmax-kit/core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../src/index.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
const adapter = await found?.gpu.requestAdapter();
const hasTimestamps = adapter?.features.has('timestamp-query') ?? false;
if (found && !hasTimestamps)
  console.warn(`\n!!! ${found.adapter} has no timestamp-query: onGpuTime not tested !!!\n`);

describe.skipIf(!found || !hasTimestamps)('GPU times from timestamp queries', () => {
  it('reports one positive time per call, no longer than the call, for one pass and for three', async () => {
    const times: number[] = [];
    const gpu = found?.gpu;
    const sm = await createSoftmax(webgpuBackend({ gpu, kernels: 'cpu', onGpuTime: (ms) => times.push(ms) }));
    const plain = await createSoftmax(webgpuBackend({ gpu, kernels: 'cpu' }));
    try {
      // [64, 100]: one pass (row kernel); [1, 65536]: three passes (segments, merge, write)
      for (const shape of [
        [64, 100],
        [1, 65536],
      ]) {
        const x = tensor(
          Float32Array.from({ length: shape[0] * shape[1] }, (_, k) => Math.sin(k) * 4),
          { shape },
        );
        times.length = 0;
        const t0 = performance.now();
        const y = await sm.softmax(x);
        const wall = performance.now() - t0;
        expect(times.length, `${shape}`).toBe(1);
        expect(times[0], `${shape}`).toBeGreaterThan(0);
        expect(times[0], `${shape}`).toBeLessThanOrEqual(wall);
        expect(y.data).toEqual((await plain.softmax(x)).data);
      }
    } finally {
      await sm.dispose();
      await plain.dispose();
    }
  });
});
