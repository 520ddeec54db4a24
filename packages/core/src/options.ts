import type { DeviceArray } from './device.js';
import type { FloatArray, Mask, Tensor } from './types.js';

/** Options shared by the softmax family. */
export interface SoftmaxOptions {
  /** The axis to normalise over; negative counts from the end. Default -1. */
  axis?: number;
  /** Computes softmax(x / temperature); finite and > 0. Default 1. */
  temperature?: number;
  /** Mask broadcastable to the input; non-zero = takes part (JAX `where=` semantics). */
  where?: Mask;
  /** Preallocated output of the input's dtype and the result's length (a device array too). */
  out?: FloatArray | DeviceArray;
  /**
   * Where the result lives: 'device' (the backend's memory) is the default when any input is a
   * device array, else 'host'. Only backends with device memory accept 'device'.
   */
  output?: Output;
}

export type Output = 'host' | 'device';

export interface LogSumExpOptions extends SoftmaxOptions {
  /** Keep the reduced axis with length 1. Default false. */
  keepDims?: boolean;
}

export type Reduction = 'mean' | 'sum' | 'none';

export interface CrossEntropyOptions {
  /** The class axis. Default -1. */
  axis?: number;
  /** Default 'mean'. */
  reduction?: Reduction;
  /** Samples with this label give 0 loss and 0 gradient and are not counted. Default -100. */
  ignoreIndex?: number;
  /** epsilon in [0, 1): the target becomes (1 - e) * target + e / C. Default 0. */
  labelSmoothing?: number;
  /** Per-class weights, shape [C], the logits' dtype (PyTorch semantics). */
  weights?: Tensor;
  /** Preallocated gradient buffer (the logits' dtype and length; a device array too). */
  gradOut?: FloatArray | DeviceArray;
  /** Where the gradient lives (the loss, a few numbers, is always on the host); see SoftmaxOptions. */
  output?: Output;
}

export interface CrossEntropyResult<A extends FloatArray = FloatArray> {
  /** shape [] for 'mean' and 'sum'; the labels' shape for 'none'. */
  loss: Tensor<A>;
  /** d(loss)/d(logits), the logits' shape. */
  grad: Tensor<A>;
}

export type { AsyncOps, KernelArgs, OpSignatures, SyncOps } from './ops.js';
