/**
 * Tiny arrays through the addon's stage, for synchronous calls. V8 keeps a typed array of up
 * to 64 bytes inside the JS heap, and an addon that asks for its data first moves it out (an
 * allocation, a copy, and later a sweep of the old one); reading any typed array argument
 * also costs Node-API calls. So such arrays are copied into the stage, five 64-byte slots the
 * addon allocated beside its params, and a staged method (no arguments) reads them there: a
 * copy of a few floats costs a few nanoseconds.
 */
import type { FloatArray } from './binding.js';

/** What a stage slot holds: floats, or cross-entropy's int32 labels. */
type StageArray = FloatArray | Int32Array;

/** The size of a stage slot: V8's largest on-heap typed array (its typed_array_max_size_in_heap). */
export const ON_HEAP_BYTES = 64;

/** How many arrays one call may stage (cross-entropy: logits, target, weights, loss, grad). */
const SLOTS = 5;

/** Views of every length from 0 up on one slot (`subarray` per call costs more than the copy). */
function views<T extends StageArray>(
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

const small = (a: StageArray | null) => a === null || a.byteLength <= ON_HEAP_BYTES;

export class TinyArrays {
  private readonly f32: Float32Array[][];
  private readonly f64: Float64Array[][];
  private readonly i32: Int32Array[][];

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
    this.i32 = Array.from({ length: SLOTS }, (_, slot) =>
      views((b, o, n) => new Int32Array(b, o, n), stage, slot, 4),
    );
  }

  /** Whether every array of a call (null: one it does not have) is small enough to stage. */
  static fits(
    a: StageArray,
    b: StageArray,
    c: StageArray | null = null,
    d: StageArray | null = null,
    e: StageArray | null = null,
  ): boolean {
    // fixed arguments, not a rest array: this runs on every tiny call
    return small(a) && small(b) && small(c) && small(d) && small(e);
  }

  /** Slot `slot` as an array like `a`, of its length. */
  private slot(a: StageArray, slot: number): StageArray {
    if (a instanceof Float64Array) return this.f64[slot][a.length];
    return a instanceof Int32Array ? this.i32[slot][a.length] : this.f32[slot][a.length];
  }

  /** Copies the input `a` into slot `slot`. */
  input(a: StageArray, slot: number): void {
    this.slot(a, slot).set(a);
  }

  /** Copies the result in slot `slot` into `out`. */
  finish(out: FloatArray, slot: number): undefined {
    out.set(this.slot(out, slot));
    return undefined;
  }
}
