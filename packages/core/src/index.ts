// for backend authors: the compensated sum core uses for reductions (a backend that sums a loss
// itself gives the same bits as the host path)
export { accurateSum } from './accurate-sum.js';
export type * from './backend.js';
export { supportedOps } from './backend.js';
export { createSoftmax } from './create-softmax.js';
export {
  type AnyTensor,
  type DeviceArray,
  type DeviceCrossEntropyArgs,
  type DeviceKernels,
  type DeviceMemory,
  type DeviceTensor,
  isDeviceArray,
  type OnDevice,
} from './device.js';
export type { DeviceOps } from './device-ops.js';
export * from './errors.js';
export { labels } from './labels.js';
export { causalMask, mask, maskWhere } from './masks.js';
export type * from './options.js';
export type { Softmax, SoftmaxSession } from './session.js';
export { type KeptArray, type Nested, type TensorOptions, tensor, toArray } from './tensor.js';
export * from './types.js';
