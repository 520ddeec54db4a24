/**
 * Runs a ResidentJob: the C export reads and writes resident arrays where they live (no copy);
 * host arrays among the arguments (masks, labels, weights, a host `out`) are copied into
 * blocks of the heap for the call, and host outputs copied out after it. With workers, the
 * slices are cut into one range of outer groups per worker (each slice's result does not
 * depend on the cut, so every thread count gives the same bits), and one long row or a few is
 * split with merged (max, sum) partials, as host calls are.
 */
import { type DeviceArray, type FloatArray, UnsupportedError } from '@softmax-kit/core';
import { ownArray } from './device-memory.js';
import { allocateOrThrow } from './heap.js';
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

/** The export's addresses for the whole call. */
interface Placed {
  readonly fullIn: number[];
  readonly fullOut: number[];
  readonly sampleIn: number[];
  readonly sampleOut: number[];
  readonly whole: number[];
  readonly mask: { readonly data: number; readonly outer: number; readonly inner: number } | null;
}

/**
 * Neumaier summation in float64, the reduction core applies to the host loss, so that a loss
 * summed here equals the host path's.
 */
function accurateSum(values: FloatArray): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const total = sum + compensation;
  return Number.isFinite(total) ? total : sum;
}

export class ResidentCall {
  private readonly resident: WasmArray[] = [];
  private readonly temps: number[] = [];
  private readonly hostOuts: { readonly array: FloatArray; readonly address: number }[] = [];
  private placed: Placed | undefined;

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

  get elements(): number {
    const { outer, n, inner } = this.job.view;
    return outer * n * inner;
  }

  /** On the calling thread. */
  runInline(exports: Exports): void {
    try {
      const kernel = this.kernel(exports);
      const p = this.place();
      kernel(...this.argsFor(p, 0, this.job.view.outer));
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
      const p = this.place();
      const fn = fnIndex(this.job.fn);
      const { outer } = this.job.view;
      if (longRows && splitsLongRows(this.job, pool.size)) {
        const scratch = this.temp(longRowScratchBytes(this.job), 'the long rows partials');
        await splitLongRows(
          this.context.memory,
          pool,
          exports,
          fnIndex,
          this.job,
          this.argsFor(p, 0, outer),
          scratch,
        );
      } else {
        const parts = Math.min(pool.size, outer);
        const jobs = Array.from({ length: parts }, (_, w) => {
          const o0 = Math.floor((w * outer) / parts);
          const o1 = Math.floor(((w + 1) * outer) / parts);
          return { fn, args: this.argsFor(p, o0, o1) };
        });
        pool.hold();
        try {
          await pool.runEach(jobs);
        } finally {
          pool.release();
        }
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

  /** A host float array in a block of its own (copied in unless it is an output). */
  private hostFloats(array: FloatArray, output: boolean): number {
    const address = this.temp(array.byteLength, `a host array of ${array.length} elements`);
    const { memory } = this.context;
    if (output) {
      this.hostOuts.push({ array, address });
    } else {
      countIn(array.byteLength);
      if (array instanceof Float64Array) memory.f64.set(array, address >> 3);
      else memory.f32.set(array, address >> 2);
    }
    return address;
  }

  private hostInts(array: Int32Array, what: string): number {
    const address = this.temp(array.byteLength, what);
    countIn(array.byteLength);
    this.context.memory.i32.set(array, address >> 2);
    return address;
  }

  private place(): Placed {
    const { job } = this;
    const at = (array: AnyArray, output: boolean) =>
      ArrayBuffer.isView(array) ? this.hostFloats(array, output) : (array as WasmArray).address;
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
    this.placed = {
      fullIn: job.fullIn.map((a) => at(a, false)),
      fullOut: job.fullOut.map((a) => at(a, true)),
      sampleIn: job.sampleIn.map((a) => this.hostInts(a, `${a.length} labels`)),
      sampleOut: job.sampleOut.map((a) => at(a, true)),
      whole: job.whole.map((a) => (a === null ? 0 : this.hostFloats(a, false))),
      mask: maskPlaced,
    };
    return this.placed;
  }

  /** The export's arguments for the outer groups [o0, o1), every inner position. */
  private argsFor(p: Placed, o0: number, o1: number): number[] {
    const { job } = this;
    const { n, inner } = job.view;
    const eb = job.elementBytes;
    const full = o0 * n * inner * eb;
    const args: number[] = [];
    for (const a of p.fullIn) args.push(a + full);
    for (const a of p.fullOut) args.push(a + full * job.outWidth);
    for (const a of p.sampleIn) args.push(a + o0 * inner * 4);
    for (const a of p.sampleOut) args.push(a + o0 * inner * eb);
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

  /** Host outputs copied out; the loss total summed where it was asked for. */
  private complete(): void {
    const { memory } = this.context;
    const eb = this.job.elementBytes;
    for (const { array, address } of this.hostOuts) {
      countOut(array.byteLength);
      const heap = eb === 8 ? memory.f64 : memory.f32;
      const at = address / eb;
      array.set(heap.subarray(at, at + array.length));
    }
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
