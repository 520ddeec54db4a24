/** Flattening nested arrays (row-major) and rebuilding them, shared by tensor/mask/labels/toArray. */
import { describeValue, product, shapeText } from './describe.js';
import { ShapeError, SizeError, ValueError } from './errors.js';
import { MAX_RANK } from './limits.js';
import { checkShape } from './validate/arrays.js';

/** A number, or arrays of arrays of numbers of any depth. */
export type Nested<T> = T | readonly Nested<T>[];

/** The shape of nested arrays, read along the first elements; at most MAX_RANK deep (also stops cycles). */
function inferShape(values: unknown, argument: string): number[] {
  const shape: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) {
    if (shape.length === MAX_RANK) {
      throw new ShapeError(
        `${argument} is nested more than ${MAX_RANK} arrays deep; at most ${MAX_RANK} dimensions are supported`,
        argument,
      );
    }
    shape.push(level.length);
  }
  return shape;
}

/** Infers the shape of a rectangular nested array and flattens it. */
export function flatten<T>(
  values: Nested<T>,
  isLeaf: (v: unknown) => v is T,
  what: string,
  argument: string,
): { flat: T[]; shape: number[] } {
  const shape = inferShape(values, argument);
  const flat: T[] = [];
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (!isLeaf(node)) {
        throw new ValueError(`${argument}${path} is ${describeValue(node)}; expected ${what}`, argument);
      }
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(
        `${argument}${path} has ${Array.isArray(node) ? `length ${node.length}` : describeValue(node)} but the shape inferred from the first elements is ${shapeText(shape)}; nested arrays must be rectangular`,
        argument,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return { flat, shape };
}

/**
 * The most arrays toArray builds beyond what the data itself needs: a zero-size shape such as
 * [2 ** 40, 0] would otherwise ask for 2^40 empty arrays.
 */
const MAX_EMPTY_ARRAYS = 2 ** 24;

/** Rebuilds nested arrays (row-major) from flat data; shape [] gives a number. */
export function unflatten(
  data: ArrayLike<number>,
  shape: readonly number[],
  argument: string,
): Nested<number> {
  let arrays = 0;
  let count = 1;
  for (const d of shape) {
    arrays += count;
    count *= d;
  }
  if (arrays > MAX_EMPTY_ARRAYS && arrays > shape.length * data.length) {
    throw new SizeError(
      `toArray(${argument}) would build ${arrays} nested arrays for shape ${shapeText(shape)} (${data.length} values), more than the ${MAX_EMPTY_ARRAYS} it builds for an empty tensor`,
      argument,
      arrays,
      MAX_EMPTY_ARRAYS,
    );
  }
  const build = (depth: number, offset: number, stride: number): Nested<number> => {
    if (depth === shape.length) return data[offset];
    const inner = stride / (shape[depth] || 1);
    return Array.from({ length: shape[depth] }, (_, i) => build(depth + 1, offset + i * inner, inner));
  };
  return build(0, 0, product(shape));
}

/** Typed arrays (not DataViews) are taken as already-flat values. */
function isTypedArray(values: unknown): values is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(values) && !(values instanceof DataView);
}

/**
 * Flat values and shape from nested arrays, or from flat values (a typed array, a 1-D array or
 * a number) plus an explicit shape. Nested arrays must have the shape given, if one is: a
 * builder never reshapes them silently.
 */
export function flatValues<T>(
  values: unknown,
  shape: unknown,
  isLeaf: (v: unknown) => v is T,
  what: string,
  argument: string,
): { flat: ArrayLike<T | number>; shape: readonly number[] } {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new ValueError(
      `${argument} is ${describeValue(values)}; convert it to numbers first (e.g. Float64Array.from(values, Number))`,
      argument,
    );
  }
  if (values instanceof DataView) {
    throw new ValueError(`${argument} is a DataView; pass a typed array or nested arrays`, argument);
  }
  if (shape === undefined) {
    return isTypedArray(values)
      ? { flat: values, shape: [values.length] }
      : flatten(values as Nested<T>, isLeaf, what, argument);
  }
  const checked = checkShape(shape, 'options.shape', 'options.shape');
  let flat: ArrayLike<T | number>;
  if (isTypedArray(values)) {
    flat = values;
  } else {
    const nested = flatten(values as Nested<T>, isLeaf, what, argument);
    if (nested.shape.length > 1 && shapeText(nested.shape) !== shapeText(checked)) {
      throw new ShapeError(
        `${argument} are nested as ${shapeText(nested.shape)} but options.shape is ${shapeText(checked)}; nested arrays are never reshaped: drop the shape, or pass flat values (values.flat(${nested.shape.length - 1})) with it`,
        'options.shape',
      );
    }
    flat = nested.flat;
  }
  if (flat.length !== product(checked)) {
    throw new ShapeError(
      `${argument} has ${flat.length} values but shape ${shapeText(checked)} needs ${product(checked)}`,
      argument,
    );
  }
  return { flat, shape: checked };
}
