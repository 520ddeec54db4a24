/**
 * The types of the ops on device tensors, derived from the op table (ops.ts): every op also
 * takes tensors whose data is a device array (webgpu); its results are device tensors unless
 * `output: 'host'` or a host `out` says otherwise. (Host tensors in, no `output`: the
 * host-typed signatures of AsyncOps apply.)
 */
import type { AnyTensor } from './device.js';
import type { OpName, OpSignatures } from './ops.js';
import type { CrossEntropyResult } from './options.js';
import type { FloatArray, Tensor } from './types.js';

export type { AnyTensor, DeviceTensor } from './device.js';

/** A parameter or result with every host tensor replaced by a host or device tensor. */
type OnDeviceValue<T> = T extends Tensor
  ? AnyTensor
  : T extends CrossEntropyResult
    ? { loss: AnyTensor; grad: AnyTensor }
    : T;

/** Over a parameter tuple (a homomorphic mapped type keeps it a tuple, names and `?` included). */
type OnDeviceParams<P extends readonly unknown[]> = { [I in keyof P]: OnDeviceValue<P[I]> };

type Signature<K extends OpName> = OpSignatures<FloatArray>[K];

export type DeviceOps = {
  readonly [K in OpName]: (
    ...args: OnDeviceParams<Signature<K>['params']>
  ) => Promise<OnDeviceValue<Signature<K>['result']>>;
};
