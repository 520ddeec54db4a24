/**
 * @softmax-kit/webgpu: the softmax-kit kernels as WGSL compute shaders, float32, in browsers
 * (navigator.gpu) and in Node (the `webgpu` package). Creates nothing until `start()`.
 *
 *   const sm = await createSoftmax([webgpuBackend(), jsBackend()]);
 *   const y = await sm.softmax(tensor([[1, 2, 3]]));
 */
import type { AsyncBackendFactory, Backend, Capabilities, DType, Kernels, OpName } from '@softmax-kit/core';
import { acquireDevice } from './device.js';
import { deviceMemory } from './device-memory.js';
import { GpuContext } from './gpu-context.js';
import { logSoftmax } from './ops/log-softmax.js';
import { logSoftmaxBackward } from './ops/log-softmax-backward.js';
import { logSumExp } from './ops/log-sum-exp.js';
import { softmax } from './ops/softmax.js';
import { softmaxBackward } from './ops/softmax-backward.js';
import { softmaxCrossEntropy } from './ops/softmax-cross-entropy.js';
import { softmaxJacobian } from './ops/softmax-jacobian.js';
import type { DeviceClass } from './plan.js';

export { isNullAdapter } from './device.js';
export { fromGpuBuffer } from './device-array.js';
export type { DeviceClass } from './plan.js';

export interface WebGpuBackendOptions {
  /** The application's device: the backend uses it, reads its limits and never destroys it. */
  device?: GPUDevice;
  /**
   * Where to request an adapter when no device is given; default `navigator.gpu`. In Node, pass
   * `create([])` from the `webgpu` package.
   */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
  /**
   * Which kernel family to run: 'cpu' (software adapters such as lavapipe and SwiftShader, where
   * workgroup barriers are costly: one invocation per slice or segment) or 'gpu' (lanes of a
   * workgroup share a slice). Default: chosen from the adapter's description.
   */
  kernels?: DeviceClass;
  /**
   * Bytes one storage binding may hold, below the device's maxStorageBufferBindingSize: larger
   * tensors run in chunks of whole slices (bounds the memory of one dispatch; tests use it).
   */
  maxBindingBytes?: number;
  /** Use subgroup reductions when the device has the `subgroups` feature (default true). */
  subgroups?: boolean;
  /**
   * For benchmarks: called after each submitted call (each chunk of a chunked op) with its GPU
   * time in milliseconds, from the beginning of its first compute pass to the end of its last,
   * measured with timestamp queries. Only where the device has the 'timestamp-query' feature
   * (requested when the backend creates the device); each call then also reads two timestamps
   * back. Dawn rounds timestamps to 100 us unless its 'timestamp_quantization' toggle is disabled.
   */
  onGpuTime?: (milliseconds: number) => void;
}

const DTYPES: readonly DType[] = ['float32'];
const OPS: readonly OpName[] = [
  'softmax',
  'logSoftmax',
  'logSumExp',
  'softmaxBackward',
  'logSoftmaxBackward',
  'softmaxJacobian',
  'softmaxCrossEntropy',
];
/** WebGPU's default maxStorageBufferBindingSize (128 MiB) in float32 elements: every device has it. */
const GUARANTEED_ELEMENTS = (128 * 1024 * 1024) / 4;

/** The WebGPU backend. Creates nothing until `start()`. */
export function webgpuBackend(options: WebGpuBackendOptions = {}): AsyncBackendFactory {
  return {
    name: 'webgpu',
    dtypes: DTYPES,
    capabilities: { dtypes: DTYPES, sync: false, maxElements: GUARANTEED_ELEMENTS, writesWholeResults: true },
    ops: OPS,
    async start(): Promise<Backend> {
      const gpu = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
      const acquired = await acquireDevice(gpu, options.device, options.powerPreference, {
        timestamps: options.onGpuTime !== undefined,
      });
      const ctx = new GpuContext(acquired.device, options.kernels ?? acquired.deviceClass, {
        maxBindingBytes: options.maxBindingBytes,
        subgroups: options.subgroups,
        onGpuTime: options.onGpuTime,
      });
      return createWebGpuBackend(ctx, acquired.owned);
    },
  };
}

function createWebGpuBackend(ctx: GpuContext, ownsDevice: boolean): Backend {
  let disposed = false;
  ctx.device.lost.then((info) => {
    ctx.lostReason = info.message || info.reason;
  });
  const capabilities: Capabilities<false> = {
    dtypes: DTYPES,
    sync: false,
    // Larger tensors run in chunks of whole slices; a device array is one GPU buffer.
    maxElements: Math.floor(ctx.maxBufferBytes / 4),
    // host results are copied whole from the read-back buffer
    writesWholeResults: true,
  };
  const kernels: Kernels = {
    softmax: (args) => softmax(ctx, args),
    logSoftmax: (args) => logSoftmax(ctx, args),
    logSumExp: (args) => logSumExp(ctx, args),
    softmaxBackward: (args) => softmaxBackward(ctx, args),
    logSoftmaxBackward: (args) => logSoftmaxBackward(ctx, args),
    softmaxJacobian: (args) => softmaxJacobian(ctx, args),
    softmaxCrossEntropy: (args) => softmaxCrossEntropy(ctx, args),
  };
  return {
    name: 'webgpu',
    capabilities,
    kernels,
    device: deviceMemory(ctx),
    dispose(): void {
      if (disposed) return;
      disposed = true;
      ctx.destroy();
      if (ownsDevice) ctx.device.destroy();
    },
  };
}
