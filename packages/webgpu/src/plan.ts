/**
 * Which kernel variant a canonical view runs with: one variant per shape class, never per shape.
 * - fused, lanes = 1: the column kernel (inner > 1, neighbouring invocations own neighbouring
 *   slices) and very short rows;
 * - fused, lanes > 1: several short rows per workgroup, or one workgroup per row (lanes = WG),
 *   each invocation folding about ELEMENTS_PER_LANE elements before the workgroup reduction;
 * - split: few long slices cut into chunks over many workgroups, partial (max, sum) pairs
 *   merged in a second pass and the outputs written in a third, all in one command encoder.
 */
import type { View } from '@softmax-kit/core';

export interface FusedPlan {
  readonly kind: 'fused';
  readonly workgroupSize: number;
  readonly lanes: number;
  readonly workgroups: number;
}

export interface SplitPlan {
  readonly kind: 'split';
  readonly workgroupSize: number;
  readonly chunks: number;
  readonly chunkLen: number;
}

const ELEMENTS_PER_LANE = 8;
const MAX_LANES = 256;
const COLUMN_WORKGROUP = 64;
/** Split a slice only when it is long and there are too few slices to fill the device. */
const SPLIT_MIN_N = 8192;
const SPLIT_MAX_SLICES = 256;
const SPLIT_CHUNK = 4096;
const SPLIT_TARGET_WORKGROUPS = 1024;

function nextPowerOfTwo(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, v)));
}

/** One slice per LANES invocations, all in one pass. */
export function fusedPlan(view: View): FusedPlan {
  const slices = view.outer * view.inner;
  const lanes =
    view.inner > 1 ? 1 : Math.min(MAX_LANES, nextPowerOfTwo(Math.ceil(view.n / ELEMENTS_PER_LANE)));
  const workgroupSize = Math.max(COLUMN_WORKGROUP, lanes);
  return { kind: 'fused', workgroupSize, lanes, workgroups: Math.ceil(slices / (workgroupSize / lanes)) };
}

export function forwardPlan(view: View): FusedPlan | SplitPlan {
  const slices = view.outer * view.inner;
  if (view.n >= SPLIT_MIN_N && slices < SPLIT_MAX_SLICES) {
    const chunks = Math.min(
      Math.ceil(view.n / SPLIT_CHUNK),
      Math.max(2, Math.ceil(SPLIT_TARGET_WORKGROUPS / slices)),
    );
    const chunkLen = Math.ceil(view.n / chunks);
    return { kind: 'split', workgroupSize: MAX_LANES, chunks: Math.ceil(view.n / chunkLen), chunkLen };
  }
  return fusedPlan(view);
}
