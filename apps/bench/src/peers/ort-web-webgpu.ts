/**
 * onnxruntime-web's WebGPU execution provider, in Node through Dawn (the `webgpu` package) on
 * the same adapter as ours; one wasm thread (its WebGPU EP needs that in Node). Its process runs
 * with --liftoff-only: under Node's default tiering the first run of its 26 MB asyncify wasm
 * stalls while TurboFan compiles it (measured here: 54 s, vs 0.26 s with --liftoff-only).
 */
import type { ImplFactory } from '../impls/types.js';
import { createOrt, type OrtModule } from './ort-common.js';

/** the WebGPU build (the package's Node entry has no WebGPU EP); a variable keeps its types out */
const PACKAGE = 'onnxruntime-web/webgpu';

export const create: ImplFactory = () => {
  let device: GPUDevice | undefined;
  let keepAlive: unknown = null;
  return createOrt({
    id: 'ort-web-webgpu',
    label: 'onnxruntime-web webgpu',
    gpuDevice: () => (keepAlive ? device : undefined),
    async load() {
      const ort = (await import(PACKAGE)) as unknown as OrtModule & { default?: OrtModule };
      const o = (ort.InferenceSession ? ort : ort.default) as OrtModule;
      const wasm = o.env.wasm as { numThreads?: number; proxy?: boolean };
      wasm.numThreads = 1;
      wasm.proxy = false;
      // ORT's WebGPU EP creates its own device; capture it, so the kernel-only timing can keep
      // inputs in GPU buffers of that device (ORT rejects buffers of any other device)
      const Adapter = (globalThis as unknown as { GPUAdapter: { prototype: GPUAdapter } }).GPUAdapter;
      const original = Adapter.prototype.requestDevice;
      Adapter.prototype.requestDevice = async function (this: GPUAdapter, d?: GPUDeviceDescriptor) {
        const dev = await original.call(this, d);
        device = dev;
        return dev;
      };
      // a first session starts the EP (and its device)
      const probe = await o.InferenceSession.create(
        (await import('./onnx-model.js')).modelFor('softmax', 1, 4).model,
        { executionProviders: ['webgpu'] },
      );
      // kept open: ORT drops its device with its last session, and the buffers with it
      keepAlive = probe;
      Adapter.prototype.requestDevice = original;
      return {
        ort: o,
        detail: `onnxruntime-web ${o.env.versions?.web ?? ''}, WebGPU EP, wasm threads 1, Node flag --liftoff-only`,
        sessionOptions: { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' },
      };
    },
  });
};
