/**
 * Tiny arrays through preallocated buffers, for synchronous calls. V8 keeps a typed array of
 * up to 64 bytes inside the JS heap, and an addon that asks for its data first moves it out
 * (an allocation, a copy, and later a sweep of the old one): for a 1x10 softmax with a fresh
 * result, about as long as the whole kernel. Such arrays are copied into (and results out of)
 * buffers that live off the heap for the backend's lifetime, which costs a few nanoseconds.
 */
import type { FloatArray } from './binding.js';

/** V8's largest on-heap typed array (its typed_array_max_size_in_heap). */
export const ON_HEAP_BYTES = 64;

/** How many arrays one call may stage (backward: y or logp, dy, out). */
const SLOTS = 3;

/** Views of every length from 0 up, on one off-heap buffer (`subarray` per call costs more than the copy). */
function views<T extends FloatArray>(
  make: (buffer: ArrayBuffer, length: number) => T,
  perElement: number,
): T[] {
  // new ArrayBuffer(n) always has an off-heap backing store
  const buffer = new ArrayBuffer(ON_HEAP_BYTES);
  return Array.from({ length: ON_HEAP_BYTES / perElement + 1 }, (_, length) => make(buffer, length));
}

export class TinyArrays {
  private readonly f32 = Array.from({ length: SLOTS }, () =>
    views((buffer, length) => new Float32Array(buffer, 0, length), 4),
  );
  private readonly f64 = Array.from({ length: SLOTS }, () =>
    views((buffer, length) => new Float64Array(buffer, 0, length), 8),
  );

  /** Whether every array of a call is small enough to stage. */
  static fits(a: FloatArray, b: FloatArray, c?: FloatArray): boolean {
    return (
      a.byteLength <= ON_HEAP_BYTES &&
      b.byteLength <= ON_HEAP_BYTES &&
      (c === undefined || c.byteLength <= ON_HEAP_BYTES)
    );
  }

  /** Slot `slot`'s buffer for an array like `a`, of its length (contents undefined). */
  private slot(a: FloatArray, slot: number): FloatArray {
    return a instanceof Float64Array ? this.f64[slot][a.length] : this.f32[slot][a.length];
  }

  /** A staged copy of the input `a`. */
  input(a: FloatArray, slot: number): FloatArray {
    const staged = this.slot(a, slot);
    staged.set(a);
    return staged;
  }

  /** Where a result for `out` is written before `finish` copies it there. */
  output(out: FloatArray, slot: number): FloatArray {
    return this.slot(out, slot);
  }

  finish(out: FloatArray, staged: FloatArray): undefined {
    out.set(staged);
    return undefined;
  }
}
