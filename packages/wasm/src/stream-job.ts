/**
 * One kernel call described as data: which arrays stream in and out of linear memory, and the
 * export that runs on each block. Every export of the kernel table (csrc/exports.cc) takes
 *   (fullIn..., fullOut..., sampleIn..., sampleOut..., whole...,
 *    outer, n, inner, maskData, maskOuterOffsets, maskNStride, maskInnerOffsets, maskDense,
 *    scalars...)
 * where full arrays are [outer, n, inner], sample arrays [outer, inner], and `whole` arrays are
 * copied once per call (class weights; null passes a null pointer).
 */
import type { DeviceArray, FloatArray, MaskView, View } from '@softmax-kit/core';

/**
 * A kernel call over arrays of type A: host arrays (StreamJob, streamed through linear memory)
 * or host and resident arrays mixed (ResidentJob, run where the resident ones live).
 */
export interface KernelJob<A extends FloatArray | DeviceArray> {
  readonly view: View;
  /** 4 (float32) or 8 (float64) */
  readonly elementBytes: 4 | 8;
  readonly fullIn: readonly A[];
  readonly fullOut: readonly A[];
  /** floats per element of the full outputs: 1, or n for the Jacobian ([outer, n, inner, n]) */
  readonly outWidth: number;
  readonly sampleIn: readonly Int32Array[];
  readonly sampleOut: readonly A[];
  /** host arrays (class weights) */
  readonly whole: readonly (FloatArray | null)[];
  readonly mask: MaskView | null;
  /** the export's name */
  readonly fn: string;
  readonly scalars: readonly number[];
}

export type StreamJob = KernelJob<FloatArray>;
export type ResidentJob = KernelJob<FloatArray | DeviceArray>;

/** A block of whole slices: outers [o0, o1) and inner positions [i0, i1) (i1 - i0 < inner only when o1 = o0 + 1). */
export interface Chunk {
  readonly o0: number;
  readonly o1: number;
  readonly i0: number;
  readonly i1: number;
}
