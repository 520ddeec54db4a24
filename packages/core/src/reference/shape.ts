/** Plain N-d indexing helpers, written independently of core's canonical view so each checks the other. */

/** Number of elements of a shape (1 for a scalar shape []). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major strides: moving one step along dim d moves strides[d] elements in the data. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/** The coordinates of a flat row-major index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const coords = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = shape[d] === 0 ? 0 : flat % shape[d];
    flat = shape[d] === 0 ? 0 : Math.floor(flat / shape[d]);
  }
  return coords;
}

/** The shape with dimension `axis` removed (or set to 1 when keepDims). */
export function reducedShape(shape: readonly number[], axis: number, keepDims = false): number[] {
  return keepDims ? shape.map((dim, d) => (d === axis ? 1 : dim)) : shape.filter((_, d) => d !== axis);
}

/**
 * The slices along `axis`: one array of flat indices per position of the other dims,
 * listed in the row-major order of the reduced shape.
 */
export function slicesAlong(shape: readonly number[], axis: number): number[][] {
  const strides = stridesOf(shape);
  const n = shape[axis];
  const others = reducedShape(shape, axis);
  const count = sizeOf(others);
  const slices: number[][] = [];
  for (let s = 0; s < count; s++) {
    const coords = unravel(s, others);
    // Put the axis back in at coordinate 0 and turn the coordinates into a flat index.
    coords.splice(axis, 0, 0);
    let start = 0;
    for (let d = 0; d < shape.length; d++) start += coords[d] * strides[d];
    // Array.from, not new Array(n): V8 makes large preallocated arrays slow dictionaries.
    slices.push(Array.from({ length: n }, (_, j) => start + j * strides[axis]));
  }
  return slices;
}
