/**
 * @softmax-kit/native: the softmax-kit kernels as a C++ Node addon, with AVX-512, AVX2 + FMA
 * or portable SIMD chosen once at load time, and a persistent thread pool.
 *
 *   const sm = await createSoftmax([nativeBackend(), jsBackend()]);
 *   const y = sm.sync.softmax(tensor([[1, 2, 3]]));          // on the calling thread (+ pool)
 *   const z = await sm.softmax(big);                          // large inputs: off the JS thread
 *
 * Async calls use the typed arrays in place: do not modify or transfer the inputs or `out`
 * until the promise settles. New results of 1 MiB and more live in memory the addon reuses once
 * they are collected (see NativeBackendOptions.pooledResults).
 */
import { availableParallelism } from 'node:os';
import {
  ALL_OPS,
  type Backend,
  type Capabilities,
  type DType,
  type FloatArray,
  type Kernels,
  type SyncBackendFactory,
  ValueError,
} from '@softmax-kit/core';
import type { Binding } from './binding.js';
import { nativeKernels } from './kernels.js';
import { loadBinding } from './load-binding.js';

export { bindingCandidates, NativeAddonUnavailableError } from './load-binding.js';

export interface NativeBackendOptions {
  /** Threads for the kernels (default: every core, `os.availableParallelism()`). */
  threads?: number;
  /**
   * Force a vector target: 'avx512' | 'avx2' | 'scalar' (default: the best this CPU runs, or
   * the environment variable SOFTMAX_KIT_NATIVE_ISA). start() rejects a target the CPU lacks.
   */
  isa?: string;
  /**
   * New results of 1 MiB and more come from pages the addon keeps and reuses after earlier
   * results are garbage collected (default true): a fresh 16 MB array costs thousands of page
   * faults on its first write, more than the softmax itself. Their ArrayBuffers cannot be
   * transferred (postMessage copies them in Node 20 and throws from Node 21): pass false, or your
   * own `out`, to get plain arrays. `dispose()` unmaps the kept pages.
   */
  pooledResults?: boolean;
}

/** A started native backend: `kernels` serve `sm.sync`, `asyncKernels` the async ops. */
export interface NativeBackend extends Backend {
  readonly asyncKernels: Kernels;
  /** The vector target in use ('avx512', 'avx2' or 'scalar'). */
  readonly isa: string;
}

/** What nativeBackend() returns: a synchronous factory whose start() gives a NativeBackend. */
export type NativeBackendFactory = Omit<SyncBackendFactory, 'start'> & { start(): Promise<NativeBackend> };

const DTYPES: readonly DType[] = ['float32', 'float64'];

function checkThreads(threads: unknown): number {
  if (threads === undefined) return Math.max(1, availableParallelism());
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new ValueError(
      `options.threads must be an integer in [1, 1024], got ${String(threads)}`,
      'options.threads',
    );
  }
  return threads;
}

function checkPooledResults(pooled: unknown): boolean {
  if (pooled === undefined) return true;
  if (typeof pooled !== 'boolean') {
    throw new ValueError(
      `options.pooledResults must be true or false, got ${String(pooled)}`,
      'options.pooledResults',
    );
  }
  return pooled;
}

/** Backend.newResult over the addon's result pool. */
function pooledResult(binding: Binding): (dtype: DType, length: number) => FloatArray | null {
  return (dtype, length) => {
    const buffer = binding.newResultBuffer(length * (dtype === 'float64' ? 8 : 4));
    if (buffer === null) return null;
    return dtype === 'float64' ? new Float64Array(buffer) : new Float32Array(buffer);
  };
}

/** The native backend. Creates nothing until `start()`, which loads the addon and starts the pool. */
export function nativeBackend(options: NativeBackendOptions = {}): NativeBackendFactory {
  const threads = checkThreads(options.threads);
  const pooled = checkPooledResults(options.pooledResults);
  const capabilities: Capabilities<true> = {
    dtypes: DTYPES,
    sync: true,
    maxElements: Number.MAX_SAFE_INTEGER,
    threads,
    // every kernel stores each of its output elements
    writesWholeResults: true,
  };
  return {
    name: 'native',
    dtypes: DTYPES,
    capabilities,
    ops: ALL_OPS,
    async start(): Promise<NativeBackend> {
      const binding = loadBinding();
      const supported = binding.isas();
      const isa = options.isa ?? process.env.SOFTMAX_KIT_NATIVE_ISA ?? supported[0];
      if (isa === undefined || !supported.includes(isa)) {
        throw new Error(
          `@softmax-kit/native: vector target '${isa}' is not available on this CPU (it runs: ${supported.join(', ')})`,
        );
      }
      const raw = new binding.NativeBackend(threads, isa);
      let disposed = false;
      return {
        name: 'native',
        capabilities,
        kernels: nativeKernels(raw, false),
        asyncKernels: nativeKernels(raw, true),
        isa,
        ...(pooled ? { newResult: pooledResult(binding) } : {}),
        dispose(): void {
          if (disposed) return;
          disposed = true;
          raw.dispose();
          binding.trimResultPool();
        },
      };
    },
  };
}
