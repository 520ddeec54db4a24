/**
 * The wasm backend's device arrays: a block of its linear memory (like a TensorFlow.js tensor
 * in the wasm heap). Every one is owned by the session that allocated it (an upload or a
 * result): `dispose()`, or the session's dispose, gives its block back. A block that a running
 * call still reads or writes is given back when that call ends, so disposing early never lets
 * a new array overwrite data a worker is using.
 */
import { type DeviceArray, type DType, type FloatArray, ValueError } from '@softmax-kit/core';
import type { Heap } from './heap.js';
import type { LinearMemory } from './linear-memory.js';
import { countOut } from './transfers.js';

/** The session an array belongs to. */
export interface ArrayOwner {
  readonly memory: LinearMemory;
  readonly heap: Heap;
  readonly disposed: boolean;
  /** Settles when every call issued so far has finished (their results are in memory). */
  settled(): Promise<void>;
}

export class WasmArray implements DeviceArray {
  readonly location = 'device';
  readonly backend = 'wasm';
  private released = false;
  private freed = false;
  /** calls running (or queued) that use this array */
  private users = 0;

  constructor(
    readonly owner: ArrayOwner,
    /** byte address in linear memory */
    readonly address: number,
    readonly dtype: DType,
    readonly length: number,
  ) {}

  get elementBytes(): 4 | 8 {
    return this.dtype === 'float64' ? 8 : 4;
  }

  get byteLength(): number {
    return this.length * this.elementBytes;
  }

  /** True once dispose() was called or its session was disposed. */
  get disposed(): boolean {
    return this.released || this.owner.disposed;
  }

  /** The array's elements as a view of linear memory (valid until the memory next grows). */
  view(): FloatArray {
    const { memory } = this.owner;
    if (this.dtype === 'float64')
      return memory.f64.subarray(this.address >>> 3, (this.address >>> 3) + this.length);
    return memory.f32.subarray(this.address >>> 2, (this.address >>> 2) + this.length);
  }

  async download(): Promise<FloatArray> {
    // Calls issued before (that may write this array) finish first.
    await this.owner.settled();
    if (this.disposed) {
      throw new ValueError('this wasm device array was disposed; it can no longer be read', 'tensor');
    }
    countOut(this.byteLength);
    return this.view().slice();
  }

  /** A call starts using the array: its block stays allocated until end(). */
  begin(): void {
    this.users++;
  }

  end(): void {
    this.users--;
    this.freeIfUnused();
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.freeIfUnused();
  }

  private freeIfUnused(): void {
    if (this.released && this.users === 0 && !this.freed && !this.owner.disposed) {
      this.freed = true;
      this.owner.heap.release(this.address);
    }
  }
}
