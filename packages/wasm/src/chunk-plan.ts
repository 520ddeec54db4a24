/**
 * Splits a StreamJob into blocks of whole slices that fit the memory budget: several outer
 * groups at once when they are small, a range of inner positions of one group when a group is
 * too big, and a clear error when a single slice cannot fit.
 */
import { type MaskView, UnsupportedError } from '@softmax-kit/core';
import type { Chunk, StreamJob } from './stream-job.js';

/** A block of some of one group's columns (gathered), rather than of whole groups. */
export function isColumnBlock(job: StreamJob, chunk: Chunk): boolean {
  return chunk.i1 - chunk.i0 !== job.view.inner;
}

/** The bytes of the mask a block reads: [lo, hi). A broadcast mask may span more than the block's elements. */
export function maskRange(mask: MaskView, n: number, chunk: Chunk): { lo: number; hi: number } {
  let minOuter = Number.POSITIVE_INFINITY;
  let maxOuter = Number.NEGATIVE_INFINITY;
  for (let o = chunk.o0; o < chunk.o1; o++) {
    const v = mask.outerOffsets[o];
    if (v < minOuter) minOuter = v;
    if (v > maxOuter) maxOuter = v;
  }
  let minInner = Number.POSITIVE_INFINITY;
  let maxInner = Number.NEGATIVE_INFINITY;
  for (let i = chunk.i0; i < chunk.i1; i++) {
    const v = mask.innerOffsets[i];
    if (v < minInner) minInner = v;
    if (v > maxInner) maxInner = v;
  }
  return { lo: minOuter + minInner, hi: maxOuter + (n - 1) * mask.nStride + maxInner + 1 };
}

/** Elements a block aims at on the calling thread: its inputs and outputs stay in a core's cache. */
const PREFERRED_BLOCK_ELEMENTS = 32 * 1024;
/**
 * With workers, larger blocks: each one costs the main thread a wake-up (tens of microseconds),
 * and the workers' caches only need to hold the block they run.
 */
const PREFERRED_POOLED_BLOCK_ELEMENTS = 128 * 1024;
/** Alignment of every array in a slot. */
export const ALIGN = 16;

const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

/** Where each array of a slot sits, relative to the slot's start. */
export interface SlotLayout {
  readonly fullIn: readonly number[];
  readonly fullOut: readonly number[];
  readonly sampleIn: readonly number[];
  readonly sampleOut: readonly number[];
  readonly mask: number;
  readonly maskOuter: number;
  /** inner offsets 0..w-1 of a column block's gathered mask */
  readonly maskInner: number;
  readonly bytes: number;
}

export interface ChunkPlan {
  readonly chunks: readonly Chunk[];
  readonly slot: SlotLayout;
}

/**
 * Bytes of a slot holding `elements` full elements, `samples` samples, `outers` outer offsets
 * and `maskBytes` bytes of mask (default: one per element, what a dense mask needs).
 */
export function slotLayout(
  job: StreamJob,
  elements: number,
  samples: number,
  outers: number,
  maskBytes = elements,
): SlotLayout {
  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at += align(bytes);
    return start;
  };
  const eb = job.elementBytes;
  const fullIn = job.fullIn.map(() => take(elements * eb));
  const fullOut = job.fullOut.map(() => take(elements * eb * job.outWidth));
  const sampleIn = job.sampleIn.map(() => take(samples * 4));
  const sampleOut = job.sampleOut.map(() => take(samples * eb));
  const mask = job.mask ? take(maskBytes) : 0;
  const maskOuter = job.mask ? take(outers * 4) : 0;
  const maskInner = job.mask && outers === 1 ? take(samples * 4) : 0;
  return { fullIn, fullOut, sampleIn, sampleOut, mask, maskOuter, maskInner, bytes: at };
}

/**
 * @param budget bytes available to each slot
 * @param lanes  how many blocks run at once (workers); blocks are made small enough that each gets work
 */
export function planChunks(job: StreamJob, budget: number, lanes: number, backend: string): ChunkPlan {
  const { outer, n, inner } = job.view;
  const group = n * inner;
  const fits = (elements: number, samples: number, outers: number) =>
    slotLayout(job, elements, samples, outers).bytes <= budget;

  if (fits(group, inner, 1)) {
    const preferred = lanes > 1 ? PREFERRED_POOLED_BLOCK_ELEMENTS : PREFERRED_BLOCK_ELEMENTS;
    let k = Math.max(1, Math.floor(preferred / group));
    if (lanes > 1) k = Math.min(k, Math.max(1, Math.ceil(outer / (2 * lanes))));
    k = Math.min(k, outer);
    while (k > 1 && !fits(k * group, k * inner, k)) k = Math.ceil(k / 2);
    const chunks: Chunk[] = [];
    for (let o0 = 0; o0 < outer; o0 += k) chunks.push({ o0, o1: Math.min(outer, o0 + k), i0: 0, i1: inner });
    const slot = slotLayout(job, k * group, k * inner, k, widestMask(job, chunks));
    if (slot.bytes > budget) throw tooBig(job, budget, backend);
    return { chunks, slot };
  }

  // One group is too big: take a range of inner positions of one group at a time.
  let w = inner;
  while (w > 1 && !fits(n * w, w, 1)) w = Math.floor(w / 2);
  if (!fits(n * w, w, 1)) throw tooBig(job, budget, backend);
  const chunks: Chunk[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += w) chunks.push({ o0: o, o1: o + 1, i0, i1: Math.min(inner, i0 + w) });
  }
  const slot = slotLayout(job, n * w, w, 1, widestMask(job, chunks));
  if (slot.bytes > budget) throw tooBig(job, budget, backend);
  return { chunks, slot };
}

/**
 * The most mask bytes any block needs (0 without a mask): a block of whole groups copies the
 * range it reads, a block of columns gathers its own n * w bytes.
 */
function widestMask(job: StreamJob, chunks: readonly Chunk[]): number {
  if (!job.mask) return 0;
  let widest = 0;
  for (const chunk of chunks) {
    if (isColumnBlock(job, chunk)) {
      widest = Math.max(widest, job.view.n * (chunk.i1 - chunk.i0));
      continue;
    }
    const { lo, hi } = maskRange(job.mask, job.view.n, chunk);
    if (hi - lo > widest) widest = hi - lo;
  }
  return widest;
}

function tooBig(job: StreamJob, budget: number, backend: string): UnsupportedError {
  const n = job.view.n;
  const need = slotLayout(job, n, 1, 1).bytes;
  return new UnsupportedError(
    `Backend '${backend}': one slice of ${n} elements needs ${need} bytes of WebAssembly memory, ` +
      `more than the ${budget} bytes this backend may use (option maxMemory); use a backend without ` +
      'the wasm32 limit (native, js) for slices this long.',
    backend,
    'x',
  );
}
