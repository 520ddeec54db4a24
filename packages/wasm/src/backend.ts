/**
 * The wasm backend, the same on every platform: picks the build, creates the memory and the
 * main instance, starts the worker pool, and runs each kernel inline or across the workers, on
 * host arrays (streamed through linear memory) or on arrays resident in it (Backend.device).
 */
import type {
  Backend,
  BackendFactory,
  DeviceArray,
  DType,
  FloatArray,
  KernelResult,
} from '@softmax-kit/core';
import { wasmDeviceMemory } from './device-memory.js';
import { hasRelaxedSimd, hasSimd, sharedMemoryUnavailable } from './features.js';
import { Heap } from './heap.js';
import { instantiateMain } from './instance.js';
import { kernelsFor, residentKernelsFor } from './kernel-jobs.js';
import { kernelSet, WASM_DTYPES, WASM_OPS } from './kernel-set.js';
import { type BuildName, STACK_BYTES } from './layout.js';
import { LinearMemory } from './linear-memory.js';
import { runLongRows, splitsLongRows } from './long-rows.js';
import { resolveOptions, type WasmBackendOptions, type WasmCapabilities } from './options.js';
import type { Platform } from './platform.js';
import { WorkerPool } from './pool.js';
import { ResidentCall, type ResidentContext } from './resident-runner.js';
import type { ResidentJob, StreamJob } from './stream-job.js';
import { runInline, runPooled } from './stream-runner.js';
import type { ArrayOwner } from './wasm-array.js';
import { BLOCK_WORDS, BLOCKS_PER_WORKER, QUEUE_BYTES } from './worker-protocol.js';

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
    // host results are copied whole out of linear memory
    writesWholeResults: true,
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
    const queueAddress = blockBase + threads * BLOCKS_PER_WORKER * BLOCK_WORDS * 4;
    const stackBase = align(queueAddress + QUEUE_BYTES, 16);
    base = align(stackBase + threads * STACK_BYTES, 64);
    if (!memory.ensure(base)) throw new Error('the WebAssembly memory cannot hold the worker stacks');
    pool = await WorkerPool.start(
      platform,
      module,
      main.memory,
      threads,
      { bellAddress, blockBase, queueAddress, stackBase, stackBytes: STACK_BYTES },
      main.functions,
    );
  }
  const heap = new Heap(memory, base, memory.maxBytes);
  let disposed = false;
  // Calls run one at a time on the workers (they share the control blocks); `queue` settles
  // when the last one issued has finished.
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  const owner: ArrayOwner = {
    memory,
    heap,
    get disposed() {
      return disposed;
    },
    settled: () => queue,
  };
  const context: ResidentContext = { memory, heap, backend: NAME, owner };
  const fnIndex = (name: string) => {
    const k = main.functions.indexOf(name);
    if (k < 0) throw new Error(`the wasm module has no export ${name}`);
    return k;
  };

  const dtypeOf = (job: ResidentJob): DType => (job.elementBytes === 8 ? 'float64' : 'float32');
  /** Inline on this thread when there are no workers, or the call is small and none is queued. */
  const inline = (job: ResidentJob) => {
    const { outer, n, inner } = job.view;
    return !pool || (pending === 0 && outer * n * inner < plan.inlineElements);
  };
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    pending++;
    const result = queue.then(task);
    queue = result.then(
      () => void pending--,
      () => void pending--,
    );
    return result;
  };

  const run = (job: StreamJob): KernelResult => {
    if (inline(job)) {
      runInline(context, main.exports, job);
      return;
    }
    const active = pool!;
    const longRows = splitsLongRows(job, active.size) && kernels.has('longRow', dtypeOf(job));
    return enqueue(() =>
      longRows
        ? runLongRows(context, active, main.exports, fnIndex, job)
        : runPooled(context, active, fnIndex, job),
    );
  };

  const runResident = (job: ResidentJob, lossTotal?: FloatArray | DeviceArray): Promise<void> => {
    // Takes hold of the resident arrays now: one disposed before the call runs stays allocated.
    const call = new ResidentCall(context, job, lossTotal);
    if (inline(job)) {
      call.runInline(main.exports);
      return Promise.resolve();
    }
    const active = pool!;
    const longRows = kernels.has('longRow', dtypeOf(job));
    return enqueue(() => call.runPooled(active, main.exports, fnIndex, longRows));
  };

  const opKernels = kernelsFor(run, (op) => kernels.has(op, 'float32'));
  return {
    name: NAME,
    capabilities,
    kernels: opKernels,
    device: wasmDeviceMemory(owner, NAME, residentKernelsFor(runResident)),
    dispose(): void {
      if (disposed) return;
      disposed = true;
      pool?.dispose();
    },
  };
}
