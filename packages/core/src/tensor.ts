import { ValueError } from './errors.js';
import { flatValues, type Nested, unflatten } from './nested.js';
import type { DType, FloatArray, Labels, Mask, Tensor } from './types.js';
import { checkTensor, isFloatArray } from './validate/arrays.js';

export type { Nested } from './nested.js';

export interface TensorOptions {
  /** Default 'float32'. */
  dtype?: DType;
  /** Required when `values` is flat (a typed array or a flat array with a non-1-D shape). */
  shape?: readonly number[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number';

/**
 * Builds a tensor from nested arrays (`tensor([[1, 2], [3, 4]])`), or from flat values and a
 * shape (`tensor(new Float32Array(6), { shape: [2, 3] })`). Float32 unless `dtype` says otherwise.
 * The values are copied.
 */
export function tensor(values: Nested<number> | ArrayLike<number>, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(
      `options.dtype must be 'float32' or 'float64', got ${String(dtype)}`,
      'options.dtype',
    );
  }
  const { flat, shape } = flatValues(values, options.shape, isNumber, 'a number', 'values');
  const data: FloatArray = dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
  return { data, shape: [...shape] };
}

/** Nested arrays of a tensor's (or mask's, or labels') values; shape [] gives a number. */
export function toArray(t: Tensor | Mask | Labels): Nested<number> {
  if (isFloatArray(t.data)) checkTensor(t, 'tensor');
  return unflatten(t.data, t.shape);
}
