/**
 * The allocator of linear memory above the fixed layout (stacks, control blocks): resident
 * arrays (uploads, results) and each call's transient blocks (streaming slots, copied masks,
 * labels, partials). First fit over a free list sorted by address, neighbours coalesced on
 * release, every block 64-byte aligned (a cache line; the kernels load 16 bytes at a time).
 * Only the main thread allocates; workers just compute on addresses they are given, so a
 * transient block can never overlap a live array. The memory grows when a block reaches past
 * its end, up to the declared maximum.
 */
import { UnsupportedError } from '@softmax-kit/core';
import type { LinearMemory } from './linear-memory.js';

/** Alignment and granule of every block. */
export const HEAP_ALIGN = 64;

const align = (bytes: number) => Math.ceil(bytes / HEAP_ALIGN) * HEAP_ALIGN;

interface Range {
  start: number;
  size: number;
}

export class Heap {
  /** free ranges, sorted by start, never adjacent (coalesced); the last one usually reaches `limit` */
  private readonly free: Range[];
  /** live blocks: start -> size */
  private readonly live = new Map<number, number>();
  private liveTotal = 0;

  constructor(
    private readonly memory: LinearMemory,
    /** first byte the heap may use (64-byte aligned) */
    readonly start: number,
    /** one past the last byte it may use: the memory's declared maximum */
    readonly limit: number,
  ) {
    this.free = limit > start ? [{ start, size: limit - start }] : [];
  }

  /** Bytes a request of `bytes` takes (aligned, at least one granule). */
  static blockBytes(bytes: number): number {
    return align(Math.max(1, bytes));
  }

  /**
   * The address of a new block of at least `bytes`, or undefined when no free range holds it
   * or the memory cannot grow that far.
   */
  allocate(bytes: number): number | undefined {
    const size = Heap.blockBytes(bytes);
    for (let k = 0; k < this.free.length; k++) {
      const range = this.free[k];
      if (range.size < size) continue;
      const address = range.start;
      if (!this.memory.ensure(address + size)) return undefined;
      range.start += size;
      range.size -= size;
      if (range.size === 0) this.free.splice(k, 1);
      this.live.set(address, size);
      this.liveTotal += size;
      return address;
    }
    return undefined;
  }

  /** Returns a block to the free list, merging it with free neighbours. */
  release(address: number): void {
    const size = this.live.get(address);
    if (size === undefined) throw new Error(`wasm heap: no live block at ${address}`);
    this.live.delete(address);
    this.liveTotal -= size;
    // The first free range after the block (binary search).
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].start < address) lo = mid + 1;
      else hi = mid;
    }
    const before = lo > 0 ? this.free[lo - 1] : undefined;
    const after = lo < this.free.length ? this.free[lo] : undefined;
    const joinsBefore = before !== undefined && before.start + before.size === address;
    const joinsAfter = after !== undefined && address + size === after.start;
    if (joinsBefore && joinsAfter) {
      before.size += size + after.size;
      this.free.splice(lo, 1);
    } else if (joinsBefore) {
      before.size += size;
    } else if (joinsAfter) {
      after.start = address;
      after.size += size;
    } else {
      this.free.splice(lo, 0, { start: address, size });
    }
  }

  /** The largest block allocate() could return now (ignoring a memory that fails to grow). */
  largestFree(): number {
    let largest = 0;
    for (const range of this.free) if (range.size > largest) largest = range.size;
    return largest;
  }

  /** Bytes held by live blocks. */
  get liveBytes(): number {
    return this.liveTotal;
  }

  /** Live blocks. */
  get liveBlocks(): number {
    return this.live.size;
  }

  /** One past the highest live block (`start` when none is live). */
  get top(): number {
    const last = this.free[this.free.length - 1];
    if (last !== undefined && last.start + last.size === this.limit) return last.start;
    return this.limit;
  }
}

/**
 * allocate(), or an UnsupportedError that names the argument and the sizes: what was asked
 * for, what live blocks hold, the largest free range and the declared maximum.
 */
export function allocateOrThrow(
  heap: Heap,
  bytes: number,
  what: string,
  argument: string,
  backend: string,
): number {
  const address = heap.allocate(bytes);
  if (address !== undefined) return address;
  throw new UnsupportedError(
    `Backend '${backend}': ${what} needs ${Heap.blockBytes(bytes)} bytes of WebAssembly memory, but ` +
      `${heap.liveBytes} bytes are in use (${heap.liveBlocks} resident arrays and call buffers) and the ` +
      `largest free range is ${heap.largestFree()} bytes (maximum ${heap.limit} bytes, option maxMemory). ` +
      'Dispose device arrays you no longer need, or raise maxMemory.',
    backend,
    argument,
  );
}
