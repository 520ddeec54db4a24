/**
 * TensorFlow.js on its WebAssembly backend (XNNPACK), its .wasm loaded from the package's own
 * dist folder, threads set explicitly (tfjs-backend-wasm cannot use threads in Node: 1).
 */

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ImplFactory } from '../impls/types.js';
import { createTfjs } from './tfjs-common.js';

export const create: ImplFactory = (options) =>
  createTfjs({
    id: 'tfjs-wasm',
    label: 'tfjs-backend-wasm',
    backend: 'wasm',
    async setup() {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
      wasm.setWasmPaths(`${dir}/`);
      const threads = options.threads ?? 1;
      wasm.setThreadsCount(threads);
      return `XNNPACK, .wasm from ${dir.replace(/.*node_modules/, 'node_modules')}, threads ${threads}`;
    },
  });
