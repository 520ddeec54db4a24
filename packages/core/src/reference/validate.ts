/**
 * The reference's own argument checks, written from SEMANTICS.md "Errors" independently of core's
 * validation, so the conformance suite's bad-input cases can be checked against it too.
 */
import { ShapeError, SizeError, ValueError } from '../errors.js';
import type { FloatArray, Labels, Mask, Tensor } from '../types.js';
import { sizeOf, stridesOf, unravel } from './shape.js';

function isFloatArray(data: unknown): data is FloatArray {
  return data instanceof Float32Array || data instanceof Float64Array;
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function checkShape(shape: unknown, argument: string): readonly number[] {
  if (!Array.isArray(shape))
    throw new ShapeError(`${argument}.shape must be an array of dimensions`, argument);
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(
        `${argument}.shape ${describeShape(shape)} has ${String(dim)}: dimensions must be integers >= 0`,
        argument,
      );
    }
  }
  return shape;
}

function checkLength(length: number, shape: readonly number[], argument: string): void {
  if (length !== sizeOf(shape)) {
    throw new ShapeError(
      `${argument} has ${length} elements but its shape ${describeShape(shape)} needs ${sizeOf(shape)}`,
      argument,
    );
  }
}

/** A float tensor with a valid shape whose size matches its data. */
export function checkTensor(t: Tensor, argument: string): void {
  if (typeof t !== 'object' || t === null) throw new ValueError(`${argument} must be a tensor`, argument);
  if (!isFloatArray(t.data)) {
    throw new ValueError(`${argument}.data must be a Float32Array or Float64Array`, argument);
  }
  checkLength(t.data.length, checkShape(t.shape, argument), argument);
}

/** The axis as a non-negative index; negative counts from the end. */
export function checkAxis(axis: number | undefined, rank: number, argument = 'options.axis'): number {
  const a = axis === undefined ? -1 : axis;
  if (!Number.isInteger(a) || a < -rank || a >= rank) {
    throw new ShapeError(`axis ${String(axis)} is out of range for a tensor of rank ${rank}`, argument);
  }
  return a < 0 ? a + rank : a;
}

/** The temperature, default 1; finite and > 0. */
export function checkTemperature(temperature: number | undefined): number {
  const t = temperature === undefined ? 1 : temperature;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
    throw new ValueError(`temperature must be finite and > 0, got ${String(t)}`, 'options.temperature');
  }
  return t;
}

/**
 * The mask broadcast (NumPy rules: align trailing dims, each mask dim 1 or equal) onto `shape`,
 * as one flag per element of the input: 1 = takes part. No mask: everything takes part.
 */
export function broadcastMask(where: Mask | undefined, shape: readonly number[]): Uint8Array {
  const size = sizeOf(shape);
  if (where === undefined) return new Uint8Array(size).fill(1);
  const argument = 'options.where';
  if (typeof where !== 'object' || where === null || !(where.data instanceof Uint8Array)) {
    throw new ValueError('the mask (options.where) must have Uint8Array data', argument);
  }
  const maskShape = checkShape(where.shape, argument);
  checkLength(where.data.length, maskShape, argument);
  const offset = shape.length - maskShape.length;
  const fits = offset >= 0 && maskShape.every((dim, d) => dim === 1 || dim === shape[d + offset]);
  if (!fits) {
    throw new ShapeError(
      `the mask shape ${describeShape(maskShape)} does not broadcast to the input shape ${describeShape(shape)}`,
      argument,
    );
  }
  const maskStrides = stridesOf(maskShape);
  const flags = new Uint8Array(size);
  for (let flat = 0; flat < size; flat++) {
    const coords = unravel(flat, shape);
    let m = 0;
    for (let d = 0; d < maskShape.length; d++) {
      if (maskShape[d] !== 1) m += coords[d + offset] * maskStrides[d];
    }
    flags[flat] = where.data[m] !== 0 ? 1 : 0;
  }
  return flags;
}

/** A preallocated output must be the input's array type and the result's length. */
export function checkOut(out: unknown, like: FloatArray, length: number, argument = 'options.out'): void {
  if (out === undefined) return;
  if (!isFloatArray(out) || out.constructor !== like.constructor) {
    throw new ValueError(`${argument} must be a ${like.constructor.name}, like the input`, argument);
  }
  if (out.length !== length) {
    throw new ShapeError(
      `${argument} has length ${out.length} but the result has ${length} elements`,
      argument,
    );
  }
}

/** `argument`'s shape must equal `expected` (dy vs y, targets vs logits). */
export function checkSameShape(
  expected: readonly number[],
  actual: readonly number[],
  argument: string,
): void {
  const same = expected.length === actual.length && expected.every((dim, d) => dim === actual[d]);
  if (!same) {
    throw new ShapeError(
      `${argument} has shape ${describeShape(actual)} but must have shape ${describeShape(expected)}`,
      argument,
    );
  }
}

/** Integer labels: Int32Array data, a valid shape, each in [0, classes) or equal to ignoreIndex. */
export function checkLabels(
  target: Labels,
  expectedShape: readonly number[],
  classes: number,
  ignoreIndex: number,
): void {
  const argument = 'target';
  checkLength(target.data.length, checkShape(target.shape, argument), argument);
  checkSameShape(expectedShape, target.shape, argument);
  for (const label of target.data) {
    if (label !== ignoreIndex && (label < 0 || label >= classes)) {
      throw new ValueError(
        `label ${label} is outside [0, ${classes}) and is not ignoreIndex (${ignoreIndex})`,
        argument,
      );
    }
  }
}

/**
 * Options are left out or an object; every key must be one the op accepts (a typo such as
 * `mask` for `where` is an error, never ignored).
 */
export function checkOptions(options: unknown, accepted: readonly string[], op: string): void {
  if (options === undefined) return;
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options) ||
    ArrayBuffer.isView(options)
  ) {
    throw new ValueError(`${op}: options must be an object or left out`, 'options');
  }
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new ValueError(
        `options.${key} is not an option of ${op} (accepted: ${accepted.join(', ')})`,
        `options.${key}`,
      );
    }
  }
}

/** The most elements a result may have (core's limit), so a huge zero-size input cannot hang. */
const MAX_RESULT = 2 ** 32 - 1;

export function checkResultSize(elements: number, argument: string): void {
  if (elements > MAX_RESULT) {
    throw new SizeError(
      `the result would have ${elements} elements, more than ${MAX_RESULT}`,
      argument,
      elements,
      MAX_RESULT,
    );
  }
}

/** keepDims: left out (false) or a boolean. */
export function checkKeepDims(keepDims: unknown): boolean {
  if (keepDims === undefined) return false;
  if (typeof keepDims !== 'boolean')
    throw new ValueError('options.keepDims must be true or false', 'options.keepDims');
  return keepDims;
}

/** Integer labels' own shape and length (their fit to the logits is checkLabels'). */
export function checkLabelsStructure(target: Labels): void {
  checkLength(target.data.length, checkShape(target.shape, 'target'), 'target');
}
