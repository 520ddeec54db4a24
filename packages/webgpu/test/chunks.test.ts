/**
 * Tensors larger than one storage binding run in chunks of whole slices: a tiny binding cap
 * (maxBindingBytes) makes every op chunk here, on host and on device arrays, and the results are
 * checked against core's float64 reference.
 */
import { createSoftmax, isDeviceArray, labels, mask, tensor } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../src/index.js';
import { testGpu } from './gpu.js';

const found = await testGpu();

function randomF32(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 8;
  }
  return out;
}

/**
 * Worst error over the conformance tolerance (<= 1 passes): probabilities and gradients
 * 4e-6 relative or 1e-7 absolute, logarithms 2e-6 * max(1, |ref|).
 */
function worst(got: ArrayLike<number>, want: ArrayLike<number>, logs = false): number {
  expect(got.length).toBe(want.length);
  let w = 0;
  for (let k = 0; k < want.length; k++) {
    if (Object.is(got[k], want[k])) continue;
    const r = Math.abs(want[k]);
    const tolerance = logs ? 2e-6 * Math.max(1, r) : Math.max(4e-6 * r, 1e-7);
    w = Math.max(w, Math.abs(got[k] - want[k]) / tolerance);
  }
  return w;
}

describe.skipIf(!found)('chunks of whole slices past the binding size', () => {
  it('gives every op the reference results with a 4 KiB binding cap', async () => {
    for (const kernels of ['cpu', 'gpu'] as const) {
      const sm = await createSoftmax(webgpuBackend({ gpu: found?.gpu, kernels, maxBindingBytes: 4096 }));
      const x = tensor(randomF32(300 * 40, 1), { shape: [300, 40] }); // 48 KB: 13 chunks of 23 rows
      const dy = tensor(randomF32(300 * 40, 2), { shape: [300, 40] });
      const where = mask(Array.from({ length: 40 }, (_, k) => k % 7 !== 3));
      const y = await sm.softmax(x, { where });
      expect(worst(y.data, reference.softmax(x, { where }).data), kernels).toBeLessThanOrEqual(1);
      expect(worst((await sm.logSumExp(x)).data, reference.logSumExp(x).data, true)).toBeLessThanOrEqual(1);
      const dense = mask(
        Array.from({ length: 300 }, (_, r) => Array.from({ length: 40 }, (_, k) => (r + k) % 5 !== 0)),
      );
      const yDense = await sm.softmax(x, { where: dense });
      expect(worst(yDense.data, reference.softmax(x, { where: dense }).data)).toBeLessThanOrEqual(1);
      const back = await sm.softmaxBackward(y, dy, { where });
      expect(worst(back.data, reference.softmaxBackward(y, dy, { where }).data)).toBeLessThanOrEqual(1);
      const strided = tensor(randomF32(60 * 30 * 3, 3), { shape: [60, 30, 3] }); // axis 1, inner 3
      const s1 = await sm.logSoftmax(strided, { axis: 1 });
      expect(worst(s1.data, reference.logSoftmax(strided, { axis: 1 }).data, true)).toBeLessThanOrEqual(1);
      const small = tensor(randomF32(40 * 12, 4), { shape: [40, 12] }); // Jacobian: 576 B per row
      const j = await sm.softmaxJacobian(await sm.softmax(small));
      expect(worst(j.data, reference.softmaxJacobian(await sm.softmax(small)).data)).toBeLessThanOrEqual(1);
      const l = labels(Array.from({ length: 300 }, (_, k) => k % 40));
      const ce = await sm.softmaxCrossEntropy(x, l, { reduction: 'none' });
      const want = reference.softmaxCrossEntropy(x, l, { reduction: 'none' });
      expect(worst(ce.loss.data, want.loss.data, true)).toBeLessThanOrEqual(1);
      expect(worst(ce.grad.data, want.grad.data)).toBeLessThanOrEqual(1);

      // device arrays: ranges copied into scratch buffers and the results copied back
      const xd = await sm.upload(x);
      const yd = await sm.softmax(xd, { where });
      expect(isDeviceArray(yd.data)).toBe(true);
      expect((await sm.download(yd)).data).toEqual(y.data);
      const backd = await sm.softmaxBackward(yd, await sm.upload(dy), { where });
      expect((await sm.download(backd)).data).toEqual(back.data);
      await sm.dispose();
    }
  });

  it('refuses a slice block larger than one binding', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu: found?.gpu, maxBindingBytes: 4096 }));
    await expect(sm.softmax(tensor(new Float32Array(2048), { shape: [1, 2048] }))).rejects.toThrow(
      /one slice block needs 8192 bytes/,
    );
    await sm.dispose();
  });
});
