/**
 * onnxruntime-web on its WebAssembly backend, in Node, one thread (its Node entry: the 14 MB
 * plain wasm build, which needs no --liftoff-only; measured here: no first-run stall, and
 * TurboFan code is about 25 % faster than Liftoff's on 4096x1024).
 */
import type { ImplFactory } from '../impls/types.js';
import { createOrt } from './ort-common.js';
import { ortModuleFrom } from './ort-module.js';

export const create: ImplFactory = (options) => {
  const threads = options.threads ?? 1;
  return createOrt({
    id: 'ort-web-wasm',
    label: 'onnxruntime-web wasm',
    async load() {
      const o = ortModuleFrom(await import('onnxruntime-web'), 'onnxruntime-web');
      const wasm = o.env.wasm as { numThreads?: number; proxy?: boolean };
      wasm.numThreads = threads;
      wasm.proxy = false;
      return {
        ort: o,
        detail: `onnxruntime-web ${o.env.versions?.web ?? ''}, wasm EP, threads ${threads}`,
        sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
      };
    },
  });
};
