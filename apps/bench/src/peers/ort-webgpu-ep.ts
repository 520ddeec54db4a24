/**
 * onnxruntime-web's WebGPU execution provider, as a peer, wherever navigator.gpu works (Node
 * through Dawn, the browser page); the entry that imports onnxruntime-web/webgpu is given.
 * One wasm thread. ORT's WebGPU EP creates its own device: it is captured, so the kernel-only
 * timing can keep inputs in GPU buffers of that device (ORT rejects buffers of any other device),
 * and a first session is kept open (ORT drops its device, and the buffers, with its last one).
 * Browser-safe.
 */
import type { Impl } from '../impls/types.js';
import { modelFor } from './onnx-model.js';
import { createOrt, type OrtModule } from './ort-common.js';

export interface OrtWebGpuSpec {
  /** imports onnxruntime-web's WebGPU build (and points it at its .wasm where needed) */
  importOrt(): Promise<unknown>;
  /** added to the detail line */
  note: string;
}

function ortOf(m: unknown): OrtModule {
  const mod = m as OrtModule & { default?: OrtModule };
  return mod.InferenceSession ? mod : (mod.default as OrtModule);
}

export function createOrtWebGpu(spec: OrtWebGpuSpec): Impl {
  let device: GPUDevice | undefined;
  let keepAlive: unknown = null;
  return createOrt({
    id: 'ort-web-webgpu',
    label: 'onnxruntime-web webgpu',
    gpuDevice: () => (keepAlive ? device : undefined),
    async load() {
      const o = ortOf(await spec.importOrt());
      const wasm = o.env.wasm as { numThreads?: number; proxy?: boolean };
      wasm.numThreads = 1;
      wasm.proxy = false;
      const Adapter = (globalThis as { GPUAdapter?: { prototype: GPUAdapter } }).GPUAdapter;
      if (!Adapter) throw new Error('no WebGPU here (no GPUAdapter)');
      const original = Adapter.prototype.requestDevice;
      Adapter.prototype.requestDevice = async function (this: GPUAdapter, d?: GPUDeviceDescriptor) {
        const dev = await original.call(this, d);
        device = dev;
        return dev;
      };
      try {
        // a first session starts the EP (and its device); kept open
        keepAlive = await o.InferenceSession.create(modelFor('softmax', 1, 4).model, {
          executionProviders: ['webgpu'],
        });
      } finally {
        Adapter.prototype.requestDevice = original;
      }
      return {
        ort: o,
        detail: `onnxruntime-web ${o.env.versions?.web ?? ''}, WebGPU EP${device ? '' : ' (its device not captured: kernel-only inputs in JS memory)'}, wasm threads 1, ${spec.note}; LogSoftmax has no WebGPU kernel in this EP: ORT runs it on its CPU EP (e2e without transfers; kernel mode with GPU-CPU copies)`,
        sessionOptions: { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' },
      };
    },
  });
}
