/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64';

/** The typed arrays behind a tensor. */
export type FloatArray = Float32Array | Float64Array;

/** A dense, row-major, contiguous tensor. Results keep the input's dtype. */
export interface Tensor<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

/**
 * A boolean mask broadcastable to the input by NumPy rules.
 * Non-zero means the element TAKES PART (like JAX `where=` and Keras `mask`);
 * this is the opposite of PyTorch's `masked_fill`, where true means "hide".
 */
export interface Mask {
  readonly data: Uint8Array;
  readonly shape: readonly number[];
}

/** Integer class labels: the logits' shape without the class axis. */
export interface Labels {
  readonly data: Int32Array;
  readonly shape: readonly number[];
}

export { ALL_OPS, type OpName } from './ops.js';
