/**
 * Browsers (and other runtimes with fetch and module Web Workers): the .wasm files and the worker
 * script are found through `new URL('./…', import.meta.url)`, which bundlers such as Vite
 * resolve and emit as assets. No Node API here.
 */
import type { BuildName } from './layout.js';
import type { Platform, WorkerHandle } from './platform.js';

/** Written out literally so that bundlers see each asset. */
function wasmUrl(build: BuildName): URL {
  switch (build) {
    case 'simd':
      return new URL('./softmax-simd.wasm', import.meta.url);
    case 'relaxed':
      return new URL('./softmax-relaxed.wasm', import.meta.url);
    case 'simd-shared':
      return new URL('./softmax-simd-shared.wasm', import.meta.url);
    case 'relaxed-shared':
      return new URL('./softmax-relaxed-shared.wasm', import.meta.url);
  }
}

const modules = new Map<BuildName, Promise<WebAssembly.Module>>();

async function fetchModule(build: BuildName): Promise<WebAssembly.Module> {
  const url = wasmUrl(build);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.href} failed: HTTP ${response.status}`);
  if (
    typeof WebAssembly.compileStreaming === 'function' &&
    response.headers.get('content-type') === 'application/wasm'
  ) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

export const browserPlatform: Platform = {
  name: 'browser',
  compile(build) {
    let module = modules.get(build);
    if (!module) {
      module = fetchModule(build);
      modules.set(build, module);
      module.catch(() => modules.delete(build));
    }
    return module;
  },
  startWorker(): WorkerHandle {
    const worker = new Worker(new URL('./worker-browser.js', import.meta.url), { type: 'module' });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
      onError: (listener) =>
        worker.addEventListener('error', (event) => listener(new Error(event.message || 'worker error'))),
      ref: () => {},
      unref: () => {},
      terminate: () => worker.terminate(),
    };
  },
  defaultThreads() {
    const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
    if (g.crossOriginIsolated !== true) return 1;
    return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
  },
};
