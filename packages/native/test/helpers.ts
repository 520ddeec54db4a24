import { seededRandom } from '@softmax-kit/core/conformance';

/** float32 values uniform in +-scale from a seeded generator, so runs repeat. */
export function randomF32(length: number, seed: number, scale = 6): Float32Array {
  const next = seededRandom(seed);
  const a = new Float32Array(length);
  for (let k = 0; k < length; k++) a[k] = (next() * 2 - 1) * scale;
  return a;
}

export function randomF64(length: number, seed: number, scale = 6): Float64Array {
  const next = seededRandom(seed);
  const a = new Float64Array(length);
  for (let k = 0; k < length; k++) a[k] = (next() * 2 - 1) * scale;
  return a;
}

export function randomMask(length: number, seed: number, keep = 0.8): Uint8Array {
  const next = seededRandom(seed);
  const m = new Uint8Array(length);
  for (let k = 0; k < length; k++) m[k] = next() < keep ? 1 : 0;
  return m;
}

/** True when both arrays hold the same bits (NaN payloads included). */
export function sameBits(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  if (a.length !== b.length || a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}
