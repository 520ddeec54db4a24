/**
 * The module's linear memory as the JS side sees it. Only the main thread allocates (a bump
 * region per call above the fixed layout); workers never do. Views are re-created whenever the
 * buffer changed: growing a private memory detaches the old buffer, and old views of a shared
 * one keep their old length.
 */
import { PAGE_BYTES } from './layout.js';

export class LinearMemory {
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private f32View: Float32Array;
  private f64View: Float64Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    /** bytes the memory may grow to (its declared maximum) */
    readonly maxBytes: number,
  ) {
    this.buffer = memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows the memory so that [0, end) exists; false when the maximum forbids it. */
  ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      if (end > this.maxBytes) return false;
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      try {
        this.memory.grow(pages);
      } catch {
        return false;
      }
    }
    this.refresh();
    return true;
  }

  private refresh(): void {
    const current = this.memory.buffer;
    if (current === this.buffer && this.u8View.byteLength === current.byteLength) return;
    this.buffer = current;
    this.f32View = new Float32Array(current);
    this.f64View = new Float64Array(current);
    this.i32View = new Int32Array(current);
    this.u8View = new Uint8Array(current);
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  get f64(): Float64Array {
    this.refresh();
    return this.f64View;
  }

  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }
}
