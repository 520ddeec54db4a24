/**
 * Whether an output array shares memory with an input, so that writing the result would
 * modify the input.
 *
 * Within one ArrayBuffer this is a comparison of byte ranges. Two different ArrayBuffer
 * objects never share memory. Two different SharedArrayBuffer objects may: a clone made by
 * structuredClone or postMessage, or each `WebAssembly.Memory#buffer` of a shared memory, is a
 * new object over the same memory. Such objects always share the whole block, from byte 0, so
 * byte k of one is byte k of the other. The check writes a probe byte into `out` (which is
 * about to be overwritten anyway) at the first byte where the two ranges would overlap, and
 * sees whether the input's byte at that offset changed; then it puts the byte back. Two
 * different probe values are used, so a coincidence cannot pass for aliasing.
 */

function isShared(buffer: ArrayBufferLike): boolean {
  // instanceof first: it is cheap and settles the common case (this is checked on every call).
  if (buffer instanceof ArrayBuffer) return false;
  return Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';
}

function rangesOverlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** True when writing byte k of `a` changes byte k of `b` (the buffers are one block of memory). */
function sameMemoryAt(a: ArrayBufferLike, b: ArrayBufferLike, k: number): boolean {
  const mine = new Uint8Array(a, k, 1);
  const theirs = new Uint8Array(b, k, 1);
  const saved = Atomics.load(mine, 0);
  let same = true;
  for (const step of [1, 2]) {
    const probe = (Atomics.load(theirs, 0) + step) & 0xff;
    Atomics.store(mine, 0, probe);
    same &&= Atomics.load(theirs, 0) === probe;
  }
  Atomics.store(mine, 0, saved);
  return same;
}

export function sharesMemory(out: ArrayBufferView, input: ArrayBufferView): boolean {
  // The buffers first: on every call the common answer is "different ArrayBuffers".
  const a = out.buffer;
  const b = input.buffer;
  if (a !== b && (!isShared(a) || !isShared(b))) return false;
  if (out.byteLength === 0 || input.byteLength === 0 || !rangesOverlap(out, input)) return false;
  return a === b || sameMemoryAt(a, b, Math.max(out.byteOffset, input.byteOffset));
}
