/**
 * Per-lane scratch for the strided kernels (running max, sum, ... of up to LANES slices side
 * by side). Allocated once when the backend starts and released by dispose, so kernels never
 * allocate per call.
 */

/**
 * The most slices a strided kernel processes side by side (6 slots x 4096 x 8 bytes = 192 KB of
 * lane state). An unmasked block takes all of an inner up to this size, so the block is one
 * contiguous run of memory: [1024, 4096] over axis 0 measured 1.38 -> 1.47 GB/s against blocks
 * of 1024 lanes, softmaxBackward 2.2 -> 2.8.
 */
export const LANES = 4096;

/**
 * Blocks of a larger inner: 1024 lanes, a 4 KB float32 run per row that the prefetcher streams
 * (4096 lanes measured 10% slower at [21, 65536], their lane state no longer in L1).
 */
export const STREAM_LANES = 1024;

/** Lane state arrays a kernel may use: slot s of lane l lives at `s * LANES + l`. */
export const LANE_SLOTS = 6;

export class Workspace {
  /** Use the table-driven exp for float32 (Math.exp otherwise). */
  readonly fastExp: boolean;
  /** (m, s) of one slice, written by shiftSum: a result pair without an allocation per slice. */
  readonly pair = new Float64Array(2);
  private buffer: Float64Array;

  constructor(fastExp: boolean) {
    this.fastExp = fastExp;
    this.buffer = new Float64Array(LANES * LANE_SLOTS);
  }

  /** The lane state; allocated again if a kernel runs after dispose, so results stay right. */
  get lanes(): Float64Array {
    if (this.buffer.length === 0) this.buffer = new Float64Array(LANES * LANE_SLOTS);
    return this.buffer;
  }

  dispose(): void {
    this.buffer = new Float64Array(0);
  }
}

/**
 * From these inner sizes on, the lane-blocked strided kernels beat one slice at a time with a
 * stride (measured on [outer, n, inner] float32 blocks): below them the slices of a block share
 * cache lines and the per-slice loops, unrolled and with one pass fewer, win; above them every
 * strided element is its own cache line (or page) and the lanes, reading rows in order, win.
 */
export const FORWARD_LANE_MIN_INNER = 1024;
export const BACKWARD_LANE_MIN_INNER = 512;
/**
 * The float32 lane kernels without a mask (unrolled, sampled shift) already win from here:
 * [4, 64, 512] 0.8 -> 1.3 GB/s, [8, 512, 256] about even or slightly ahead; at 64-128 the
 * per-slice loops still win.
 */
export const F32_LANE_MIN_INNER = 256;

/**
 * How many lanes to run side by side for slices of length n: as many as keep the block of
 * n x width elements within ~32k elements (128 KB of float32), so the second and third passes
 * find it in L2 instead of streaming it from memory again; at least 16, at most STREAM_LANES.
 * (Used where a mask is read per element; the unmasked kernels use blockWidth.)
 */
export function laneWidth(n: number): number {
  return Math.min(STREAM_LANES, Math.max(16, Math.floor(32768 / n)));
}

/** Lanes per block of the unmasked lane kernels: all of inner up to LANES, else STREAM_LANES. */
export function blockWidth(inner: number): number {
  return inner <= LANES ? inner : STREAM_LANES;
}

/**
 * Lanes per block of the generic lane kernels (forwardStrided and the backward ops): without a
 * mask, long contiguous rows stream best (blockWidth, as in forwardStridedF32); a mask read per
 * element keeps the narrower laneWidth blocks.
 */
export function stridedWidth(masked: boolean, n: number, inner: number): number {
  return masked ? laneWidth(n) : blockWidth(inner);
}
