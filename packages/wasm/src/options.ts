/** What `wasmBackend()` accepts, and what the started backend declares. */
import { type Capabilities, ValueError } from '@softmax-kit/core';
import { DEFAULT_MAX_MEMORY_BYTES, INITIAL_MEMORY_BYTES, PAGE_BYTES, WASM32_MAX_BYTES } from './layout.js';

export interface WasmBackendOptions {
  /**
   * Worker threads for the kernels. Default: every core in Node; in a browser
   * `navigator.hardwareConcurrency` when the page is cross-origin isolated, else 1.
   * 1 runs every kernel on the calling thread and makes the backend synchronous (`sm.sync`).
   * More than 1 needs SharedArrayBuffer; without it the backend falls back to 1 and says so.
   */
  threads?: number;
  /**
   * The most linear memory the backend may use, in bytes (default 1 GiB, at most 4 GiB). Shared
   * memory (threads) reserves it up front. Inputs larger than this stream through in blocks of
   * whole slices; a single slice that cannot fit is an UnsupportedError.
   */
  maxMemory?: number;
  /**
   * Which build to run: 'auto' (default) takes relaxed SIMD where the engine validates it,
   * 'simd' always the plain SIMD128 build, 'relaxed' insists on relaxed SIMD (start fails without it).
   */
  simd?: 'auto' | 'simd' | 'relaxed';
  /**
   * With threads > 1, calls on fewer elements than this run on the calling thread, where a
   * round trip to the workers would cost more than the work (default 131072; 0 sends every call
   * to the workers).
   */
  inlineElements?: number;
}

/** The capabilities of a started wasm backend: the core ones plus what runs. */
export interface WasmCapabilities extends Capabilities {
  readonly threads: number;
  /** 'relaxed-simd' (fused multiply-add inside exp) or 'simd128' */
  readonly build: 'relaxed-simd' | 'simd128';
  /** true when the memory is shared with worker threads */
  readonly sharedMemory: boolean;
  /** the memory's declared maximum, in bytes */
  readonly maxMemoryBytes: number;
  /** why fewer threads run than were asked for, when that happens */
  readonly threadsNote?: string;
}

export interface ResolvedOptions {
  readonly threads: number | undefined;
  readonly maxMemory: number;
  readonly simd: 'auto' | 'simd' | 'relaxed';
  readonly inlineElements: number;
}

const KNOWN = ['threads', 'maxMemory', 'simd', 'inlineElements'];
/**
 * A call through the workers costs about 0.1-0.2 ms more than its work (waking them, and the
 * main thread's wake-up when they finish). Node on 2 cores, softmax, calling thread against 2
 * workers: 32x1024 0.06 / 0.19 ms, 128x1024 0.25 / 0.41, 256x1024 0.52 / 0.63, 1024x1024
 * 2.2 / 1.8. Up to 128K elements the calling thread is busy for at most about 0.3 ms.
 */
const DEFAULT_INLINE_ELEMENTS = 128 * 1024;

export function resolveOptions(options: WasmBackendOptions): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      throw new ValueError(
        `wasmBackend: unknown option '${key}'; accepted: ${KNOWN.join(', ')}`,
        `options.${key}`,
      );
    }
  }
  const {
    threads,
    maxMemory = DEFAULT_MAX_MEMORY_BYTES,
    simd = 'auto',
    inlineElements = DEFAULT_INLINE_ELEMENTS,
  } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ValueError(`wasmBackend: threads must be an integer >= 1, got ${threads}`, 'options.threads');
  }
  if (!(Number.isFinite(maxMemory) && maxMemory >= INITIAL_MEMORY_BYTES && maxMemory <= WASM32_MAX_BYTES)) {
    throw new ValueError(
      `wasmBackend: maxMemory must be between ${INITIAL_MEMORY_BYTES} and ${WASM32_MAX_BYTES} bytes, got ${maxMemory}`,
      'options.maxMemory',
    );
  }
  if (simd !== 'auto' && simd !== 'simd' && simd !== 'relaxed') {
    throw new ValueError(
      `wasmBackend: simd must be 'auto', 'simd' or 'relaxed', got ${String(simd)}`,
      'options.simd',
    );
  }
  if (!(Number.isInteger(inlineElements) && inlineElements >= 0)) {
    throw new ValueError(
      `wasmBackend: inlineElements must be an integer >= 0, got ${inlineElements}`,
      'options.inlineElements',
    );
  }
  const pages = Math.floor(maxMemory / PAGE_BYTES);
  return { threads, maxMemory: pages * PAGE_BYTES, simd, inlineElements };
}
