/** The main thread's instance of a build, on a memory it creates. */
import { INITIAL_MEMORY_BYTES, PAGE_BYTES } from './layout.js';
import type { Exports } from './stream-runner.js';

export interface MainInstance {
  readonly memory: WebAssembly.Memory;
  readonly exports: Exports;
  /** first byte above the module's stack and data */
  readonly heapBase: number;
  /** every kernel export, in a fixed order (workers are told them by index) */
  readonly functions: readonly string[];
}

export async function instantiateMain(
  module: WebAssembly.Module,
  maxBytes: number,
  shared: boolean,
): Promise<MainInstance> {
  const memory = new WebAssembly.Memory({
    initial: INITIAL_MEMORY_BYTES / PAGE_BYTES,
    maximum: maxBytes / PAGE_BYTES,
    shared,
  });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const raw = instance.exports as Record<string, unknown>;
  const heapBase = Number((raw.__heap_base as WebAssembly.Global).value);
  const functions = Object.keys(raw)
    .filter((name) => name.startsWith('sk_') && typeof raw[name] === 'function')
    .sort();
  return { memory, exports: raw as Exports, heapBase, functions };
}
