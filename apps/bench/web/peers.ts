/**
 * The peers that run in a browser, set up for the page: tfjs-backend-wasm (XNNPACK) and
 * onnxruntime-web on WebAssembly, their .wasm files bundled as assets by Vite (nothing is
 * fetched from a CDN), threads where the page is cross-origin isolated. The timing adapters are
 * the CLI's own (src/peers/tfjs-common.ts, src/peers/ort-common.ts).
 */

import tfjsWasmUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimdUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Impl } from '../src/impls/types.js';
import { createOrt, type OrtModule } from '../src/peers/ort-common.js';
import { createTfjs } from '../src/peers/tfjs-common.js';

export function browserPeers(threads: number): Impl[] {
  return [
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
        wasm.setThreadsCount(threads);
        return `XNNPACK, .wasm bundled with the page, threads ${threads}`;
      },
    }),
    createOrt({
      id: 'ort-web-wasm',
      label: 'onnxruntime-web wasm',
      async load() {
        const ort = (await import('onnxruntime-web/wasm')) as unknown as OrtModule & { default?: OrtModule };
        const o = (ort.InferenceSession ? ort : ort.default) as OrtModule;
        const wasm = o.env.wasm as { numThreads?: number; proxy?: boolean; wasmPaths?: unknown };
        wasm.numThreads = threads;
        wasm.proxy = false;
        wasm.wasmPaths = { wasm: ortWasmUrl };
        return {
          ort: o,
          detail: `onnxruntime-web ${o.env.versions?.web ?? ''}, wasm EP, threads ${threads}, .wasm bundled with the page`,
          sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
        };
      },
    }),
  ];
}
