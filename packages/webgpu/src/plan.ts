/**
 * Which kernel variant a canonical view runs with: one variant per shape class (and device
 * class), never per shape.
 * - fused, lanes = 1: the column kernel (inner > 1, neighbouring invocations own neighbouring
 *   slices) and very short rows;
 * - fused, lanes > 1: several short rows per workgroup, or one workgroup per row (lanes = WG),
 *   each invocation folding about ELEMENTS_PER_LANE elements before the workgroup reduction;
 * - rows: rows of a length divisible by 4 with no or a dense mask (softmax, log-softmax): vec4
 *   loads and one exp per element;
 * - split: few long slices cut into chunks over many workgroups, partial (max, sum) pairs
 *   merged in a second pass and the outputs written in a third, all in one command encoder;
 * - segments: the split of vec4 rows on software adapters, one invocation per segment; the
 *   invocations of a workgroup interleave over one block of workgroupSize segments (chunks is a
 *   multiple of workgroupSize), so neighbouring SIMD lanes read neighbouring vec4s.
 * Software adapters (lavapipe, SwiftShader) run a workgroup's invocations as CPU SIMD lanes and
 * pay dearly for each workgroup barrier, so there every slice (or segment) is owned by one
 * invocation; GPUs spread a slice over lanes that read neighbouring elements.
 */
import type { View } from '@softmax-kit/core';

/** 'cpu': a software adapter (SIMD lanes on CPU cores); 'gpu': everything else. */
export type DeviceClass = 'cpu' | 'gpu';

export interface FusedPlan {
  readonly kind: 'fused';
  readonly workgroupSize: number;
  readonly lanes: number;
  readonly workgroups: number;
}

export interface RowsPlan {
  readonly kind: 'rows';
  readonly workgroupSize: number;
  readonly lanes: number;
  readonly workgroups: number;
}

export interface SplitPlan {
  readonly kind: 'split' | 'segments';
  readonly workgroupSize: number;
  readonly chunks: number;
  /** elements per chunk ('split'), vec4s per segment ('segments') */
  readonly chunkLen: number;
}

const ELEMENTS_PER_LANE = 8;
const VEC4_PER_LANE = 4;
const MAX_LANES = 256;
const GPU_WORKGROUP = 64;
/** Small, so that a few hundred slices still make enough workgroups for every CPU core. */
const CPU_WORKGROUP = 16;
/** Split a slice only when it is long and there are too few slices to fill the device. */
const SPLIT_MIN_N = 8192;
const SPLIT_MAX_SLICES = 256;
const SPLIT_CHUNK = 4096;
const SPLIT_TARGET_WORKGROUPS = 1024;
/** Fewer slices than this leave a software adapter's SIMD lanes idle at one slice per invocation. */
const CPU_FEW_SLICES = 64;
/** vec4s per invocation on software adapters (rows up to twice this stay whole). */
const CPU_SEGMENT = 256;

function nextPowerOfTwo(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, v)));
}

function lanesPlan<K extends 'fused' | 'rows'>(kind: K, slices: number, lanes: number, device: DeviceClass) {
  const workgroupSize = Math.max(device === 'cpu' ? CPU_WORKGROUP : GPU_WORKGROUP, lanes);
  return { kind, workgroupSize, lanes, workgroups: Math.ceil(slices / (workgroupSize / lanes)) };
}

/** One slice per LANES invocations, all in one pass. */
export function fusedPlan(view: View, device: DeviceClass): FusedPlan {
  const slices = view.outer * view.inner;
  // Software adapters: one invocation per slice, unless the slices are too few to fill the
  // SIMD lanes (then the lanes share a slice: a few barriers beat idle lanes).
  const oneLane = view.inner > 1 || (device === 'cpu' && slices >= CPU_FEW_SLICES);
  const lanes = oneLane ? 1 : Math.min(MAX_LANES, nextPowerOfTwo(Math.ceil(view.n / ELEMENTS_PER_LANE)));
  return lanesPlan('fused', slices, lanes, device);
}

/**
 * The vec4 kernels of the backward ops: rows (inner = 1) of a length divisible by 4; on software
 * adapters a few long rows are cut into segments (one invocation each) to use every core.
 */
export function backwardRowsPlan(view: View, device: DeviceClass): RowsPlan | SplitPlan | null {
  if (view.inner !== 1 || view.n % 4 !== 0) return null;
  const n4 = view.n / 4;
  if (device === 'cpu') {
    if (view.outer < SPLIT_MAX_SLICES && n4 > 2 * CPU_SEGMENT) {
      return {
        kind: 'segments',
        workgroupSize: CPU_WORKGROUP,
        chunks: Math.ceil(n4 / CPU_SEGMENT),
        chunkLen: CPU_SEGMENT,
      };
    }
    return lanesPlan('rows', view.outer, 1, device);
  }
  return lanesPlan(
    'rows',
    view.outer,
    Math.min(MAX_LANES, nextPowerOfTwo(Math.ceil(n4 / VEC4_PER_LANE))),
    device,
  );
}

/**
 * `vectorRows`: the op and mask allow the vec4 kernels (softmax or log-softmax, no mask or a
 * dense one).
 */
export function forwardPlan(
  view: View,
  vectorRows: boolean,
  device: DeviceClass,
): FusedPlan | RowsPlan | SplitPlan {
  const slices = view.outer * view.inner;
  const vec4Rows = vectorRows && view.inner === 1 && view.n % 4 === 0;
  if (vec4Rows && device === 'cpu') {
    const n4 = view.n / 4;
    if (n4 <= 2 * CPU_SEGMENT) return lanesPlan('rows', slices, 1, device);
    return {
      kind: 'segments',
      workgroupSize: CPU_WORKGROUP,
      chunks: Math.ceil(n4 / (CPU_WORKGROUP * CPU_SEGMENT)) * CPU_WORKGROUP,
      chunkLen: CPU_SEGMENT,
    };
  }
  if (view.n >= SPLIT_MIN_N && slices < SPLIT_MAX_SLICES) {
    const chunks = Math.min(
      Math.ceil(view.n / SPLIT_CHUNK),
      Math.max(2, Math.ceil(SPLIT_TARGET_WORKGROUPS / slices)),
    );
    const chunkLen = Math.ceil(view.n / chunks);
    return { kind: 'split', workgroupSize: MAX_LANES, chunks: Math.ceil(view.n / chunkLen), chunkLen };
  }
  if (vec4Rows) {
    const lanes = Math.min(MAX_LANES, nextPowerOfTwo(Math.ceil(view.n / 4 / VEC4_PER_LANE)));
    return lanesPlan('rows', slices, lanes, device);
  }
  return fusedPlan(view, device);
}
