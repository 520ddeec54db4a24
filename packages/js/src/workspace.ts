/**
 * Per-lane scratch for the strided kernels (running max, sum, ... of up to LANES slices side
 * by side). Allocated once when the backend starts and released by dispose, so kernels never
 * allocate per call.
 */

/** How many slices a strided kernel processes side by side: 512 lanes keep a float32 row of the
 * block at 2 KB, sequential in memory, while the lane state (6 x 4 KB) stays in L1. */
export const LANES = 512;

/** Lane state arrays a kernel may use: slot s of lane l lives at `s * LANES + l`. */
export const LANE_SLOTS = 6;

export class Workspace {
  lanes: Float64Array;
  /** Use the table-driven exp for float32 (Math.exp otherwise). */
  readonly fastExp: boolean;

  constructor(fastExp: boolean) {
    this.fastExp = fastExp;
    this.lanes = new Float64Array(LANES * LANE_SLOTS);
  }

  dispose(): void {
    this.lanes = new Float64Array(0);
  }
}

/** From this inner size on, the lane-blocked strided kernels beat one slice at a time. */
export const LANE_MIN_INNER = 16;
