/**
 * Backend.device for the webgpu backend: uploads, result arrays, writes, the check that an
 * array can be used by this session, and the kernels on device arrays (the same kernels as for
 * host arrays: an array already on the GPU is bound as it is, a host one is uploaded).
 */
import type { DeviceArray, DeviceMemory, DType, FloatArray } from '@softmax-kit/core';
import { ValueError } from '@softmax-kit/core';
import { GpuArray } from './device-array.js';
import type { GpuContext } from './gpu-context.js';
import { writable } from './gpu-context.js';
import { logSoftmax } from './ops/log-softmax.js';
import { logSoftmaxBackward } from './ops/log-softmax-backward.js';
import { logSumExp } from './ops/log-sum-exp.js';
import { softmax } from './ops/softmax.js';
import { softmaxBackward } from './ops/softmax-backward.js';
import { softmaxCrossEntropy } from './ops/softmax-cross-entropy.js';
import { softmaxJacobian } from './ops/softmax-jacobian.js';

function float32(dtype: DType, argument: string): void {
  if (dtype !== 'float32') {
    throw new ValueError(`the webgpu backend holds float32 data, got ${dtype}`, argument);
  }
}

export function deviceMemory(ctx: GpuContext): DeviceMemory {
  const owned = (length: number): GpuArray => {
    const array = new GpuArray(ctx, ctx.storageFor(length), 'float32', length, true);
    ctx.adoptArray(array);
    return array;
  };
  const write = (target: GpuArray, data: FloatArray) => {
    if (data.length > 0) ctx.device.queue.writeBuffer(target.buffer, 0, writable(Float32Array.from(data)));
  };
  return {
    upload(data: FloatArray): DeviceArray {
      float32(data instanceof Float64Array ? 'float64' : 'float32', 'tensor');
      const array = owned(data.length);
      write(array, data);
      return array;
    },
    allocate(dtype: DType, length: number): DeviceArray {
      float32(dtype, 'options.out');
      return owned(length);
    },
    write(target: DeviceArray, data: FloatArray): void {
      if (!(target instanceof GpuArray)) throw new ValueError('not a webgpu device array', 'options.out');
      write(target, data);
    },
    check(array: DeviceArray, argument: string): void {
      if (!(array instanceof GpuArray)) {
        throw new ValueError(
          `${argument} is a device array of backend '${array.backend}', not of this webgpu backend: download() it and upload it here`,
          argument,
        );
      }
      if (array.disposed) {
        throw new ValueError(
          `${argument} is a device array that was disposed; it can no longer be used`,
          argument,
        );
      }
      // A borrowed buffer (the application's) may serve any session; its device is checked by
      // the error scopes when it is bound.
      if (!array.owned) array.ctx = ctx;
      if (array.ctx !== ctx) {
        throw new ValueError(
          `${argument} belongs to another webgpu session (another device or a disposed backend): download() it and upload it here`,
          argument,
        );
      }
    },
    kernels: {
      softmax: (args) => softmax(ctx, args),
      logSoftmax: (args) => logSoftmax(ctx, args),
      logSumExp: (args) => logSumExp(ctx, args),
      softmaxBackward: (args) => softmaxBackward(ctx, args),
      logSoftmaxBackward: (args) => logSoftmaxBackward(ctx, args),
      softmaxJacobian: (args) => softmaxJacobian(ctx, args),
      softmaxCrossEntropy: (args, lossTotal) => softmaxCrossEntropy(ctx, args, lossTotal),
    },
  };
}
