/**
 * The wasm backend, the same on every platform: picks the build, creates the memory and the
 * main instance, starts the worker pool, and runs each kernel inline or across the workers.
 */
import type { Backend, BackendFactory, DType, KernelResult } from '@softmax-kit/core';
import { hasRelaxedSimd, hasSimd, sharedMemoryUnavailable } from './features.js';
import { instantiateMain } from './instance.js';
import { kernelsFor } from './kernel-jobs.js';
import { kernelSet, WASM_DTYPES, WASM_OPS } from './kernel-set.js';
import { type BuildName, STACK_BYTES } from './layout.js';
import { LinearMemory } from './linear-memory.js';
import { runLongRows, splitsLongRows } from './long-rows.js';
import { resolveOptions, type WasmBackendOptions, type WasmCapabilities } from './options.js';
import type { Platform } from './platform.js';
import { WorkerPool } from './pool.js';
import type { StreamJob } from './stream-job.js';
import { type RunContext, runInline, runPooled } from './stream-runner.js';
import { BLOCK_WORDS } from './worker-protocol.js';

const NAME = 'wasm';

let fallbackAnnounced = false;

const align = (bytes: number, to: number) => Math.ceil(bytes / to) * to;

interface BackendPlan {
  readonly capabilities: WasmCapabilities;
  readonly build: BuildName;
  readonly inlineElements: number;
}

/** Everything decided before starting: the build, the threads, what the backend will declare. */
function planBackend(platform: Platform, options: WasmBackendOptions): BackendPlan {
  const resolved = resolveOptions(options);
  const relaxed = resolved.simd !== 'simd' && hasWebAssemblyRelaxed();
  const wanted = resolved.threads ?? platform.defaultThreads();
  let threads = wanted;
  let threadsNote: string | undefined;
  if (wanted > 1) {
    const reason = sharedMemoryUnavailable();
    if (reason !== undefined) {
      threads = 1;
      threadsNote = `${wanted} threads were asked for, 1 runs: ${reason}`;
    }
  }
  const shared = threads > 1;
  const capabilities: WasmCapabilities = {
    dtypes: WASM_DTYPES,
    sync: !shared,
    maxElements: Number.MAX_SAFE_INTEGER,
    threads,
    build: relaxed ? 'relaxed-simd' : 'simd128',
    sharedMemory: shared,
    maxMemoryBytes: resolved.maxMemory,
    ...(threadsNote === undefined ? {} : { threadsNote }),
  };
  if (resolved.simd === 'relaxed' && !relaxed) {
    throw new Error("wasmBackend: simd: 'relaxed' was asked for, but this engine has no relaxed SIMD");
  }
  return {
    capabilities,
    build: `${relaxed ? 'relaxed' : 'simd'}${shared ? '-shared' : ''}`,
    inlineElements: resolved.inlineElements,
  };
}

function hasWebAssemblyRelaxed(): boolean {
  return typeof WebAssembly === 'object' && hasRelaxedSimd();
}

export function createWasmFactory(platform: Platform, options: WasmBackendOptions): BackendFactory {
  const plan = planBackend(platform, options);
  return {
    name: NAME,
    dtypes: WASM_DTYPES,
    capabilities: plan.capabilities,
    ops: WASM_OPS,
    start: () => startBackend(platform, plan),
  };
}

async function startBackend(platform: Platform, plan: BackendPlan): Promise<Backend> {
  if (!hasSimd()) {
    throw new Error(
      'this JavaScript engine has no WebAssembly SIMD128 (needs Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+)',
    );
  }
  const { capabilities, build } = plan;
  if (capabilities.threadsNote !== undefined && !fallbackAnnounced) {
    fallbackAnnounced = true;
    console.info(`@softmax-kit/wasm: ${capabilities.threadsNote}.`);
  }
  const { threads, sharedMemory: shared, maxMemoryBytes } = capabilities;
  const module = await platform.compile(build);
  const main = await instantiateMain(module, maxMemoryBytes, shared);
  const memory = new LinearMemory(main.memory, maxMemoryBytes);
  const kernels = kernelSet(Number(main.exports.sk_kernels()));

  let base = align(main.heapBase, 64);
  let pool: WorkerPool | undefined;
  if (shared) {
    const bellAddress = base;
    const blockBase = bellAddress + 64;
    const stackBase = align(blockBase + threads * BLOCK_WORDS * 4, 16);
    base = align(stackBase + threads * STACK_BYTES, 64);
    if (!memory.ensure(base)) throw new Error('the WebAssembly memory cannot hold the worker stacks');
    pool = await WorkerPool.start(
      platform,
      module,
      main.memory,
      threads,
      { bellAddress, blockBase, stackBase, stackBytes: STACK_BYTES },
      main.functions,
    );
  }
  const context: RunContext = { memory, base, backend: NAME };
  const fnIndex = (name: string) => {
    const k = main.functions.indexOf(name);
    if (k < 0) throw new Error(`the wasm module has no export ${name}`);
    return k;
  };

  // Calls run one at a time: they share the memory above `base`.
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  const run = (job: StreamJob): KernelResult => {
    const { outer, n, inner } = job.view;
    const dtype: DType = job.elementBytes === 8 ? 'float64' : 'float32';
    if (!pool || (pending === 0 && outer * n * inner < plan.inlineElements)) {
      runInline(context, main.exports, job);
      return;
    }
    const active = pool;
    const longRows = splitsLongRows(job, active.size) && kernels.has('longRow', dtype);
    pending++;
    const result = queue.then(() =>
      longRows
        ? runLongRows(context, active, main.exports, fnIndex, job)
        : runPooled(context, active, fnIndex, job),
    );
    queue = result.then(
      () => void pending--,
      () => void pending--,
    );
    return result;
  };

  const opKernels = kernelsFor(run, (op) => kernels.has(op, 'float32'));
  let disposed = false;
  return {
    name: NAME,
    capabilities,
    kernels: opKernels,
    dispose(): void {
      if (disposed) return;
      disposed = true;
      pool?.dispose();
    },
  };
}
