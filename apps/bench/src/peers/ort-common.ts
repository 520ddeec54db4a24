/**
 * ONNX Runtime peers (onnxruntime-node, onnxruntime-web on wasm and on WebGPU) share this
 * adapter: a session per case on a model built in code (./onnx-model.ts).
 * e2e: ort.Tensor over the Float32Array, session.run, the output's data in JS memory.
 * kernel: inputs are tensors made once; the outputs are preallocated tensors passed as
 * `fetches` (the result is read from those preallocated arrays: a runtime that ignores them
 * is caught by the gate). WebGPU: inputs already in GPU buffers, outputs kept on the GPU
 * (preferredOutputLocation 'gpu-buffer'), completion awaited, nothing read back.
 */
import type { Impl, LoadInfo, PreparedCase } from '../impls/types.js';
import type { CaseInputs, CaseResult } from '../workloads.js';
import { modelFor } from './onnx-model.js';

/** The part of the onnxruntime-common API used here (node and web share it). */
export interface OrtTensor {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
  readonly location?: string;
  getData?(releaseData?: boolean): Promise<ArrayLike<number>>;
  dispose?(): void;
}
export interface OrtSession {
  run(
    feeds: Record<string, OrtTensor>,
    fetches?: Record<string, OrtTensor | null>,
  ): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface OrtModule {
  Tensor: {
    new (
      type: string,
      data: ArrayLike<number> | ArrayLike<bigint> | Uint8Array,
      dims: readonly number[],
    ): OrtTensor;
    fromGpuBuffer?(buffer: GPUBuffer, o: { dataType: string; dims: readonly number[] }): OrtTensor;
  };
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  env: Record<string, unknown> & { versions?: Record<string, string> };
}

export interface OrtSpec {
  id: string;
  label: string;
  /** imports and configures the runtime; returns it with a detail line and session options */
  load(): Promise<{ ort: OrtModule; detail: string; sessionOptions: Record<string, unknown> }>;
  /** WebGPU: the device ORT uses, to keep inputs in GPU buffers and await completion */
  gpuDevice?(): GPUDevice | undefined;
}

function feedsFor(
  ort: OrtModule,
  inp: CaseInputs,
  names: string[],
): { main: Float32Array; second: OrtTensor | null } {
  const shape = [inp.rows, inp.cols];
  switch (inp.op) {
    case 'softmax':
    case 'logSoftmax':
      return { main: inp.x!, second: null };
    case 'maskedSoftmax':
      return { main: inp.x!, second: new ort.Tensor('bool', inp.mask!, shape) };
    case 'softmaxBackward':
      return { main: inp.y!, second: new ort.Tensor('float32', inp.dy!, shape) };
    case 'crossEntropy': {
      const l = new BigInt64Array(inp.rows);
      for (let i = 0; i < inp.rows; i++) l[i] = BigInt(inp.labels![i]);
      void names;
      return { main: inp.x!, second: new ort.Tensor('int64', l, [inp.rows]) };
    }
  }
}

function toResult(inp: CaseInputs, outs: ArrayLike<number>[]): CaseResult {
  return inp.op === 'crossEntropy' ? { loss: Number(outs[0][0]), grad: outs[1] } : { out: outs[0] };
}

export function createOrt(spec: OrtSpec): Impl {
  let ort: OrtModule;
  let sessionOptions: Record<string, unknown> = {};
  const gpu = !!spec.gpuDevice;
  const impl: Impl = {
    id: spec.id,
    label: spec.label,
    kind: 'peer',
    modes: {
      e2e: 'ort.Tensor over the Float32Array, session.run, output data in JS memory',
      kernel: gpu
        ? 'inputs in GPU buffers (Tensor.fromGpuBuffer), outputs kept on the GPU, run + onSubmittedWorkDone; no readback'
        : 'inputs as tensors made once, outputs preallocated (fetches) and read from those arrays; where fetches are ignored (onnxruntime-web wasm), outputs made by ORT on each run',
    },
    async load(): Promise<LoadInfo> {
      const r = await spec.load();
      ort = r.ort;
      sessionOptions = r.sessionOptions;
      return { detail: r.detail };
    },
    supports: () => true,
    async prepare(inp: CaseInputs): Promise<PreparedCase> {
      const m = modelFor(inp.op, inp.rows, inp.cols);
      const shape = [inp.rows, inp.cols];
      const { main, second } = feedsFor(ort, inp, m.inputs);
      const session = await ort.InferenceSession.create(m.model, { ...sessionOptions });
      const feeds = (x: OrtTensor): Record<string, OrtTensor> =>
        second ? { [m.inputs[0]]: x, [m.inputs[1]]: second } : { [m.inputs[0]]: x };
      const residentX = new ort.Tensor('float32', main, shape);
      const e2e = async () => {
        const outs = await session.run(feeds(new ort.Tensor('float32', main, shape)));
        const data: ArrayLike<number>[] = [];
        for (const name of m.outputs) {
          const t = outs[name];
          data.push(t.location && t.location !== 'cpu' && t.getData ? await t.getData(true) : t.data);
        }
        return data;
      };
      let kernel: () => Promise<unknown>;
      let kernelResult: () => Promise<ArrayLike<number>[]>;
      let kernelSession: OrtSession | null = null;
      const gpuBuffers: GPUBuffer[] = [];
      const device = spec.gpuDevice?.();
      if (gpu && device && ort.Tensor.fromGpuBuffer) {
        // inputs resident in GPU buffers, outputs left on the GPU
        kernelSession = await ort.InferenceSession.create(m.model, {
          ...sessionOptions,
          preferredOutputLocation: 'gpu-buffer',
        });
        const upload = (a: Float32Array) => {
          const b = device.createBuffer({
            size: Math.ceil(a.byteLength / 16) * 16,
            usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
          });
          // a copy first: writeBuffer from a SharedArrayBuffer view crashes Dawn
          device.queue.writeBuffer(b, 0, a.slice());
          gpuBuffers.push(b);
          return ort.Tensor.fromGpuBuffer!(b, { dataType: 'float32', dims: shape });
        };
        const gx = upload(main);
        const g2 = inp.op === 'softmaxBackward' ? upload(inp.dy!) : second;
        const gfeeds = g2 ? { [m.inputs[0]]: gx, [m.inputs[1]]: g2 } : { [m.inputs[0]]: gx };
        const ks = kernelSession;
        kernel = async () => {
          const outs = await ks.run(gfeeds);
          await device.queue.onSubmittedWorkDone();
          for (const name of m.outputs) outs[name].dispose?.();
        };
        kernelResult = async () => {
          const outs = await ks.run(gfeeds);
          const data: ArrayLike<number>[] = [];
          for (const name of m.outputs) {
            const t = outs[name];
            data.push(t.getData ? await t.getData(true) : t.data);
          }
          return data;
        };
      } else {
        const outArrays = m.outputs.map((_, i) =>
          inp.op === 'crossEntropy' && i === 0 ? new Float32Array(1) : new Float32Array(inp.rows * inp.cols),
        );
        const fetches: Record<string, OrtTensor> = {};
        m.outputs.forEach((name, i) => {
          fetches[name] = new ort.Tensor(
            'float32',
            outArrays[i],
            inp.op === 'crossEntropy' && i === 0 ? [] : shape,
          );
        });
        const kfeeds = feeds(residentX);
        // onnxruntime-web's wasm build ignores preallocated outputs: probed once; there, ORT
        // allocates its outputs on each run (its least work per run) and those are read.
        // the preallocated arrays, filled with NaN first so an ignored fetch shows
        const runIntoFetches = async () => {
          outArrays.forEach((a) => {
            a.fill(Number.NaN);
          });
          await session.run(kfeeds, fetches);
          return outArrays;
        };
        if ((await runIntoFetches()).every((a) => !Number.isNaN(a[0]))) {
          kernel = () => session.run(kfeeds, fetches);
          kernelResult = runIntoFetches;
        } else {
          kernel = () => session.run(kfeeds);
          kernelResult = async () => {
            const outs = await session.run(kfeeds);
            return m.outputs.map((name) => outs[name].data);
          };
        }
      }
      return {
        calls: { e2e, kernel },
        async result(mode) {
          return toResult(inp, mode === 'e2e' ? await e2e() : await kernelResult());
        },
        async dispose() {
          await session.release?.();
          await kernelSession?.release?.();
          for (const b of gpuBuffers) b.destroy();
        },
      };
    },
  };
  return impl;
}
