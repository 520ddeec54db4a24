/**
 * TensorFlow.js on WebGPU (@tensorflow/tfjs-backend-webgpu), in Node through Dawn (the `webgpu`
 * package, globals and navigator.gpu installed by the worker first) on the same adapter as ours.
 * Results read with `await data()` (dataSync needs OffscreenCanvas under WebGPU).
 */
import type { ImplFactory } from '../impls/types.js';
import { createTfjs } from './tfjs-common.js';

/** a variable, so TypeScript does not load the package's own (conflicting) @webgpu/types copy */
const PACKAGE = '@tensorflow/tfjs-backend-webgpu';

export const create: ImplFactory = () =>
  createTfjs({
    id: 'tfjs-webgpu',
    label: 'tfjs-backend-webgpu',
    backend: 'webgpu',
    gpu: true,
    async setup() {
      await import(PACKAGE);
      return 'WGSL kernels';
    },
  });
