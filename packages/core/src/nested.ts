/** Flattening nested arrays (row-major) and rebuilding them, shared by tensor/mask/labels. */
import { product, shapeText, typeName } from './describe.js';
import { ShapeError, ValueError } from './errors.js';
import { checkShape } from './validate/arrays.js';

/** A number, or arrays of arrays of numbers of any depth. */
export type Nested<T> = T | readonly Nested<T>[];

/** Infers the shape of a rectangular nested array and flattens it. */
export function flatten<T>(
  values: Nested<T>,
  isLeaf: (v: unknown) => v is T,
  what: string,
  argument: string,
): { flat: T[]; shape: number[] } {
  const shape: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: T[] = [];
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (!isLeaf(node)) {
        throw new ValueError(
          `${argument}${path} is ${typeName(node)} (${String(node)}); expected ${what}`,
          argument,
        );
      }
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(
        `${argument}${path} has ${Array.isArray(node) ? `length ${node.length}` : typeName(node)} but the shape inferred from the first elements is ${shapeText(shape)}; nested arrays must be rectangular`,
        argument,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return { flat, shape };
}

/** Rebuilds nested arrays (row-major) from flat data; shape [] gives a number. */
export function unflatten(data: ArrayLike<number>, shape: readonly number[]): Nested<number> {
  const build = (depth: number, offset: number, stride: number): Nested<number> => {
    if (depth === shape.length) return data[offset];
    const inner = stride / (shape[depth] || 1);
    return Array.from({ length: shape[depth] }, (_, i) => build(depth + 1, offset + i * inner, inner));
  };
  let size = 1;
  for (const d of shape) size *= d;
  return build(0, 0, size);
}

/** Typed arrays (and DataView-free views) are taken as already-flat values. */
function isTypedArray<T>(values: Nested<T> | ArrayLike<T>): values is ArrayLike<T> {
  return ArrayBuffer.isView(values) && !(values instanceof DataView);
}

/** Flat values and shape from nested arrays, or from flat values plus an explicit shape. */
export function flatValues<T>(
  values: Nested<T> | ArrayLike<T>,
  shape: readonly number[] | undefined,
  isLeaf: (v: unknown) => v is T,
  what: string,
  argument: string,
): { flat: ArrayLike<T>; shape: readonly number[] } {
  if (shape === undefined) {
    return isTypedArray(values)
      ? { flat: values, shape: [values.length] }
      : flatten(values, isLeaf, what, argument);
  }
  const checked = checkShape(shape, 'options.shape');
  const flat = isTypedArray(values) ? values : flatten(values, isLeaf, what, argument).flat;
  if (flat.length !== product(checked)) {
    throw new ShapeError(
      `${argument} has ${flat.length} values but shape ${shapeText(checked)} needs ${product(checked)}`,
      argument,
    );
  }
  return { flat, shape: checked };
}
