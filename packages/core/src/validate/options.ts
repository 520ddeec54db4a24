import { describeValue, shapeText } from '../describe.js';
import { ShapeError, ValueError } from '../errors.js';
import { allocate } from '../limits.js';
import type { Unzeroed } from '../result-memory.js';
import type { DType, FloatArray } from '../types.js';
import { dtypeOf, isFloatArray } from './arrays.js';
import { sharesMemory } from './shared-memory.js';

/** Resolves a possibly negative axis against a rank, NumPy style. */
export function normalizeAxis(axis: unknown, shape: readonly number[], argument = 'options.axis'): number {
  const value = axis === undefined ? -1 : axis;
  const rank = shape.length;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ShapeError(`${argument} must be an integer, got ${describeValue(value)}`, argument);
  }
  if (value < -rank || value >= rank) {
    throw new ShapeError(
      rank === 0
        ? `${argument} is ${value} but the tensor is a scalar (shape []); softmax needs at least one axis`
        : `${argument} is ${value}, out of range for shape ${shapeText(shape)} (valid: ${-rank} to ${rank - 1})`,
      argument,
    );
  }
  return value < 0 ? value + rank : value;
}

/** The temperature after checking it is finite and > 0 (default 1). */
export function checkTemperature(temperature: unknown): number {
  const t = temperature === undefined ? 1 : temperature;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
    throw new ValueError(
      `options.temperature must be a finite number > 0, got ${describeValue(t)}`,
      'options.temperature',
    );
  }
  return t;
}

/** A boolean option such as keepDims (default false). */
export function checkBoolean(value: unknown, argument: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new ValueError(`${argument} must be true or false, got ${describeValue(value)}`, argument);
  }
  return value;
}

/**
 * Returns `out` after checking it can hold a result of `length` elements of `dtype` without
 * touching any input, or a fresh array when `out` is undefined (`unzeroed`: the kernel writes
 * every element, so a large one need not be zeroed first; see unzeroedResults).
 */
export function outputArray(
  out: unknown,
  dtype: DType,
  length: number,
  inputs: readonly ArrayBufferView[],
  unzeroed: Unzeroed,
  argument = 'options.out',
): FloatArray {
  if (out === undefined) return allocate(dtype, length, 'The result', argument, unzeroed);
  if (!isFloatArray(out) || dtypeOf(out) !== dtype) {
    throw new ValueError(
      `${argument} must be a ${dtype === 'float64' ? 'Float64Array' : 'Float32Array'} (the input's dtype), got ${describeValue(out)}`,
      argument,
    );
  }
  if (out.length !== length) {
    throw new ShapeError(`${argument} has ${out.length} elements but the result needs ${length}`, argument);
  }
  if (inputs.some((input) => sharesMemory(out, input))) {
    throw new ValueError(
      `${argument} shares memory with an input; inputs are never modified, pass a separate array`,
      argument,
    );
  }
  return out;
}
