/**
 * The types of the ops on device tensors: every op also takes tensors whose data is a device
 * array (webgpu); the result is a device tensor unless `output: 'host'` or a host `out` says
 * otherwise. (Host tensors in, no `output`: the host-typed signatures of AsyncOps apply.)
 */
import type { AnyTensor } from './device.js';
import type { CrossEntropyOptions, LogSumExpOptions, SoftmaxOptions } from './options.js';
import type { Labels, Tensor } from './types.js';

export type { AnyTensor, DeviceTensor } from './device.js';

export interface DeviceOps {
  softmax(x: AnyTensor, options?: SoftmaxOptions): Promise<AnyTensor>;
  logSoftmax(x: AnyTensor, options?: SoftmaxOptions): Promise<AnyTensor>;
  logSumExp(x: AnyTensor, options?: LogSumExpOptions): Promise<AnyTensor>;
  softmaxBackward(y: AnyTensor, dy: AnyTensor, options?: SoftmaxOptions): Promise<AnyTensor>;
  logSoftmaxBackward(logp: AnyTensor, dy: AnyTensor, options?: SoftmaxOptions): Promise<AnyTensor>;
  softmaxJacobian(y: AnyTensor, options?: SoftmaxOptions): Promise<AnyTensor>;
  /** The loss (a few numbers) is always a host tensor; the gradient follows `output`. */
  softmaxCrossEntropy(
    logits: AnyTensor,
    target: Labels | AnyTensor,
    options?: CrossEntropyOptions,
  ): Promise<{ loss: Tensor; grad: AnyTensor }>;
}
