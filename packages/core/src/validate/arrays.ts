import { describeValue, product, shapeText } from '../describe.js';
import { ShapeError, ValueError } from '../errors.js';
import { MAX_RANK } from '../limits.js';
import type { DType, FloatArray, Mask } from '../types.js';

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

/**
 * Checks `shape` is an array of at most MAX_RANK non-negative safe integers; returns it
 * (callers copy what they keep). `path` is where it sits (`x.shape`, `options.shape`).
 */
export function checkShape(shape: unknown, path: string, argument: string): readonly number[] {
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `${path} must be an array of dimensions (e.g. [2, 3]), got ${describeValue(shape)}`,
      argument,
    );
  }
  if (shape.length > MAX_RANK) {
    throw new ShapeError(
      `${path} has ${shape.length} dimensions; at most ${MAX_RANK} are supported`,
      argument,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        `${path}[${i}] is ${describeValue(d)}; dimensions must be non-negative integers (shape ${shapeText(shape)})`,
        argument,
      );
    }
  }
  return shape;
}

function checkLength(length: number, shape: readonly number[], argument: string): void {
  const expected = product(shape);
  if (length !== expected) {
    throw new ShapeError(
      `${argument} has ${length} elements but its shape ${shapeText(shape)} needs ${expected}`,
      argument,
    );
  }
}

/** Reads a property that a hostile or broken object might refuse to give. */
function field(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The advice for a value that is not a `{ data, shape }` object: how to wrap what was passed. */
function wrapAdvice(
  value: unknown,
  argument: string,
  builder: string,
  dataTypes: string,
): string | undefined {
  if (Array.isArray(value)) {
    return `${argument} is a plain Array; build ${builder === 'tensor' ? 'a tensor' : builder === 'mask' ? 'a mask' : 'labels'} from it with ${builder}(values)`;
  }
  if (ArrayBuffer.isView(value)) {
    return `${argument} is ${describeValue(value)} without a shape; wrap it: ${builder}(data) for 1-D, ${builder}(data, { shape }) otherwise, or { data, shape } with ${dataTypes} data`;
  }
  if (typeof value !== 'object' || value === null) {
    return `${argument} must be { data: ${dataTypes}, shape: number[] } (${builder}(values) builds one), got ${describeValue(value)}`;
  }
  if (typeof field(value, 'dataSync') === 'function') {
    return `${argument} looks like a TensorFlow.js tensor; pass { data: t.dataSync(), shape: t.shape } (a Float32Array and its shape)`;
  }
  if (field(value, 'dims') !== undefined && field(value, 'shape') === undefined) {
    return `${argument} looks like an onnxruntime Tensor; pass { data: t.data, shape: t.dims }`;
  }
  return undefined;
}

/** A validated tensor: its data, its shape (the caller's array; copy what you keep) and its dtype. */
export interface CheckedTensor {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * A `{ data, shape }` object's float data and its shape, read once without probing the object
 * for the look-alikes the advice names (this runs on every call: 1x10 softmax is per-call cost);
 * undefined for anything else, which then takes checkTensor's full path.
 */
function plainTensor(value: unknown): { data: FloatArray; shape: unknown } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return undefined;
  }
  try {
    const { data, shape } = value as { data?: unknown; shape?: unknown };
    return isFloatArray(data) && shape !== undefined ? { data, shape } : undefined;
  } catch {
    return undefined; // a getter that throws: the full path words the error
  }
}

export function checkTensor(value: unknown, argument: string): CheckedTensor {
  const plain = plainTensor(value);
  if (plain !== undefined) {
    const shape = checkShape(plain.shape, `${argument}.shape`, argument);
    checkLength(plain.data.length, shape, argument);
    return { data: plain.data, shape, dtype: dtypeOf(plain.data) };
  }
  const advice = wrapAdvice(value, argument, 'tensor', 'Float32Array | Float64Array');
  if (advice !== undefined) throw new ValueError(advice, argument);
  const object = value as object;
  const data = field(object, 'data');
  if (!isFloatArray(data)) {
    const fix = Array.isArray(data)
      ? `copy it into a typed array with tensor(${argument}.data, { shape: ${argument}.shape })`
      : data instanceof BigInt64Array || data instanceof BigUint64Array
        ? 'convert it to numbers first (Float64Array.from(data, Number))'
        : ArrayBuffer.isView(data)
          ? `tensor(${argument}.data, { shape: ${argument}.shape }) converts it to float32`
          : 'build a tensor with tensor(values) or tensor(data, { shape })';
    throw new ValueError(
      `${argument}.data must be a Float32Array or Float64Array, got ${describeValue(data)}; ${fix}`,
      argument,
    );
  }
  const shape = checkShape(field(object, 'shape'), `${argument}.shape`, argument);
  checkLength(data.length, shape, argument);
  return { data, shape, dtype: dtypeOf(data) };
}

export function checkMask(value: unknown, argument: string): Mask {
  const advice = wrapAdvice(value, argument, 'mask', 'Uint8Array');
  if (advice !== undefined) throw new ValueError(`${advice} (non-zero = takes part)`, argument);
  const object = value as object;
  const data = field(object, 'data');
  if (!(data instanceof Uint8Array)) {
    const fix = isFloatArray(data)
      ? 'build one with mask(values) or maskWhere(x, predicate)'
      : `build one with mask(values) (true or non-zero = takes part)`;
    throw new ValueError(
      `${argument}.data must be a Uint8Array (non-zero = takes part), got ${describeValue(data)}; ${fix}`,
      argument,
    );
  }
  const shape = checkShape(field(object, 'shape'), `${argument}.shape`, argument);
  checkLength(data.length, shape, argument);
  return { data, shape };
}

/**
 * Integer labels: `{ data: Int32Array, shape }` whose length matches. (Whether `target` holds
 * labels or probabilities is decided before this, from its data's type.)
 */
export function checkLabelsArray(data: Int32Array, shape: unknown, argument: string): readonly number[] {
  const checked = checkShape(shape, `${argument}.shape`, argument);
  checkLength(data.length, checked, argument);
  return checked;
}

/** Two tensors of one op must agree in shape and dtype (e.g. y and dy). */
export function checkSameTensor(
  a: Pick<CheckedTensor, 'shape' | 'dtype'>,
  b: Pick<CheckedTensor, 'shape' | 'dtype'>,
  nameA: string,
  nameB: string,
): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(
      `${nameB} has shape ${shapeText(b.shape)} but ${nameA} has shape ${shapeText(a.shape)}; they must match`,
      nameB,
    );
  }
  if (a.dtype !== b.dtype) {
    throw new ValueError(`${nameB} is ${b.dtype} but ${nameA} is ${a.dtype}; they must match`, nameB);
  }
}
