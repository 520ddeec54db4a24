/**
 * One long row (or a few) split across the workers. Forward ops: the workers fold ranges of the
 * row's fixed chunks into (max, sum) partials (claiming ranges as they go), the main thread
 * merges them in chunk order, and the workers write the output's ranges the same way. Backward
 * ops: the workers sum ranges of the row's fixed blocks, and each write job adds all of the
 * row's block sums in order before writing its range. The chunks and blocks are the kernels' own
 * (SKK_CHUNK_*, SKK_FLUSH), the same whatever the thread count, so the result is identical to
 * the unsplit kernel's.
 * Host calls copy the rows into a block first (runLongRows); resident arrays are split where
 * they live (splitLongRows).
 */

import { blockArgs, copyIn, copyOut } from './block-copy.js';
import { type ChunkPlan, slotLayout } from './chunk-plan.js';
import { allocateOrThrow } from './heap.js';
import type { LinearMemory } from './linear-memory.js';
import type { WorkerPool } from './pool.js';
import type { Chunk, ResidentJob, StreamJob } from './stream-job.js';
import { callDataBytes, type Exports, placeCallData, type RunContext } from './stream-runner.js';

/** Elements per chunk of a long row, as the kernels cut it (SKK_CHUNK_F32 / SKK_CHUNK_F64). */
const CHUNK = { 4: 16_384, 8: 8_192 } as const;
/** Rows shorter than this many chunks per worker are not worth splitting. */
const MIN_CHUNKS_PER_WORKER = 2;
/**
 * Rows shorter than this many chunks are never split (SKK_SPLIT_MIN_CHUNKS of the kernels'
 * header): the kernels may give them an algorithm whose rounding differs from the chunked one.
 */
const SPLIT_MIN_CHUNKS = 4;
/** Elements per block of a backward row's sum (SKK_FLUSH). */
const FLUSH = 1024;
const PARTIAL_BYTES = 16;
const MERGED_BYTES = 24;
const BLOCK_SUM_BYTES = 8;

/** A job over host arrays, or host and resident ones. */
type AnyJob = ResidentJob;

const OPS: Record<string, 'softmax' | 'log_softmax' | 'log_sum_exp'> = {
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  log_sum_exp: 'log_sum_exp',
};

/** The kernel's name without its prefix and dtype: softmax, softmax_backward... */
function opOf(job: AnyJob): string {
  return job.fn.replace(/^sk_/, '').replace(/_f(32|64)$/, '');
}

function forwardOp(job: AnyJob): 'softmax' | 'log_softmax' | 'log_sum_exp' | undefined {
  return OPS[opOf(job)];
}

function backwardOp(job: AnyJob): 'softmax_backward' | 'log_softmax_backward' | undefined {
  const name = opOf(job);
  return name === 'softmax_backward' || name === 'log_softmax_backward' ? name : undefined;
}

/**
 * Backward rows shorter than this are not split: the split's two rounds of jobs cost about what
 * it saves (Node, 2 threads against 1: 1 x 10^6 the same time, 2 x 10^6 1.44x faster).
 */
const MIN_BACKWARD_SPLIT = 1 << 20;

/** True when the job is a forward or backward op over fewer rows than workers, each long enough to split. */
export function splitsLongRows(job: AnyJob, workers: number): boolean {
  const { outer, n, inner } = job.view;
  if (inner !== 1 || outer >= workers) return false;
  if (backwardOp(job) !== undefined) return n >= MIN_BACKWARD_SPLIT;
  return (
    forwardOp(job) !== undefined &&
    n >= CHUNK[job.elementBytes] * Math.max(SPLIT_MIN_CHUNKS, MIN_CHUNKS_PER_WORKER * workers)
  );
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Bytes of the partials and merged pairs splitLongRows needs. */
export function longRowScratchBytes(job: AnyJob): number {
  const { outer, n } = job.view;
  if (backwardOp(job) !== undefined) return outer * Math.ceil(n / FLUSH) * BLOCK_SUM_BYTES;
  const chunks = Math.ceil(n / CHUNK[job.elementBytes]);
  return align(outer * chunks * PARTIAL_BYTES) + outer * MERGED_BYTES;
}

/** Host arrays: the rows are copied into one block, split, and the results copied out. */
export async function runLongRows(
  context: RunContext,
  pool: WorkerPool,
  exports: Exports,
  fnIndex: (name: string) => number,
  job: StreamJob,
): Promise<void> {
  const { memory, heap } = context;
  const { outer, n } = job.view;
  const whole: Chunk = { o0: 0, o1: outer, i0: 0, i1: 1 };
  const slot = slotLayout(job, outer * n, outer, outer);
  const plan: ChunkPlan = { chunks: [whole], slot };
  const bytes = callDataBytes(job) + slot.bytes + longRowScratchBytes(job) + 16;
  const region = allocateOrThrow(
    heap,
    bytes,
    `splitting ${outer} rows of ${n} elements`,
    'x',
    context.backend,
  );
  try {
    const { call, end } = placeCallData(memory, job, region);
    const slotBase = align(end);
    copyIn(memory, job, whole, plan.slot, slotBase);
    const args = blockArgs(job, whole, plan.slot, slotBase, call);
    await splitLongRows(memory, pool, exports, fnIndex, job, args, align(slotBase + slot.bytes));
    copyOut(memory, job, whole, plan.slot, slotBase);
  } finally {
    heap.release(region);
  }
}

/**
 * Splits the rows of a forward or backward job whose export arguments for these rows are `args`
 * (forward: [x, out, outer, n, inner, mask data, outer offsets, n stride, inner offsets, dense,
 * invT]; backward: [a, dy, out, outer, ...the same]: all the job's rows or a block of them),
 * with longRowScratchBytes(job) bytes of scratch at `scratch`.
 */
export async function splitLongRows(
  memory: LinearMemory,
  pool: WorkerPool,
  exports: Exports,
  fnIndex: (name: string) => number,
  job: AnyJob,
  args: readonly number[],
  scratch: number,
): Promise<void> {
  const backward = backwardOp(job);
  if (backward !== undefined) return splitBackwardRows(pool, fnIndex, job, backward, args, scratch);
  const op = forwardOp(job)!;
  const dt = job.elementBytes === 8 ? 'f64' : 'f32';
  const { n } = job.view;
  // The rows of this call: all of the job's, or a block of them (args[2] <= job.view.outer).
  const outer = args[2];
  const chunks = Math.ceil(n / CHUNK[job.elementBytes]);
  const partials = scratch;
  const merged = scratch + align(job.view.outer * chunks * PARTIAL_BYTES);
  const [x, out] = args;
  const view = [outer, n, 1];
  const maskArgs = args.slice(5, 10);
  const invT = job.scalars[0];
  // chunk ranges the workers claim as they go (runShared)
  const ranges = pool.sharedRanges(chunks);
  const partialsFn = fnIndex(`sk_row_partials_${dt}`);
  const finishFn = fnIndex(`sk_${op}_row_finish_${dt}`);

  pool.hold();
  try {
    for (let row = 0; row < outer; row++) {
      const partialsAt = partials + row * chunks * PARTIAL_BYTES;
      const mergedAt = merged + row * MERGED_BYTES;
      await pool.runShared(
        ranges.map(([c0, c1]) => ({
          fn: partialsFn,
          args: [x, ...view, ...maskArgs, invT, row, c0, c1, partialsAt + c0 * PARTIAL_BYTES],
        })),
      );
      exports[`sk_merge_partials_${dt}`](partialsAt, chunks, invT, mergedAt);
      const special = memory.i32[(mergedAt + 16) >>> 2] !== 0;
      if (special) {
        // NaN, +Infinity or nothing taking part: the ordinary kernel's exact path, on this row.
        exports[job.fn](...rowArgsFor(args, job, row, op));
      } else if (op === 'log_sum_exp') {
        exports[`sk_log_sum_exp_row_finish_${dt}`](x, out, ...view, ...maskArgs, invT, row, mergedAt);
      } else {
        await pool.runShared(
          ranges.map(([c0, c1]) => ({
            fn: finishFn,
            args: [x, out, ...view, ...maskArgs, invT, row, mergedAt, c0, c1],
          })),
        );
      }
    }
  } finally {
    pool.release();
  }
}

/** splitLongRows for softmaxBackward and logSoftmaxBackward: block sums, then the writes. */
async function splitBackwardRows(
  pool: WorkerPool,
  fnIndex: (name: string) => number,
  job: AnyJob,
  op: 'softmax_backward' | 'log_softmax_backward',
  args: readonly number[],
  scratch: number,
): Promise<void> {
  const dt = job.elementBytes === 8 ? 'f64' : 'f32';
  const { n } = job.view;
  const [a, dy, out, outer] = args;
  const blocks = Math.ceil(n / FLUSH);
  const view = [outer, n, 1];
  const maskArgs = args.slice(6, 11);
  const invT = job.scalars[0];
  const ranges = pool.sharedRanges(blocks);
  const sumsFn = fnIndex(`sk_${op}_row_sums_${dt}`);
  const finishFn = fnIndex(`sk_${op}_row_finish_${dt}`);
  pool.hold();
  try {
    for (let row = 0; row < outer; row++) {
      const sumsAt = scratch + row * blocks * BLOCK_SUM_BYTES;
      await pool.runShared(
        ranges.map(([b0, b1]) => ({
          fn: sumsFn,
          args: [a, dy, ...view, ...maskArgs, invT, row, b0, b1, sumsAt + b0 * BLOCK_SUM_BYTES],
        })),
      );
      await pool.runShared(
        ranges.map(([b0, b1]) => ({
          fn: finishFn,
          args: [a, dy, out, ...view, ...maskArgs, invT, row, sumsAt, blocks, b0, b1],
        })),
      );
    }
  } finally {
    pool.release();
  }
}

/**
 * The whole call's arguments moved to one row: x and out at the row's offset, one outer, the
 * mask's outer offsets from the row's entry (and no dense shortcut, which assumes row 0).
 */
function rowArgsFor(args: readonly number[], job: AnyJob, row: number, op: string): number[] {
  const eb = job.elementBytes;
  const n = job.view.n;
  const r = [...args];
  r[0] += row * n * eb;
  r[1] += op === 'log_sum_exp' ? row * eb : row * n * eb;
  r[2] = 1;
  if (job.mask) {
    r[6] += row * 4;
    r[9] = 0;
  }
  return r;
}
