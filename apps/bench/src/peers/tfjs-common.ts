/**
 * TensorFlow.js peers (cpu, wasm, webgpu) share this adapter; each backend's file only sets
 * its backend up. What is timed:
 * - softmax / log-softmax: tf.softmax / tf.logSoftmax over the last axis
 * - masked softmax: tf.softmax(tf.where(mask, x, -Infinity)) (mask: a bool tensor made once)
 * - softmax backward: tf.grad(x => tf.softmax(x))(x, dy), from the logits (autodiff keeps y
 *   from its forward pass, as tfjs users pay it); tfjs-core registers no gradients by itself, so
 *   the gradient kernels it needs (Softmax, Sum, RealDiv) are registered here, transcribed from
 *   tfjs-core's own gradient configs
 * - cross-entropy: tf.valueAndGrad(l => tf.losses.softmaxCrossEntropy(onehot, l)) (one-hot made once)
 * e2e: tf.tensor from the Float32Array, the op, the result read back (dataSync, or await data()
 * under WebGPU), tensors disposed. kernel: the inputs are tensors already resident in the
 * backend; the op runs and completes (WebGPU: queue submitted and onSubmittedWorkDone awaited),
 * nothing is read back.
 */

import type { Impl, LoadInfo, PreparedCase } from '../impls/types.js';
import { memberOf } from '../untyped.js';
import type { CaseInputs, CaseResult, OpId } from '../workloads.js';

type TF = typeof import('@tensorflow/tfjs-core');
type Tensor = import('@tensorflow/tfjs-core').Tensor;
type NamedAttrMap = import('@tensorflow/tfjs-core').NamedAttrMap;

/** The Softmax kernel's dim attribute. */
function dimAttr(attrs: NamedAttrMap): number {
  const dim = attrs.dim;
  if (typeof dim !== 'number')
    throw new Error(`tfjs Softmax gradient: attribute dim is ${String(dim)}, not a number`);
  return dim;
}

/** The Sum kernel's axis attribute: a number, numbers, or null (tf.sum over every axis). */
function axisAttr(attrs: NamedAttrMap): number | number[] | null {
  const axis = attrs.axis;
  if (axis === null || axis === undefined) return null;
  if (typeof axis === 'number') return axis;
  const axes: number[] = [];
  for (const a of Array.isArray(axis) ? axis : []) if (typeof a === 'number') axes.push(a);
  if (Array.isArray(axis) && axes.length === axis.length) return axes;
  throw new Error(`tfjs Sum gradient: attribute axis is ${String(axis)}, not numbers`);
}

/** Whether v is a GPU queue (what the kernel mode awaits). */
function isGpuQueue(v: unknown): v is GPUQueue {
  return typeof memberOf(v, 'onSubmittedWorkDone') === 'function';
}

/** Calls v[key]() with v as this, when v has such a method. */
function callIfPresent(v: unknown, key: string): void {
  const method = memberOf(v, key);
  if (typeof method === 'function') Reflect.apply(method, v, []);
}

let gradientsRegistered = false;

/** Softmax, Sum and RealDiv gradients, as in tfjs-core/src/gradients/*_grad.ts. */
export function registerGradients(tf: TF): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved;
      const dim = dimAttr(attrs);
      const dyTimesY = tf.mul(dy as Tensor, y);
      return { logits: () => tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y)) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const expanded = x.shape.slice();
      const axis = axisAttr(attrs);
      // null: every axis, as parseAxisParam reads it
      for (const a of tf.util.parseAxisParam(axis ?? x.shape.map((_, i) => i), x.shape)) expanded[a] = 1;
      return { x: () => tf.mul(tf.reshape(dy as Tensor, expanded), tf.ones(x.shape, 'float32')) };
    },
  });
  tf.registerGradient({
    kernelName: tf.RealDiv,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      return {
        a: () => {
          const res = tf.div(dy as Tensor, tf.cast(b, 'float32'));
          const axes = tf.broadcast_util.getReductionAxes(a.shape, outShape);
          return axes.length > 0 ? tf.reshape(tf.sum(res, axes), a.shape) : res;
        },
        b: () => {
          let res = tf.mul(dy as Tensor, tf.cast(a, 'float32'));
          const axes = tf.broadcast_util.getReductionAxes(b.shape, outShape);
          if (axes.length > 0) res = tf.reshape(tf.sum(res, axes), b.shape);
          return tf.neg(tf.div(res, tf.cast(tf.square(b), 'float32')));
        },
      };
    },
  });
}

export interface TfjsSpec {
  id: string;
  label: string;
  /** tf.setBackend name */
  backend: 'cpu' | 'wasm' | 'webgpu';
  /** registers / configures the backend before tf.setBackend; returns a detail line */
  setup(tf: TF): Promise<string>;
  /** read back with await data() and wait for the GPU queue (WebGPU) */
  gpu?: boolean;
}

export function createTfjs(spec: TfjsSpec): Impl {
  let tf: TF;
  /** submits what tfjs-backend-webgpu has recorded and waits until the GPU has run it */
  const gpuDone = async () => {
    // tfjs-backend-webgpu's backend members, which tfjs-core's KernelBackend type does not declare
    const be: unknown = tf.backend();
    if (memberOf(be, 'computePassEncoder')) callIfPresent(be, 'endComputePassEncoder');
    if (memberOf(be, 'commandEncoder')) callIfPresent(be, 'submitQueue');
    const q = memberOf(be, 'queue') ?? memberOf(memberOf(be, 'device'), 'queue');
    if (!isGpuQueue(q)) throw new Error('cannot reach the GPU queue of tfjs-backend-webgpu');
    await q.onSubmittedWorkDone();
  };
  /** tfjs has one active backend per realm: the page runs tfjs peers side by side */
  const use = async () => {
    if (tf.getBackend() !== spec.backend && !(await tf.setBackend(spec.backend)))
      throw new Error(`tf.setBackend('${spec.backend}') failed`);
  };
  const impl: Impl = {
    id: spec.id,
    label: spec.label,
    kind: 'peer',
    modes: {
      e2e: `tf.tensor from the Float32Array, op, ${spec.gpu ? 'await data()' : 'dataSync()'}, dispose`,
      kernel: spec.gpu
        ? 'inputs resident as GPU tensors; op, queue submitted, onSubmittedWorkDone awaited; no readback'
        : 'inputs resident as backend tensors; op (runs eagerly, synchronously); no readback',
    },
    async load(): Promise<LoadInfo> {
      tf = await import('@tensorflow/tfjs-core');
      registerGradients(tf);
      const detail = await spec.setup(tf);
      const ok = await tf.setBackend(spec.backend);
      if (!ok || tf.getBackend() !== spec.backend) throw new Error(`tf.setBackend('${spec.backend}') failed`);
      await tf.ready();
      return { detail: `tfjs-core ${tf.version_core}, backend ${tf.getBackend()}; ${detail}` };
    },
    supports: () => true,
    async prepare(inp: CaseInputs): Promise<PreparedCase> {
      await use();
      const shape: [number, number] = [inp.rows, inp.cols];
      const resident: Tensor[] = [];
      const keep = <T extends Tensor>(t: T): T => {
        resident.push(t);
        return t;
      };
      const run = buildOp(tf, inp.op, inp, shape, keep);
      const main = inp.op === 'softmaxBackward' ? inp.x! : inp.x!;
      const xRes = keep(tf.tensor2d(main, shape, 'float32'));
      const read = async (outs: Tensor[]): Promise<CaseResult> => {
        const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
        return inp.op === 'crossEntropy' ? { loss: data[0][0], grad: data[1] } : { out: data[0] };
      };
      const calls: PreparedCase['calls'] = spec.gpu
        ? {
            e2e: async () => {
              const x = tf.tensor2d(main, shape, 'float32');
              const outs = tf.tidy(() => run(x));
              const data = await Promise.all(outs.map((t) => t.data()));
              x.dispose();
              tf.dispose(outs);
              return data;
            },
            kernel: async () => {
              const outs = tf.tidy(() => run(xRes));
              await gpuDone();
              tf.dispose(outs);
            },
          }
        : {
            e2e: () => {
              // the data is read inside tidy but not returned from it: tidy walks what it
              // returns, element by element for a typed array
              let data: unknown[] = [];
              tf.tidy(() => {
                const x = tf.tensor2d(main, shape, 'float32');
                data = run(x).map((t) => t.dataSync());
              });
              return data;
            },
            kernel: () => {
              tf.dispose(tf.tidy(() => run(xRes)));
            },
          };
      return {
        calls,
        activate: use,
        async result(mode) {
          if (mode === 'e2e') {
            const x = tf.tensor2d(main, shape, 'float32');
            const outs = tf.tidy(() => run(x));
            const r = await read(outs);
            x.dispose();
            tf.dispose(outs);
            return r;
          }
          const outs = tf.tidy(() => run(xRes));
          const r = await read(outs);
          tf.dispose(outs);
          return r;
        },
        dispose() {
          tf.dispose(resident);
        },
      };
    },
  };
  return impl;
}

function buildOp(
  tf: TF,
  op: OpId,
  inp: CaseInputs,
  shape: [number, number],
  keep: <T extends Tensor>(t: T) => T,
): (x: Tensor) => Tensor[] {
  switch (op) {
    case 'softmax':
      return (x) => [tf.softmax(x)];
    case 'logSoftmax':
      return (x) => [tf.logSoftmax(x)];
    case 'maskedSoftmax': {
      const mask = keep(tf.tensor2d(inp.mask!, shape, 'bool'));
      const negInf = keep(tf.fill(shape, Number.NEGATIVE_INFINITY, 'float32'));
      return (x) => [tf.softmax(tf.where(mask, x, negInf))];
    }
    case 'softmaxBackward': {
      const dy = keep(tf.tensor2d(inp.dy!, shape, 'float32'));
      const g = tf.grad((z: Tensor) => tf.softmax(z));
      return (x) => [g(x, dy)];
    }
    case 'crossEntropy': {
      const onehot = keep(
        // cast, not oneHot(..., 'float32'): tfjs-backend-wasm 4.22 fills the latter with int bit patterns
        tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(inp.labels!, 'int32'), inp.cols), 'float32')),
      );
      const vg = tf.valueAndGrad((l: Tensor) => tf.losses.softmaxCrossEntropy(onehot, l) as Tensor);
      return (x) => {
        const { value, grad } = vg(x);
        return [value, grad];
      };
    }
  }
}
