import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { webgpuBackend } from '../src/index.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
if (found) {
  console.info(`conformance on ${found.adapter}`);
  runConformance(webgpuBackend({ gpu: found.gpu }), { describe, it, beforeAll, afterAll });
} else {
  describe.skip('softmax-kit conformance: webgpu (skipped: no WebGPU adapter on this machine)', () => {});
}
