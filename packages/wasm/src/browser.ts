/**
 * @softmax-kit/wasm (browser entry): the same backend; the .wasm files and the worker script are
 * loaded through URLs relative to this module, which bundlers resolve.
 */
import type { BackendFactory } from '@softmax-kit/core';
import { createWasmFactory } from './backend.js';
import type { WasmBackendOptions } from './options.js';
import { browserPlatform } from './platform-browser.js';

export type { WasmBackendOptions, WasmCapabilities } from './options.js';

/** The WebAssembly backend. Creates nothing until `start()`. */
export function wasmBackend(options: WasmBackendOptions = {}): BackendFactory {
  return createWasmFactory(browserPlatform, options);
}
