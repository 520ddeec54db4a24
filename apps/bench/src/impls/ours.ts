/**
 * softmax-kit's own backends, discovered from a list of candidate packages: a backend that is
 * not installed or does not start is reported with its reason, never dropped. New backends are
 * picked up without changes to the bench as soon as their package exists (and is built).
 * Browser-safe: how a package is loaded is injected (Node: import + workspace fallback;
 * browser: Vite's glob).
 */
import type { CaseInputs, CaseResult, OpId } from '../workloads.js';
import type { Impl, PreparedCase } from './types.js';

export interface BackendCandidate {
  /** the backend's name, as sm.backend reports it */
  readonly name: string;
  /** npm package */
  readonly pkg: string;
  /** the factory export, e.g. jsBackend */
  readonly factory: string;
  /** needs WebGPU (navigator.gpu) set up in its process */
  readonly gpu?: boolean;
  /** runs in a process started with these Node flags */
  readonly execArgv?: readonly string[];
  /** takes `{ threads }` in its factory options: the bench sweeps --threads over it */
  readonly threaded?: boolean;
}

/** Every backend the project plans; the bench tries each one. */
export const OUR_BACKENDS: readonly BackendCandidate[] = [
  { name: 'js', pkg: '@softmax-kit/js', factory: 'jsBackend' },
  { name: 'wasm', pkg: '@softmax-kit/wasm', factory: 'wasmBackend', threaded: true },
  { name: 'native', pkg: '@softmax-kit/native', factory: 'nativeBackend', threaded: true },
  { name: 'webgpu', pkg: '@softmax-kit/webgpu', factory: 'webgpuBackend', gpu: true },
];

export type ModuleLoader = (pkg: string) => Promise<Record<string, unknown>>;

/** The parts of the core API the bench uses (kept structural so a missing core is a load error). */
interface Tensorish {
  data: ArrayLike<number>;
  shape: readonly number[];
}
type OpFn = (...args: unknown[]) => unknown;
interface SoftmaxLike {
  backend: string;
  sync?: Record<string, OpFn> | null;
  dispose?: () => unknown;
  [op: string]: unknown;
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function toResult(op: OpId, r: unknown): CaseResult {
  if (op === 'crossEntropy') {
    const ce = r as { loss: Tensorish; grad: Tensorish };
    return { loss: Number(ce.loss.data[0]), grad: ce.grad.data };
  }
  return { out: (r as Tensorish).data };
}

/** A GPU backend's result with its device tensors downloaded (cross-entropy: loss and grad). */
async function readBack(op: OpId, r: unknown, download: OpFn): Promise<unknown> {
  if (op !== 'crossEntropy') return download(r);
  const ce = r as { loss: unknown; grad: unknown };
  return { loss: await download(ce.loss), grad: await download(ce.grad) };
}

async function releaseLoss(pending: unknown): Promise<void> {
  const { loss } = (await pending) as { loss: { data: { dispose?: () => void } } };
  loss.data.dispose?.();
}

/** What a factory declares about how it runs (threads, build), where it declares it. */
function describeRun(factory: unknown): string {
  const caps = (factory as { capabilities?: Record<string, unknown> } | null)?.capabilities;
  if (!caps) return '';
  const parts = [
    typeof caps.threads === 'number' ? `threads ${caps.threads}` : '',
    typeof caps.build === 'string' ? `build ${caps.build}` : '',
    typeof caps.threadsNote === 'string' ? caps.threadsNote : '',
  ].filter(Boolean);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

/** Whether the session's backend keeps arrays in memory of its own (sm.upload gives a device array). */
async function hasOwnMemory(session: SoftmaxLike): Promise<boolean> {
  if (typeof session.upload !== 'function') return false;
  const probe = (await (session.upload as OpFn)({ data: new Float32Array(1), shape: [1] })) as Tensorish;
  if (ArrayBuffer.isView(probe.data)) return false;
  (probe.data as { dispose?: () => void }).dispose?.();
  return true;
}

/** The bench id of one of our backends, with its thread count when the bench sweeps threads. */
export function oursId(name: string, threads?: number): string {
  return threads === undefined ? `ours:${name}` : `ours:${name}:${threads}t`;
}

export function createOurs(
  c: BackendCandidate,
  loadModule: ModuleLoader,
  factoryOptions?: { threads?: number },
): Impl {
  let sm: SoftmaxLike | null = null;
  let sync = false;
  const threads = factoryOptions?.threads;
  // GPU backends report each submitted call's GPU time (timestamp queries) where the adapter can
  let gpuMs = 0;
  let gpuReports = 0;
  const onGpuTime = (ms: number) => {
    gpuMs += ms;
    gpuReports++;
  };
  const impl: Impl = {
    id: oursId(c.name, threads),
    label: `${c.name} (softmax-kit)${threads === undefined ? '' : ` ${threads}t`}`,
    kind: 'ours',
    modes: {
      e2e: 'the public API with a fresh output per call (async backends: includes upload and download)',
      kernel:
        "the public API writing into a preallocated `out` / `gradOut`; backends with memory of their own (webgpu's GPU buffers, wasm's linear memory): inputs, `out` / `gradOut` and the loss resident there (sm.upload), no transfers, and where the adapter has timestamp queries the GPU time of the dispatches",
    },
    async load() {
      const core = await loadModule('@softmax-kit/core');
      const createSoftmax = core.createSoftmax as ((f: unknown) => Promise<SoftmaxLike>) | undefined;
      if (typeof createSoftmax !== 'function') throw new Error('@softmax-kit/core has no createSoftmax()');
      let mod: Record<string, unknown>;
      try {
        mod = await loadModule(c.pkg);
      } catch (e) {
        throw new Error(`package ${c.pkg} is not available: ${(e as Error).message}`);
      }
      const factory = mod[c.factory];
      if (typeof factory !== 'function') throw new Error(`${c.pkg} has no export ${c.factory}()`);
      const options = c.gpu ? { ...factoryOptions, onGpuTime } : factoryOptions;
      const made: unknown = options === undefined ? factory() : factory(options);
      sm = await createSoftmax(made);
      sync = !!sm.sync;
      return { detail: `sm.backend = '${sm.backend}', ${sync ? 'sync' : 'async'} API${describeRun(made)}` };
    },
    supports: () => true,
    async prepare(inp: CaseInputs): Promise<PreparedCase> {
      if (!sm) throw new Error('not loaded');
      const api = (sync ? sm.sync : sm) as Record<string, OpFn>;
      const shape = [inp.rows, inp.cols];
      const n = inp.rows * inp.cols;
      // Kernel mode of backends with memory of their own (webgpu: GPU buffers; wasm: its linear
      // memory, as tfjs-wasm's tensors live in the wasm heap): inputs and output already there
      // (sm.upload), through the async API, which takes resident arrays.
      const session = sm;
      const onDevice = await hasOwnMemory(session);
      const kernelApi = (onDevice ? session : api) as Record<string, OpFn>;
      const uploads: Tensorish[] = [];
      const resident = async (data: Float32Array): Promise<Tensorish> => {
        if (!onDevice) return { data, shape };
        const t = (await (session.upload as OpFn)({ data, shape })) as Tensorish;
        uploads.push(t);
        return t;
      };
      const out = onDevice ? (await resident(new Float32Array(n))).data : new Float32Array(n);
      let call: (mode: 'e2e' | 'kernel') => unknown;
      switch (inp.op) {
        case 'softmax':
        case 'logSoftmax': {
          const [f, fk] = [api[inp.op].bind(api), kernelApi[inp.op].bind(kernelApi)];
          const x = { data: inp.x!, shape };
          const kx = await resident(inp.x!);
          call = (m) => (m === 'e2e' ? f(x, { axis: -1 }) : fk(kx, { axis: -1, out }));
          break;
        }
        case 'maskedSoftmax': {
          const [f, fk] = [api.softmax.bind(api), kernelApi.softmax.bind(kernelApi)];
          const x = { data: inp.x!, shape };
          const kx = await resident(inp.x!);
          const where = { data: inp.mask!, shape };
          call = (m) => (m === 'e2e' ? f(x, { axis: -1, where }) : fk(kx, { axis: -1, where, out }));
          break;
        }
        case 'softmaxBackward': {
          const [f, fk] = [api.softmaxBackward.bind(api), kernelApi.softmaxBackward.bind(kernelApi)];
          const y = { data: inp.y!, shape };
          const dy = { data: inp.dy!, shape };
          const [ky, kdy] = [await resident(inp.y!), await resident(inp.dy!)];
          call = (m) => (m === 'e2e' ? f(y, dy, { axis: -1 }) : fk(ky, kdy, { axis: -1, out }));
          break;
        }
        case 'crossEntropy': {
          const [f, fk] = [api.softmaxCrossEntropy.bind(api), kernelApi.softmaxCrossEntropy.bind(kernelApi)];
          const x = { data: inp.x!, shape };
          const kx = await resident(inp.x!);
          const labels = { data: inp.labels!, shape: [inp.rows] };
          // resident logits and gradOut: the loss stays in the backend's memory too
          const gradOut = out;
          call = (m) =>
            m === 'e2e'
              ? f(x, labels, { reduction: 'mean' })
              : fk(kx, labels, { reduction: 'mean', gradOut });
          break;
        }
      }
      // a device loss is a new device array per call: released, or the pool grows per call
      const kernel =
        onDevice && inp.op === 'crossEntropy' ? () => releaseLoss(call('kernel')) : () => call('kernel');
      // one kernel call tells whether GPU times come back (the adapter has timestamp queries)
      gpuReports = 0;
      if (onDevice) await kernel();
      const gpuTimed = gpuReports > 0;
      const timedKernel = async (): Promise<number> => {
        gpuMs = 0;
        await kernel();
        return gpuMs;
      };
      return {
        // resident arrays go back to the backend with the case (wasm's memory has a maximum)
        dispose: () => {
          for (const t of uploads) (t.data as { dispose?: () => void }).dispose?.();
        },
        calls: { e2e: () => call('e2e'), kernel },
        ...(gpuTimed ? { deviceTimed: { kernel: timedKernel } } : {}),
        async result(mode) {
          let r = call(mode);
          if (isThenable(r)) r = await r;
          // a device result is read back for the check
          if (onDevice) r = await readBack(inp.op, r, session.download as OpFn);
          return toResult(inp.op, r);
        },
      };
    },
    async dispose() {
      await sm?.dispose?.();
    },
  };
  return impl;
}
