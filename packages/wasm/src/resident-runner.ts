/**
 * Runs a ResidentJob: the C export reads and writes resident arrays where they live (no copy).
 * Host arguments are copied as for host calls: masks, labels and weights whole, host data
 * arrays (an `x` or an `out` on the host) through a block of the heap, a block of outer groups
 * at a time. With workers, each block's slices are cut into ranges of outer groups that the
 * workers claim as they go (a slice's result does not depend on the cut, so every thread count
 * gives the same bits), and one long row or a few is split with merged (max, sum) partials, as
 * host calls are.
 */
import { accurateSum, type DeviceArray, type FloatArray, UnsupportedError } from '@softmax-kit/core';
import { ownArray } from './device-memory.js';
import { allocateOrThrow, HEAP_ALIGN, Heap } from './heap.js';
import { longRowScratchBytes, splitLongRows, splitsLongRows } from './long-rows.js';
import type { WorkerPool } from './pool.js';
import type { ResidentJob } from './stream-job.js';
import type { Exports, RunContext } from './stream-runner.js';
import { countIn, countOut } from './transfers.js';
import type { ArrayOwner, WasmArray } from './wasm-array.js';

type AnyArray = FloatArray | DeviceArray;

export interface ResidentContext extends RunContext {
  readonly owner: ArrayOwner;
}

/** Where an array sits for the export: its outer group o at base + (o - first) * groupBytes. */
interface Placement {
  base: number;
  first: number;
  readonly groupBytes: number;
}

/** A host float array copied through a block of the heap, a block of outer groups at a time. */
interface Streamed {
  readonly array: FloatArray;
  readonly placement: Placement;
  readonly output: boolean;
  /** elements per outer group */
  readonly groupElements: number;
}

interface Placed {
  readonly fullIn: Placement[];
  readonly fullOut: Placement[];
  readonly sampleIn: Placement[];
  readonly sampleOut: Placement[];
  readonly whole: number[];
  readonly mask: { readonly data: number; readonly outer: number; readonly inner: number } | null;
}

/** Elements a block of streamed host arrays aims at: on this thread, one core's cache (as host calls). */
const INLINE_BLOCK_ELEMENTS = 32 * 1024;
/** With workers, per worker: each block costs a round trip to them. */
const POOLED_BLOCK_ELEMENTS_PER_WORKER = 256 * 1024;

export class ResidentCall {
  private readonly resident: WasmArray[] = [];
  private readonly temps: number[] = [];
  private readonly streamed: Streamed[] = [];

  /** Takes hold of the call's resident arrays at once: disposing them early defers their release. */
  constructor(
    private readonly context: ResidentContext,
    readonly job: ResidentJob,
    private readonly lossTotal: AnyArray | undefined,
  ) {
    const hold = (array: AnyArray | undefined, argument: string) => {
      if (array === undefined || ArrayBuffer.isView(array)) return;
      const own = ownArray(context.owner, array, argument);
      own.begin();
      this.resident.push(own);
    };
    try {
      for (const a of job.fullIn) hold(a, 'x');
      for (const a of job.fullOut) hold(a, 'options.out');
      for (const a of job.sampleOut) hold(a, 'options.out');
      hold(lossTotal, 'loss');
    } catch (error) {
      this.finish();
      throw error;
    }
  }

  /** On the calling thread. */
  runInline(exports: Exports): void {
    try {
      const kernel = this.kernel(exports);
      const { placed, blocks } = this.place(INLINE_BLOCK_ELEMENTS);
      for (const [o0, o1] of blocks) {
        this.copyIn(o0, o1);
        kernel(...this.argsFor(placed, o0, o1));
        this.copyOut(o0, o1);
      }
      this.complete();
    } finally {
      this.finish();
    }
  }

  /** Across the workers. */
  async runPooled(
    pool: WorkerPool,
    exports: Exports,
    fnIndex: (name: string) => number,
    longRows: boolean,
  ): Promise<void> {
    try {
      this.kernel(exports);
      const { placed, blocks } = this.place(POOLED_BLOCK_ELEMENTS_PER_WORKER * pool.size);
      const fn = fnIndex(this.job.fn);
      const split = longRows && splitsLongRows(this.job, pool.size);
      const scratch = split ? this.temp(longRowScratchBytes(this.job), "the long rows' partials") : 0;
      pool.hold();
      try {
        for (const [b0, b1] of blocks) {
          this.copyIn(b0, b1);
          if (split) {
            const args = this.argsFor(placed, b0, b1);
            await splitLongRows(this.context.memory, pool, exports, fnIndex, this.job, args, scratch);
          } else {
            const jobs = pool
              .sharedRanges(b1 - b0)
              .map(([r0, r1]) => ({ fn, args: this.argsFor(placed, b0 + r0, b0 + r1) }));
            await pool.runShared(jobs);
          }
          this.copyOut(b0, b1);
        }
      } finally {
        pool.release();
      }
      this.complete();
    } finally {
      this.finish();
    }
  }

  private kernel(exports: Exports): (...args: number[]) => unknown {
    const kernel = exports[this.job.fn];
    if (typeof kernel !== 'function') {
      throw new UnsupportedError(
        `Backend '${this.context.backend}': this build has no kernel ${this.job.fn}`,
        this.context.backend,
      );
    }
    return kernel;
  }

  private temp(bytes: number, what: string): number {
    const address = allocateOrThrow(this.context.heap, bytes, what, 'x', this.context.backend);
    this.temps.push(address);
    return address;
  }

  private hostInts(array: Int32Array, what: string): number {
    const address = this.temp(array.byteLength, what);
    countIn(array.byteLength);
    this.context.memory.i32.set(array, address >>> 2);
    return address;
  }

  private hostFloats(array: FloatArray): number {
    const address = this.temp(array.byteLength, `${array.length} class weights`);
    countIn(array.byteLength);
    if (array instanceof Float64Array) this.context.memory.f64.set(array, address >>> 3);
    else this.context.memory.f32.set(array, address >>> 2);
    return address;
  }

  /**
   * Copies the whole host arguments in (mask, labels, weights), places resident arrays where
   * they live and gives the streamed host arrays one block of the heap for `blockElements`
   * elements' worth of outer groups (fewer when the memory is short), returning the blocks.
   */
  private place(blockElements: number): { placed: Placed; blocks: [number, number][] } {
    const { job } = this;
    const { outer, n, inner } = job.view;
    const eb = job.elementBytes;
    const mask = job.mask;
    let maskPlaced: Placed['mask'] = null;
    if (mask) {
      const data = this.temp(mask.data.byteLength, `a mask of ${mask.data.length} bytes`);
      countIn(mask.data.byteLength);
      this.context.memory.u8.set(mask.data, data);
      maskPlaced = {
        data,
        outer: this.hostInts(mask.outerOffsets, 'the mask offsets'),
        inner: this.hostInts(mask.innerOffsets, 'the mask offsets'),
      };
    }
    const pending: Streamed[] = [];
    const at = (array: AnyArray, groupElements: number, output: boolean): Placement => {
      if (!ArrayBuffer.isView(array)) {
        return { base: (array as WasmArray).address, first: 0, groupBytes: groupElements * eb };
      }
      const placement = { base: 0, first: 0, groupBytes: groupElements * eb };
      pending.push({ array, output, groupElements, placement });
      return placement;
    };
    const group = n * inner;
    const placed: Placed = {
      fullIn: job.fullIn.map((a) => at(a, group, false)),
      fullOut: job.fullOut.map((a) => at(a, group * job.outWidth, true)),
      sampleIn: job.sampleIn.map((a) => ({
        base: this.hostInts(a, `${a.length} labels`),
        first: 0,
        groupBytes: inner * 4,
      })),
      sampleOut: job.sampleOut.map((a) => at(a, inner, true)),
      whole: job.whole.map((a) => (a === null ? 0 : this.hostFloats(a))),
      mask: maskPlaced,
    };
    if (pending.length === 0) return { placed, blocks: [[0, outer]] };

    // Outer groups per block: about blockElements, fewer when the largest free range is smaller.
    const groupBytes = pending.reduce((sum, p) => sum + p.placement.groupBytes, 0);
    const regionBytes = (k: number) =>
      pending.reduce((sum, p) => sum + Heap.blockBytes(k * p.placement.groupBytes), 0);
    let k = Math.min(outer, Math.max(1, Math.floor(blockElements / group)));
    const room = this.context.heap.largestFree();
    if (regionBytes(k) > room) k = Math.max(1, Math.floor((room - HEAP_ALIGN * pending.length) / groupBytes));
    const region = this.temp(
      regionBytes(k),
      `copying host arrays ${k} group${k > 1 ? 's' : ''} of ${group} elements at a time`,
    );
    let offset = 0;
    for (const p of pending) {
      p.placement.base = region + offset;
      offset += Heap.blockBytes(k * p.placement.groupBytes);
      this.streamed.push(p);
    }
    const blocks: [number, number][] = [];
    for (let o0 = 0; o0 < outer; o0 += k) blocks.push([o0, Math.min(outer, o0 + k)]);
    return { placed, blocks };
  }

  /** The streamed host inputs' groups [o0, o1) into their block. */
  private copyIn(o0: number, o1: number): void {
    const { memory } = this.context;
    for (const s of this.streamed) {
      s.placement.first = o0;
      if (s.output) continue;
      const part = s.array.subarray(o0 * s.groupElements, o1 * s.groupElements);
      countIn(part.byteLength);
      if (part instanceof Float64Array) memory.f64.set(part, s.placement.base >>> 3);
      else memory.f32.set(part, s.placement.base >>> 2);
    }
  }

  /** The streamed host outputs' groups [o0, o1) out of their block. */
  private copyOut(o0: number, o1: number): void {
    const { memory } = this.context;
    const eb = this.job.elementBytes;
    for (const s of this.streamed) {
      if (!s.output) continue;
      const heap = eb === 8 ? memory.f64 : memory.f32;
      const at = s.placement.base / eb;
      const count = (o1 - o0) * s.groupElements;
      countOut(count * eb);
      s.array.set(heap.subarray(at, at + count), o0 * s.groupElements);
    }
  }

  /** The export's arguments for the outer groups [o0, o1), every inner position. */
  private argsFor(p: Placed, o0: number, o1: number): number[] {
    const { job } = this;
    const { n, inner } = job.view;
    const address = (a: Placement) => a.base + (o0 - a.first) * a.groupBytes;
    const args: number[] = [];
    for (const a of p.fullIn) args.push(address(a));
    for (const a of p.fullOut) args.push(address(a));
    for (const a of p.sampleIn) args.push(address(a));
    for (const a of p.sampleOut) args.push(address(a));
    for (const a of p.whole) args.push(a);
    args.push(o1 - o0, n, inner);
    const mask = job.mask;
    if (mask && p.mask) {
      // The outer offsets index the whole mask: only a range from group 0 may keep the dense shortcut.
      args.push(
        p.mask.data,
        p.mask.outer + o0 * 4,
        mask.nStride,
        p.mask.inner,
        mask.dense && o0 === 0 ? 1 : 0,
      );
    } else {
      args.push(0, 0, 0, 0, 0);
    }
    for (const s of job.scalars) args.push(s);
    return args;
  }

  /** The loss total, summed where it was asked for (after every block). */
  private complete(): void {
    if (this.lossTotal === undefined) return;
    const loss = this.job.sampleOut[0];
    const total = accurateSum(ArrayBuffer.isView(loss) ? loss : (loss as WasmArray).view());
    if (ArrayBuffer.isView(this.lossTotal)) this.lossTotal[0] = total;
    else (this.lossTotal as WasmArray).view()[0] = total;
  }

  /** Temporary blocks back to the heap; resident arrays let go. */
  private finish(): void {
    for (const address of this.temps.splice(0)) this.context.heap.release(address);
    for (const array of this.resident.splice(0)) array.end();
  }
}
