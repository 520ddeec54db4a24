import { product, shapeText, typeName } from '../describe.js';
import { ShapeError, ValueError } from '../errors.js';
import type { DType, FloatArray, Labels, Mask, Tensor } from '../types.js';

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

/** Checks `shape` is an array of non-negative integers; returns it (callers copy what they keep). */
export function checkShape(shape: unknown, argument: string): readonly number[] {
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `${argument}.shape must be an array of dimensions, got ${typeName(shape)}`,
      argument,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${argument}.shape[${i}] is ${String(d)}; dimensions must be non-negative integers (shape ${shapeText(shape)})`,
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

function checkObject(
  value: unknown,
  what: string,
  argument: string,
): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    throw new ValueError(`${argument} must be ${what} ({ data, shape }), got ${typeName(value)}`, argument);
  }
}

/** A validated tensor: its data, a frozen copy of its shape and its dtype. */
export interface CheckedTensor {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export function checkTensor(value: Tensor | unknown, argument: string): CheckedTensor {
  checkObject(value, 'a tensor', argument);
  const { data } = value;
  if (!isFloatArray(data)) {
    throw new ValueError(
      `${argument}.data must be a Float32Array or Float64Array, got ${typeName(data)}`,
      argument,
    );
  }
  const shape = checkShape(value.shape, argument);
  checkLength(data.length, shape, argument);
  return { data, shape, dtype: dtypeOf(data) };
}

export function checkMask(value: Mask | unknown, argument: string): Mask {
  checkObject(value, 'a mask', argument);
  const { data } = value;
  if (!(data instanceof Uint8Array)) {
    throw new ValueError(
      `${argument}.data must be a Uint8Array (non-zero = takes part), got ${typeName(data)}`,
      argument,
    );
  }
  const shape = checkShape(value.shape, argument);
  checkLength(data.length, shape, argument);
  return { data, shape };
}

export function checkLabels(value: Labels, argument: string): Labels {
  const shape = checkShape(value.shape, argument);
  checkLength(value.data.length, shape, argument);
  return { data: value.data, shape };
}

/** Two tensors of one op must agree in shape and dtype (e.g. y and dy). */
export function checkSameTensor(a: CheckedTensor, b: CheckedTensor, nameA: string, nameB: string): void {
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
