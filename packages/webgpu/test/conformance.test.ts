import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { webgpuBackend } from '../src/index.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
if (found) {
  console.info(`conformance on ${found.adapter}`);
  // The adapter's own kernel family (lavapipe: 'cpu'), then the GPU family on the same adapter,
  // so that CI without a GPU still runs every variant.
  runConformance(webgpuBackend({ gpu: found.gpu }), { describe, it, beforeAll, afterAll });
  describe('GPU kernel family', () => {
    runConformance(webgpuBackend({ gpu: found.gpu, kernels: 'gpu' }), { describe, it, beforeAll, afterAll });
  });
} else {
  describe.skip('softmax-kit conformance: webgpu (skipped: no WebGPU adapter on this machine)', () => {});
}
