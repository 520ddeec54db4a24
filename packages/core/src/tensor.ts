import { describeValue, shapeText } from './describe.js';
import { ShapeError, ValueError } from './errors.js';
import { allocate } from './limits.js';
import { flatValues, type Nested, unflatten } from './nested.js';
import type { DType, FloatArray, Labels, Mask, Tensor } from './types.js';
import { checkShape, isFloatArray } from './validate/arrays.js';
import { checkOptionKeys } from './validate/option-keys.js';

export type { Nested } from './nested.js';

export interface TensorOptions<D extends DType = DType> {
  /** Default: 'float64' for a Float64Array, 'float32' otherwise. */
  dtype?: D;
  /**
   * Required for flat values of more than one dimension (a typed array or a flat array);
   * nested arrays must already have it (they are never reshaped).
   */
  shape?: readonly number[];
}

const TENSOR_OPTIONS = ['dtype', 'shape'] as const;

/**
 * The array type tensor() gives values without a dtype: Float64Array for a Float64Array,
 * Float32Array for nested numbers or other typed arrays, and either for a static type that
 * may hold a Float64Array (a FloatArray, an ArrayLike<number>).
 */
export type KeptArray<V> = V extends Float64Array
  ? Float64Array
  : Float64Array extends V
    ? FloatArray
    : Float32Array;

const isNumber = (v: unknown): v is number => typeof v === 'number';

function checkDType(dtype: unknown, values: unknown): DType {
  if (dtype === undefined) return values instanceof Float64Array ? 'float64' : 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(
      `options.dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`,
      'options.dtype',
    );
  }
  return dtype;
}

function notValues(values: unknown): string | undefined {
  if (
    typeof values === 'object' &&
    values !== null &&
    !Array.isArray(values) &&
    !ArrayBuffer.isView(values)
  ) {
    return 'data' in values && 'shape' in values
      ? 'values is already a { data, shape } tensor; pass it to the ops as it is'
      : `values must be nested arrays of numbers, a typed array or a number, got ${describeValue(values)}`;
  }
  return undefined;
}

/**
 * Builds a tensor from nested arrays (`tensor([[1, 2], [3, 4]])`), or from flat values and a
 * shape (`tensor(new Float32Array(6), { shape: [2, 3] })`). Float32 unless `dtype` says
 * otherwise, or the values are a Float64Array (kept float64). The values are copied.
 */
export function tensor(
  values: Nested<number> | ArrayLike<number>,
  options: { dtype: 'float64'; shape?: readonly number[] },
): Tensor<Float64Array>;
export function tensor(
  values: Nested<number> | ArrayLike<number>,
  options: { dtype: 'float32'; shape?: readonly number[] },
): Tensor<Float32Array>;
export function tensor<V extends Nested<number> | ArrayLike<number>>(
  values: V,
  options?: { shape?: readonly number[] },
): Tensor<KeptArray<V>>;
export function tensor(values: Nested<number> | ArrayLike<number>, options?: TensorOptions): Tensor;
export function tensor(values: Nested<number> | ArrayLike<number>, options?: TensorOptions): Tensor {
  const o = checkOptionKeys(options, TENSOR_OPTIONS, 'tensor');
  const dtype = checkDType(o.dtype, values);
  const problem = notValues(values);
  if (problem !== undefined) throw new ValueError(problem, 'values');
  const { flat, shape } = flatValues(values, o.shape, isNumber, 'a number', 'values');
  const data = allocate(dtype, flat.length, 'The tensor', 'values');
  for (let i = 0; i < flat.length; i++) data[i] = flat[i];
  return { data, shape: [...shape] };
}

const DATA_TYPES = 'Float32Array, Float64Array (tensors), Uint8Array (masks) or Int32Array (labels)';

/** Nested arrays of a tensor's (or mask's, or labels') values; shape [] gives a number. */
export function toArray(t: Tensor | Mask | Labels): Nested<number> {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || ArrayBuffer.isView(t)) {
    const already = Array.isArray(t) ? ' (an Array already is nested values)' : '';
    throw new ValueError(
      `toArray takes a tensor, mask or labels ({ data, shape }), got ${describeValue(t)}${already}`,
      'tensor',
    );
  }
  const { data } = t;
  if (!(isFloatArray(data) || data instanceof Uint8Array || data instanceof Int32Array)) {
    throw new ValueError(`tensor.data must be a ${DATA_TYPES}, got ${describeValue(data)}`, 'tensor');
  }
  const shape = checkShape(t.shape, 'tensor.shape', 'tensor');
  let size = 1;
  for (const d of shape) size *= d;
  if (size !== data.length) {
    throw new ShapeError(
      `tensor has ${data.length} elements but its shape ${shapeText(shape)} needs ${size}`,
      'tensor',
    );
  }
  return unflatten(data, shape, 'tensor');
}
