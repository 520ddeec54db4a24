/**
 * Per-lane scratch for the strided kernels (running max, sum, ... of up to LANES slices side
 * by side). Allocated once when the backend starts and released by dispose, so kernels never
 * allocate per call.
 */

/**
 * The most slices a strided kernel processes side by side: a float32 row of the block is then at
 * most 2 KB, sequential in memory, while the lane state (6 x 4 KB) stays in L1.
 */
export const LANES = 1024;

/** Lane state arrays a kernel may use: slot s of lane l lives at `s * LANES + l`. */
export const LANE_SLOTS = 6;

export class Workspace {
  /** Use the table-driven exp for float32 (Math.exp otherwise). */
  readonly fastExp: boolean;
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
 * find it in L2 instead of streaming it from memory again; at least 16, at most LANES.
 */
export function laneWidth(n: number): number {
  return Math.min(LANES, Math.max(16, Math.floor(32768 / n)));
}
