/** The linear-memory allocator on its own: first fit, alignment, coalescing, growth, the limit. */
import { describe, expect, it } from 'vitest';
import { HEAP_ALIGN, Heap } from '../dist/heap.js';
import { LinearMemory } from '../dist/linear-memory.js';

const PAGE = 65_536;

function heapOf(pages: number, maxPages: number, start = 1024) {
  const memory = new LinearMemory(
    new WebAssembly.Memory({ initial: pages, maximum: maxPages }),
    maxPages * PAGE,
  );
  return { memory, heap: new Heap(memory, start, maxPages * PAGE) };
}

describe('Heap', () => {
  it('hands out aligned, disjoint blocks, first fit, and reuses freed ones', () => {
    const { heap } = heapOf(1, 4);
    const a = heap.allocate(10)!;
    const b = heap.allocate(100)!;
    const c = heap.allocate(64)!;
    expect([a, b, c]).toEqual([1024, 1024 + 64, 1024 + 64 + 128]);
    for (const x of [a, b, c]) expect(x % HEAP_ALIGN).toBe(0);
    heap.release(b);
    expect(heap.allocate(60), 'the first hole that fits').toBe(b);
    expect(heap.allocate(65), 'too big for the hole left: above c').toBe(c + 64);
    expect(heap.liveBlocks).toBe(4);
  });

  it('coalesces a freed block with both neighbours, and top falls back', () => {
    const { heap } = heapOf(1, 4);
    const blocks = [0, 1, 2, 3].map(() => heap.allocate(64)!);
    expect(heap.top).toBe(blocks[3] + 64);
    heap.release(blocks[0]);
    heap.release(blocks[2]);
    heap.release(blocks[1]); // joins 0 and 2 into one hole of 192 bytes
    expect(heap.allocate(192)).toBe(blocks[0]);
    heap.release(blocks[0]);
    heap.release(blocks[3]);
    expect(heap.liveBytes).toBe(0);
    expect(heap.top).toBe(1024);
    expect(heap.largestFree()).toBe(4 * PAGE - 1024);
  });

  it('grows the memory for a block past its end, and keeps what was written', () => {
    const { heap, memory } = heapOf(1, 8);
    const a = heap.allocate(1000)!;
    memory.u8.fill(7, a, a + 1000);
    const b = heap.allocate(3 * PAGE)!;
    expect(memory.byteLength).toBeGreaterThanOrEqual(b + 3 * PAGE);
    expect(memory.u8.subarray(a, a + 1000).every((v) => v === 7)).toBe(true);
  });

  it('refuses a block beyond the limit, and releasing twice is a bug it reports', () => {
    const { heap } = heapOf(1, 2);
    expect(heap.allocate(2 * PAGE)).toBeUndefined();
    const a = heap.allocate(PAGE)!;
    heap.release(a);
    expect(() => heap.release(a)).toThrow(/no live block/);
  });
});
