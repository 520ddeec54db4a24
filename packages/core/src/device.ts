/**
 * Device-resident data: a tensor's `data` may be an array that lives in a backend's memory (a
 * GPU buffer of the webgpu backend, a block of the wasm backend's linear memory). Core never reads it: it checks shapes and lengths as for
 * typed arrays, and hands it to the backend that owns it. Backends that keep no device memory
 * refuse it with a ValueError that says to `download()` it first.
 */
import type {
  CrossEntropyArgs,
  ForwardArgs,
  JacobianArgs,
  LabelTarget,
  LogSoftmaxBackwardArgs,
  LogSumExpArgs,
  ProbabilityTarget,
  SoftmaxBackwardArgs,
} from './backend.js';
import type { DType, FloatArray, Tensor } from './types.js';

/** An array in a backend's memory. */
export interface DeviceArray {
  readonly location: 'device';
  readonly dtype: DType;
  readonly length: number;
  /** The backend that owns it ('webgpu', 'wasm'). */
  readonly backend: string;
  /** A copy in host memory (a Float32Array for float32). */
  download(): Promise<FloatArray>;
  /**
   * Releases it: an array the backend allocated (an output, an upload) goes back to the
   * backend's pool; an array wrapping the application's own buffer is only forgotten.
   * Using it afterwards is an error. Idempotent.
   */
  dispose(): void;
}

/** A tensor whose data lives in a backend's memory. */
export interface DeviceTensor {
  readonly data: DeviceArray;
  readonly shape: readonly number[];
}

/** A tensor in host memory or in a backend's memory. */
export type AnyTensor = Tensor | DeviceTensor;

/** True for a backend's device array (never for a typed array). */
export function isDeviceArray(value: unknown): value is DeviceArray {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  const v = value as Partial<DeviceArray>;
  return v.location === 'device' && typeof v.download === 'function' && typeof v.length === 'number';
}

/** A kernel's arguments where any array may live on the device (masks, labels stay on the host). */
export type OnDevice<T> = {
  readonly [K in keyof T]: T[K] extends FloatArray ? FloatArray | DeviceArray : T[K];
};

/** Cross-entropy's arguments on the device: labels and weights stay on the host. */
export type DeviceCrossEntropyArgs = Omit<OnDevice<CrossEntropyArgs>, 'target'> & {
  readonly target: LabelTarget | OnDevice<ProbabilityTarget>;
};

/** The kernels a device backend runs on device (or host) arrays; results land where `out` is. */
export interface DeviceKernels {
  readonly softmax: (args: OnDevice<ForwardArgs>) => Promise<void>;
  readonly logSoftmax: (args: OnDevice<ForwardArgs>) => Promise<void>;
  readonly logSumExp: (args: OnDevice<LogSumExpArgs>) => Promise<void>;
  readonly softmaxBackward: (args: OnDevice<SoftmaxBackwardArgs>) => Promise<void>;
  readonly logSoftmaxBackward: (args: OnDevice<LogSoftmaxBackwardArgs>) => Promise<void>;
  readonly softmaxJacobian: (args: OnDevice<JacobianArgs>) => Promise<void>;
  /**
   * With `lossTotal`, also writes the sum of `lossOut` to `lossTotal[0]` on the device (the
   * loss of reductions 'mean' and 'sum', whose per-sample shares `lossScale` already made).
   */
  readonly softmaxCrossEntropy: (
    args: DeviceCrossEntropyArgs,
    lossTotal?: FloatArray | DeviceArray,
  ) => Promise<void>;
}

/** What a backend with its own memory declares (Backend.device). */
export interface DeviceMemory {
  /** A new array owned by the backend, holding a copy of `data`. */
  upload(data: FloatArray): DeviceArray;
  /** A new array owned by the backend, for an op's result (contents undefined). */
  allocate(dtype: DType, length: number): DeviceArray;
  /** Copies `data` into `target` (same length). */
  write(target: DeviceArray, data: FloatArray): void;
  /**
   * Throws a ValueError naming `argument` unless `array` can be used here: this backend's,
   * on its device, not disposed or destroyed.
   */
  check(array: DeviceArray, argument: string): void;
  readonly kernels: DeviceKernels;
}
