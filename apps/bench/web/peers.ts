/**
 * The peers that run in a browser, set up for the page: tfjs-backend-wasm (XNNPACK) and
 * onnxruntime-web on WebAssembly, one thread each as in the CLI (both keep one thread count per
 * page: tfjs and ORT configure threads once, globally); tfjs-backend-webgpu and onnxruntime-web's
 * WebGPU EP where navigator.gpu gives an adapter. Their .wasm files are bundled as assets by
 * Vite (nothing is fetched from a CDN). The timing adapters are the CLI's own (src/peers/).
 */

import tfjsWasmUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimdUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import ortWebGpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Candidate } from '../src/driver.js';
import { localCandidate } from '../src/local-runner.js';
import { createOrt, type OrtModule } from '../src/peers/ort-common.js';
import { createOrtWebGpu } from '../src/peers/ort-webgpu-ep.js';
import { createTfjs } from '../src/peers/tfjs-common.js';

const THREADS = 1;

function ortOf(m: unknown): OrtModule {
  const mod = m as OrtModule & { default?: OrtModule };
  return mod.InferenceSession ? mod : (mod.default as OrtModule);
}

export function browserPeers(): Candidate[] {
  return [
    localCandidate(
      createTfjs({
        id: 'tfjs-wasm',
        label: 'tfjs-backend-wasm',
        backend: 'wasm',
        async setup() {
          const wasm = await import('@tensorflow/tfjs-backend-wasm');
          wasm.setWasmPaths({
            'tfjs-backend-wasm.wasm': tfjsWasmUrl,
            'tfjs-backend-wasm-simd.wasm': tfjsWasmSimdUrl,
            'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreadedUrl,
          });
          wasm.setThreadsCount(THREADS);
          return `XNNPACK, .wasm bundled with the page, threads ${THREADS}`;
        },
      }),
    ),
    localCandidate(
      createOrt({
        id: 'ort-web-wasm',
        label: 'onnxruntime-web wasm',
        async load() {
          const o = ortOf(await import('onnxruntime-web/wasm'));
          const wasm = o.env.wasm as { numThreads?: number; proxy?: boolean; wasmPaths?: unknown };
          wasm.numThreads = THREADS;
          wasm.proxy = false;
          wasm.wasmPaths = { wasm: ortWasmUrl };
          return {
            ort: o,
            detail: `onnxruntime-web ${o.env.versions?.web ?? ''}, wasm EP, threads ${THREADS}, .wasm bundled with the page`,
            sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
          };
        },
      }),
    ),
    localCandidate(
      createTfjs({
        id: 'tfjs-webgpu',
        label: 'tfjs-backend-webgpu',
        backend: 'webgpu',
        gpu: true,
        async setup() {
          await import('@tensorflow/tfjs-backend-webgpu');
          return 'WGSL kernels';
        },
      }),
      { gpu: true },
    ),
    localCandidate(
      createOrtWebGpu({
        async importOrt() {
          const o = ortOf(await import('onnxruntime-web/webgpu'));
          (o.env.wasm as { wasmPaths?: unknown }).wasmPaths = { wasm: ortWebGpuWasmUrl };
          return o;
        },
        note: '.wasm (asyncify build) bundled with the page',
      }),
      { gpu: true },
    ),
  ];
}
