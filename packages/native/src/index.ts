/**
 * @softmax-kit/native: the softmax-kit kernels as a C++ Node addon, with AVX-512, AVX2 + FMA
 * or portable SIMD chosen once at load time, and a persistent thread pool.
 *
 *   const sm = await createSoftmax([nativeBackend(), jsBackend()]);
 *   const y = sm.sync.softmax(tensor([[1, 2, 3]]));          // on the calling thread (+ pool)
 *   const z = await sm.softmax(big);                          // large inputs: off the JS thread
 *
 * Async calls use the typed arrays in place: do not modify or transfer the inputs or `out`
 * until the promise settles.
 */
import { availableParallelism } from 'node:os';
import {
  ALL_OPS,
  type Backend,
  type Capabilities,
  type DType,
  type Kernels,
  type SyncBackendFactory,
  ValueError,
} from '@softmax-kit/core';
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

/** The native backend. Creates nothing until `start()`, which loads the addon and starts the pool. */
export function nativeBackend(options: NativeBackendOptions = {}): NativeBackendFactory {
  const threads = checkThreads(options.threads);
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
        dispose(): void {
          if (disposed) return;
          disposed = true;
          raw.dispose();
        },
      };
    },
  };
}
