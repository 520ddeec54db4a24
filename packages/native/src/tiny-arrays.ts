/**
 * Tiny arrays through the addon's stage, for synchronous calls. V8 keeps a typed array of up
 * to 64 bytes inside the JS heap, and an addon that asks for its data first moves it out (an
 * allocation, a copy, and later a sweep of the old one); reading any typed array argument
 * also costs Node-API calls. So such arrays are copied into the stage, three 64-byte slots the
 * addon allocated beside its params, and a staged method (no arguments) reads them there: a
 * copy of a few floats costs a few nanoseconds.
 */
import type { FloatArray } from './binding.js';

/** The size of a stage slot: V8's largest on-heap typed array (its typed_array_max_size_in_heap). */
export const ON_HEAP_BYTES = 64;

/** How many arrays one call may stage (backward: y or logp, dy, out). */
const SLOTS = 3;

/** Views of every length from 0 up on one slot (`subarray` per call costs more than the copy). */
function views<T extends FloatArray>(
  make: (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
  stage: Uint8Array,
  slot: number,
  perElement: number,
): T[] {
  const byteOffset = stage.byteOffset + slot * ON_HEAP_BYTES;
  return Array.from({ length: ON_HEAP_BYTES / perElement + 1 }, (_, length) =>
    make(stage.buffer as ArrayBuffer, byteOffset, length),
  );
}

export class TinyArrays {
  private readonly f32: Float32Array[][];
  private readonly f64: Float64Array[][];

  constructor(stage: Uint8Array) {
    if (stage.byteLength !== SLOTS * ON_HEAP_BYTES) {
      throw new Error(`the addon's stage holds ${stage.byteLength} bytes, not ${SLOTS * ON_HEAP_BYTES}`);
    }
    this.f32 = Array.from({ length: SLOTS }, (_, slot) =>
      views((b, o, n) => new Float32Array(b, o, n), stage, slot, 4),
    );
    this.f64 = Array.from({ length: SLOTS }, (_, slot) =>
      views((b, o, n) => new Float64Array(b, o, n), stage, slot, 8),
    );
  }

  /** Whether every array of a call is small enough to stage. */
  static fits(a: FloatArray, b: FloatArray, c?: FloatArray): boolean {
    return (
      a.byteLength <= ON_HEAP_BYTES &&
      b.byteLength <= ON_HEAP_BYTES &&
      (c === undefined || c.byteLength <= ON_HEAP_BYTES)
    );
  }

  /** Slot `slot` as an array like `a`, of its length. */
  private slot(a: FloatArray, slot: number): FloatArray {
    return a instanceof Float64Array ? this.f64[slot][a.length] : this.f32[slot][a.length];
  }

  /** Copies the input `a` into slot `slot`. */
  input(a: FloatArray, slot: number): void {
    this.slot(a, slot).set(a);
  }

  /** Copies the result in slot `slot` into `out`. */
  finish(out: FloatArray, slot: number): undefined {
    out.set(this.slot(out, slot));
    return undefined;
  }
}
