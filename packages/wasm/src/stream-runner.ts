/**
 * Runs a StreamJob block by block: on the calling thread (one slot: copy in, run, copy out), or
 * across the worker pool (two slots per worker: each worker has its next block queued behind the
 * one it runs, so it never waits for the main thread to wake, while the main thread copies
 * finished blocks out and new ones in). The slots are one block of the heap, taken for the
 * call and given back after it, so they never overlap resident arrays.
 */

import { blockArgs, type CallLayout, copyIn, copyOut } from './block-copy.js';
import { ALIGN, type ChunkPlan, planChunks } from './chunk-plan.js';
import { allocateOrThrow, type Heap } from './heap.js';
import type { LinearMemory } from './linear-memory.js';
import type { WorkerPool } from './pool.js';
import type { Chunk, ResidentJob, StreamJob } from './stream-job.js';
import { countIn } from './transfers.js';

const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

export type Exports = Record<string, (...args: number[]) => unknown>;

/** Copies the mask's inner offsets and the whole arrays in at `base`; returns their addresses and the end. */
export function placeCallData(
  memory: LinearMemory,
  job: StreamJob,
  base: number,
): { call: CallLayout; end: number } {
  let at = base;
  const innerOffsets = job.mask ? at : 0;
  if (job.mask) at = align(at + job.view.inner * 4);
  const whole = job.whole.map((array) => {
    if (!array) return 0;
    const start = at;
    at = align(at + array.byteLength);
    return start;
  });
  if (!memory.ensure(at)) return { call: { innerOffsets, whole }, end: Number.POSITIVE_INFINITY };
  if (job.mask) {
    memory.i32.set(job.mask.innerOffsets, innerOffsets >>> 2);
    countIn(job.mask.innerOffsets.byteLength);
  }
  job.whole.forEach((array, k) => {
    if (!array) return;
    countIn(array.byteLength);
    if (job.elementBytes === 4) memory.f32.set(array, whole[k] >>> 2);
    else memory.f64.set(array, whole[k] >>> 3);
  });
  return { call: { innerOffsets, whole }, end: at };
}

/** Bytes of the call data before any slot (mask inner offsets, whole arrays). */
export function callDataBytes(job: ResidentJob): number {
  let bytes = job.mask ? align(job.view.inner * 4) : 0;
  for (const array of job.whole) if (array) bytes += align(array.byteLength) + ALIGN;
  return bytes + ALIGN;
}

/** Blocks sized to what the heap's largest free range can give each of `slots` slots. */
function plan(job: StreamJob, heap: Heap, slots: number, backend: string): ChunkPlan {
  const budget = Math.floor((heap.largestFree() - callDataBytes(job) - ALIGN) / slots) - ALIGN;
  return planChunks(job, Math.max(0, budget), slots > 1 ? slots / 2 : 1, backend);
}

export interface RunContext {
  readonly memory: LinearMemory;
  /** where calls take their blocks */
  readonly heap: Heap;
  readonly backend: string;
}

/** One heap block for the call's data and `slots` slots of `slotBytes`. */
function callRegion(context: RunContext, job: StreamJob, slots: number, slotBytes: number): number {
  const bytes = callDataBytes(job) + ALIGN + slots * align(slotBytes);
  return allocateOrThrow(
    context.heap,
    bytes,
    'streaming the call through linear memory',
    'x',
    context.backend,
  );
}

/** On the calling thread, with the main instance's exports. */
export function runInline(context: RunContext, exports: Exports, job: StreamJob): void {
  const { memory } = context;
  const chunkPlan = plan(job, context.heap, 1, context.backend);
  const region = callRegion(context, job, 1, chunkPlan.slot.bytes);
  try {
    const { call, end } = placeCallData(memory, job, region);
    const slotBase = align(end);
    const kernel = exports[job.fn];
    for (const chunk of chunkPlan.chunks) {
      copyIn(memory, job, chunk, chunkPlan.slot, slotBase);
      kernel(...blockArgs(job, chunk, chunkPlan.slot, slotBase, call));
      copyOut(memory, job, chunk, chunkPlan.slot, slotBase);
    }
  } finally {
    context.heap.release(region);
  }
}

/** Across the pool's workers. */
export async function runPooled(
  context: RunContext,
  pool: WorkerPool,
  fnIndex: (name: string) => number,
  job: StreamJob,
): Promise<void> {
  const workers = pool.size;
  const chunkPlan = plan(job, context.heap, 2 * workers, context.backend);
  const region = callRegion(context, job, 2 * workers, chunkPlan.slot.bytes);
  try {
    await runPooledIn(context, pool, fnIndex, job, chunkPlan, region);
  } finally {
    context.heap.release(region);
  }
}

async function runPooledIn(
  context: RunContext,
  pool: WorkerPool,
  fnIndex: (name: string) => number,
  job: StreamJob,
  chunkPlan: ChunkPlan,
  region: number,
): Promise<void> {
  const { memory } = context;
  const workers = pool.size;
  const { call, end } = placeCallData(memory, job, region);
  const slotBytes = align(chunkPlan.slot.bytes);
  const firstSlot = align(end);
  const slotBase = (w: number, s: number) => firstSlot + (2 * w + s) * slotBytes;
  const fn = fnIndex(job.fn);
  const chunks = chunkPlan.chunks;
  let next = 0;

  /** per worker: its blocks posted and not yet copied out, oldest first (one per slot) */
  const posted: { readonly chunk: Chunk; readonly slot: number; readonly seq: number }[][] = Array.from(
    { length: workers },
    () => [],
  );
  /** Copies the next block, if any is left, into worker w's slot s and posts it. */
  const feed = (w: number, s: number): void => {
    if (next >= chunks.length) return;
    const chunk = chunks[next++];
    copyIn(memory, job, chunk, chunkPlan.slot, slotBase(w, s));
    const seq = pool.dispatch(w, fn, blockArgs(job, chunk, chunkPlan.slot, slotBase(w, s), call));
    posted[w].push({ chunk, slot: s, seq });
  };

  pool.hold();
  try {
    // every worker starts on its first block, then gets its second queued behind it
    for (let w = 0; w < workers; w++) feed(w, 0);
    for (let w = 0; w < workers; w++) feed(w, 1);
    for (;;) {
      const bell = pool.bellValue();
      let active = false;
      for (let w = 0; w < workers; w++) {
        const queue = posted[w];
        // finished blocks, oldest first: copy out, refill the slot (the worker is already on the other)
        while (queue.length > 0 && pool.finished(w, queue[0].seq)) {
          const [done] = queue.splice(0, 1);
          copyOut(memory, job, done.chunk, chunkPlan.slot, slotBase(w, done.slot));
          feed(w, done.slot);
        }
        if (queue.length > 0) active = true;
      }
      if (!active) break;
      await pool.waitBell(bell);
    }
  } finally {
    pool.release();
  }
}
