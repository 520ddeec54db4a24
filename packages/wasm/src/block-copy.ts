/**
 * Moves one block of a StreamJob between the caller's arrays and a slot of linear memory, and
 * builds the export's argument list for it.
 */
import type { FloatArray } from '@softmax-kit/core';
import { isColumnBlock, maskRange, type SlotLayout } from './chunk-plan.js';
import type { LinearMemory } from './linear-memory.js';
import type { Chunk, StreamJob } from './stream-job.js';
import { countIn, countOut } from './transfers.js';

/** Per-call addresses that do not change from block to block. */
export interface CallLayout {
  /** the mask's inner offsets (whole), 0 when there is no mask */
  readonly innerOffsets: number;
  /** the `whole` arrays, 0 for a null one */
  readonly whole: readonly number[];
}

function floats(memory: LinearMemory, job: StreamJob): FloatArray {
  return job.elementBytes === 4 ? memory.f32 : memory.f64;
}

/** Copies the block's inputs into the slot at `base`. */
export function copyIn(
  memory: LinearMemory,
  job: StreamJob,
  chunk: Chunk,
  slot: SlotLayout,
  base: number,
): void {
  const { n, inner } = job.view;
  const shift = job.elementBytes === 4 ? 2 : 3;
  const heap = floats(memory, job);
  const full = chunk.i1 - chunk.i0 === inner;
  if (full) {
    const from = chunk.o0 * n * inner;
    const to = chunk.o1 * n * inner;
    job.fullIn.forEach((array, k) => {
      heap.set(array.subarray(from, to), (base + slot.fullIn[k]) >>> shift);
    });
  } else {
    const w = chunk.i1 - chunk.i0;
    job.fullIn.forEach((array, k) => {
      const at = (base + slot.fullIn[k]) >>> shift;
      for (let j = 0; j < n; j++) {
        const src = (chunk.o0 * n + j) * inner + chunk.i0;
        heap.set(array.subarray(src, src + w), at + j * w);
      }
    });
  }
  const elements = (chunk.o1 - chunk.o0) * n * (chunk.i1 - chunk.i0);
  countIn(job.fullIn.length * elements * job.elementBytes);
  const s0 = chunk.o0 * inner + chunk.i0;
  const s1 = (chunk.o1 - 1) * inner + chunk.i1;
  if (job.sampleIn.length > 0) {
    countIn(job.sampleIn.length * (s1 - s0) * 4);
    const i32 = memory.i32;
    job.sampleIn.forEach((array, k) => {
      i32.set(array.subarray(s0, s1), (base + slot.sampleIn[k]) >>> 2);
    });
  }
  if (job.mask) copyMaskIn(memory, job, chunk, slot, base);
}

/**
 * Copies the part of the mask the block reads, [lo, hi), and writes the block's outer offsets
 * relative to lo (the inner offsets stay the call's whole array).
 */
function copyMaskIn(
  memory: LinearMemory,
  job: StreamJob,
  chunk: Chunk,
  slot: SlotLayout,
  base: number,
): void {
  const mask = job.mask!;
  if (isColumnBlock(job, chunk)) {
    gatherMaskColumns(memory, job, chunk, slot, base);
    return;
  }
  const { lo, hi } = maskRange(mask, job.view.n, chunk);
  countIn(hi - lo);
  const u8 = memory.u8;
  u8.set(mask.data.subarray(lo, hi), base + slot.mask);
  const i32 = memory.i32;
  const at = (base + slot.maskOuter) >>> 2;
  for (let o = chunk.o0; o < chunk.o1; o++) i32[at + o - chunk.o0] = mask.outerOffsets[o] - lo;
}

/**
 * A block of columns [i0, i1) of group o: its mask bytes packed as [n, w], read back by the
 * kernel with outer offset 0, n stride w and inner offsets 0..w-1 (dense).
 */
function gatherMaskColumns(
  memory: LinearMemory,
  job: StreamJob,
  chunk: Chunk,
  slot: SlotLayout,
  base: number,
) {
  const mask = job.mask!;
  const { n } = job.view;
  const w = chunk.i1 - chunk.i0;
  const u8 = memory.u8;
  const at = base + slot.mask;
  countIn(n * w);
  const start = mask.outerOffsets[chunk.o0];
  for (let j = 0; j < n; j++) {
    const row = start + j * mask.nStride;
    for (let i = 0; i < w; i++) u8[at + j * w + i] = mask.data[row + mask.innerOffsets[chunk.i0 + i]];
  }
  const i32 = memory.i32;
  i32[(base + slot.maskOuter) >>> 2] = 0;
  const inner = (base + slot.maskInner) >>> 2;
  for (let i = 0; i < w; i++) i32[inner + i] = i;
}

/** Copies the block's outputs from the slot at `base` into the caller's arrays. */
export function copyOut(
  memory: LinearMemory,
  job: StreamJob,
  chunk: Chunk,
  slot: SlotLayout,
  base: number,
): void {
  const { n, inner } = job.view;
  const shift = job.elementBytes === 4 ? 2 : 3;
  const heap = floats(memory, job);
  const full = chunk.i1 - chunk.i0 === inner;
  const width = job.outWidth;
  if (full) {
    const from = chunk.o0 * n * inner * width;
    const count = (chunk.o1 - chunk.o0) * n * inner * width;
    job.fullOut.forEach((array, k) => {
      const at = (base + slot.fullOut[k]) >>> shift;
      array.set(heap.subarray(at, at + count), from);
    });
  } else {
    const w = (chunk.i1 - chunk.i0) * width;
    job.fullOut.forEach((array, k) => {
      const at = (base + slot.fullOut[k]) >>> shift;
      for (let j = 0; j < n; j++) {
        array.set(
          heap.subarray(at + j * w, at + (j + 1) * w),
          ((chunk.o0 * n + j) * inner + chunk.i0) * width,
        );
      }
    });
  }
  countOut(job.fullOut.length * (chunk.o1 - chunk.o0) * n * (chunk.i1 - chunk.i0) * width * job.elementBytes);
  const s0 = chunk.o0 * inner + chunk.i0;
  const count = (chunk.o1 - 1) * inner + chunk.i1 - s0;
  if (job.sampleOut.length > 0) countOut(job.sampleOut.length * count * job.elementBytes);
  job.sampleOut.forEach((array, k) => {
    const at = (base + slot.sampleOut[k]) >>> shift;
    array.set(heap.subarray(at, at + count), s0);
  });
}

/** The export's arguments for the block in the slot at `base`. */
export function blockArgs(
  job: StreamJob,
  chunk: Chunk,
  slot: SlotLayout,
  base: number,
  call: CallLayout,
): number[] {
  const { n, inner } = job.view;
  const w = chunk.i1 - chunk.i0;
  const full = w === inner;
  const args: number[] = [];
  for (const at of slot.fullIn) args.push(base + at);
  for (const at of slot.fullOut) args.push(base + at);
  for (const at of slot.sampleIn) args.push(base + at);
  for (const at of slot.sampleOut) args.push(base + at);
  for (const at of call.whole) args.push(at);
  args.push(chunk.o1 - chunk.o0, n, w);
  const mask = job.mask;
  if (mask && !full) {
    args.push(base + slot.mask, base + slot.maskOuter, w, base + slot.maskInner, 1);
  } else if (mask) {
    args.push(base + slot.mask, base + slot.maskOuter, mask.nStride, call.innerOffsets, mask.dense ? 1 : 0);
  } else {
    args.push(0, 0, 0, 0, 0);
  }
  for (const s of job.scalars) args.push(s);
  return args;
}
