/**
 * One long row (or a few) split across the workers: each worker folds its range of the row's
 * fixed chunks into (max, sum) partials, the main thread merges them in chunk order, and the
 * workers write their ranges of the output. The chunks are the kernels' own (SKK_CHUNK_*), the
 * same whatever the thread count, so the result is identical to the unsplit kernel's.
 */

import { blockArgs, copyIn, copyOut } from './block-copy.js';
import { type ChunkPlan, slotLayout } from './chunk-plan.js';
import type { WorkerPool } from './pool.js';
import type { Chunk, StreamJob } from './stream-job.js';
import { type Exports, placeCallData, type RunContext } from './stream-runner.js';

/** Elements per chunk of a long row, as the kernels cut it (SKK_CHUNK_F32 / SKK_CHUNK_F64). */
const CHUNK = { 4: 16_384, 8: 8_192 } as const;
/** Rows shorter than this many chunks per worker are not worth splitting. */
const MIN_CHUNKS_PER_WORKER = 2;
const PARTIAL_BYTES = 16;
const MERGED_BYTES = 24;

const OPS: Record<string, 'softmax' | 'log_softmax' | 'log_sum_exp'> = {
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  log_sum_exp: 'log_sum_exp',
};

function forwardOp(job: StreamJob): 'softmax' | 'log_softmax' | 'log_sum_exp' | undefined {
  const name = job.fn.replace(/^sk_/, '').replace(/_f(32|64)$/, '');
  return OPS[name];
}

/** True when the job is a forward op over fewer rows than workers, each long enough to split. */
export function splitsLongRows(job: StreamJob, workers: number): boolean {
  const { outer, n, inner } = job.view;
  return (
    forwardOp(job) !== undefined &&
    inner === 1 &&
    outer < workers &&
    n >= CHUNK[job.elementBytes] * MIN_CHUNKS_PER_WORKER * workers
  );
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

export async function runLongRows(
  context: RunContext,
  pool: WorkerPool,
  exports: Exports,
  fnIndex: (name: string) => number,
  job: StreamJob,
): Promise<void> {
  const { memory, base } = context;
  const op = forwardOp(job)!;
  const dt = job.elementBytes === 8 ? 'f64' : 'f32';
  const { outer, n } = job.view;
  const chunkSize = CHUNK[job.elementBytes];
  const chunks = Math.ceil(n / chunkSize);
  const whole: Chunk = { o0: 0, o1: outer, i0: 0, i1: 1 };
  const slot = slotLayout(job, outer * n, outer, outer);
  const plan: ChunkPlan = { chunks: [whole], slot };

  const { call, end } = placeCallData(memory, job, base);
  const slotBase = align(end);
  const partials = align(slotBase + slot.bytes);
  const merged = align(partials + outer * chunks * PARTIAL_BYTES);
  const top = merged + outer * MERGED_BYTES;
  if (!memory.ensure(top)) {
    throw new RangeError(
      `Backend '${context.backend}': ${top} bytes of WebAssembly memory are needed, more than its maximum ${memory.maxBytes} (option maxMemory).`,
    );
  }
  copyIn(memory, job, whole, plan.slot, slotBase);
  // [x, out, outer, n, inner, mask data, outer offsets, n stride, inner offsets, dense, invT]
  const args = blockArgs(job, whole, plan.slot, slotBase, call);
  const [x, out] = args;
  const view = [outer, n, 1];
  const maskArgs = args.slice(5, 10);
  const invT = job.scalars[0];
  const workers = pool.size;
  const ranges = Array.from({ length: workers }, (_, w) => [
    Math.floor((w * chunks) / workers),
    Math.floor(((w + 1) * chunks) / workers),
  ]);

  pool.hold();
  try {
    for (let row = 0; row < outer; row++) {
      const partialsAt = partials + row * chunks * PARTIAL_BYTES;
      const mergedAt = merged + row * MERGED_BYTES;
      await pool.runEach(
        ranges.map(([c0, c1]) => ({
          fn: fnIndex(`sk_row_partials_${dt}`),
          args: [x, ...view, ...maskArgs, invT, row, c0, c1, partialsAt + c0 * PARTIAL_BYTES],
        })),
      );
      exports[`sk_merge_partials_${dt}`](partialsAt, chunks, invT, mergedAt);
      const special = memory.i32[(mergedAt + 16) >> 2] !== 0;
      if (special) {
        // NaN, +Infinity or nothing taking part: the ordinary kernel's exact path, on this row.
        exports[job.fn](...rowArgsFor(args, job, row, op));
      } else if (op === 'log_sum_exp') {
        exports[`sk_log_sum_exp_row_finish_${dt}`](x, out, ...view, ...maskArgs, invT, row, mergedAt);
      } else {
        await pool.runEach(
          ranges.map(([c0, c1]) => ({
            fn: fnIndex(`sk_${op}_row_finish_${dt}`),
            args: [x, out, ...view, ...maskArgs, invT, row, mergedAt, c0, c1],
          })),
        );
      }
    }
  } finally {
    pool.release();
  }
  copyOut(memory, job, whole, plan.slot, slotBase);
}

/**
 * The whole block's arguments moved to one row: x and out at the row's offset, one outer, the
 * mask's outer offsets from the row's entry (and no dense shortcut, which assumes row 0).
 */
function rowArgsFor(args: readonly number[], job: StreamJob, row: number, op: string): number[] {
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
