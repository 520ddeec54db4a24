import type { MaskView, View } from '@softmax-kit/core';

/**
 * Where the mask of slice (o, i) starts: element j of the slice takes part iff
 * `mask.data[maskBase(mask, view, o, i) + j * maskStride(mask, view)] !== 0`.
 * A dense mask has the input's layout, so no offset table is read.
 */
export function maskBase(mask: MaskView, view: View, o: number, i: number): number {
  return mask.dense ? o * view.n * view.inner + i : mask.outerOffsets[o] + mask.innerOffsets[i];
}

/** The distance between consecutive elements of a slice in the mask data. */
export function maskStride(mask: MaskView, view: View): number {
  return mask.dense ? view.inner : mask.nStride;
}
