/**
 * @softmax-kit/wasm (Node entry): the shared C++ kernels compiled to WebAssembly SIMD, with
 * worker threads on shared memory.
 *
 *   const sm = await createSoftmax(wasmBackend({ threads: 4 }));
 *
 * Bundlers for browsers get ./browser.js through the package's "browser" export condition.
 */
import type { BackendFactory } from '@softmax-kit/core';
import { createWasmFactory } from './backend.js';
import type { WasmBackendOptions } from './options.js';
import { nodePlatform } from './platform-node.js';

export type { WasmBackendOptions, WasmCapabilities } from './options.js';

/** The WebAssembly backend. Creates nothing until `start()`. */
export function wasmBackend(options: WasmBackendOptions = {}): BackendFactory {
  return createWasmFactory(nodePlatform, options);
}
