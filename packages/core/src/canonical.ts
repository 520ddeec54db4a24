/** Turns (shape, axis, mask) into the canonical [outer, n, inner] view that kernels see. */
import type { MaskView, View } from './backend.js';
import { product, shapeText } from './describe.js';
import { ShapeError } from './errors.js';
import type { Mask } from './types.js';

export function canonicalView(shape: readonly number[], axis: number): View {
  // Plain loops: this runs on every call, and small inputs are dominated by per-call cost.
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, n: shape[axis], inner };
}

/**
 * Element strides of `mask` when broadcast (NumPy rules, right-aligned) onto `shape`:
 * 0 along every broadcast dimension. Throws a ShapeError when it does not broadcast.
 */
export function broadcastStrides(mask: Mask, shape: readonly number[], argument: string): number[] {
  const lead = shape.length - mask.shape.length;
  const fail = () =>
    new ShapeError(
      `${argument} has shape ${shapeText(mask.shape)}, which does not broadcast to the input's shape ${shapeText(shape)} (each mask dimension, aligned from the right, must equal the input's or be 1)`,
      argument,
    );
  if (lead < 0) throw fail();
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= lead; d--) {
    const m = mask.shape[d - lead];
    if (m !== shape[d] && m !== 1) throw fail();
    strides[d] = m === 1 ? 0 : stride;
    stride *= m;
  }
  return strides;
}

/** Offsets of every index of the dims [from, to) of `shape`, row-major, for the given strides. */
function offsetsOf(
  shape: readonly number[],
  strides: readonly number[],
  from: number,
  to: number,
): Int32Array {
  const offsets = new Int32Array(product(shape.slice(from, to)));
  const index = new Array<number>(to - from).fill(0);
  let offset = 0;
  for (let k = 0; k < offsets.length; k++) {
    offsets[k] = offset;
    // Odometer step over the dims, last fastest.
    for (let d = to - 1; d >= from; d--) {
      const i = d - from;
      index[i]++;
      offset += strides[d];
      if (index[i] < shape[d]) break;
      offset -= strides[d] * shape[d];
      index[i] = 0;
    }
  }
  return offsets;
}

/**
 * The mask as kernels see it, from strides broadcastStrides checked. Only built for a
 * non-empty input: its offset tables are at most as long as the input.
 */
export function canonicalMask(
  mask: Mask,
  strides: readonly number[],
  shape: readonly number[],
  axis: number,
): MaskView {
  return {
    data: mask.data,
    outerOffsets: offsetsOf(shape, strides, 0, axis),
    nStride: strides[axis],
    innerOffsets: offsetsOf(shape, strides, axis + 1, shape.length),
    // Broadcastable with as many elements means equal wherever the input's dim exceeds 1.
    dense: mask.data.length === product(shape),
  };
}
