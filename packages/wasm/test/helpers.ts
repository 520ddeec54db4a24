/** Inputs and checks shared by the wasm package's own tests (the conformance suite has the rest). */
import { createSoftmax, type FloatArray, type Softmax, tensor } from '@softmax-kit/core';
import { afterAll, beforeAll } from 'vitest';
import { wasmBackend } from '../dist/index.js';

/**
 * One session per thread count, started before the file's tests and disposed after them;
 * inlineElements 0: with threads every call goes through the workers, however small.
 */
export function sessionsPerThreadCount(threads: readonly number[]): Map<number, Softmax> {
  const sessions = new Map<number, Softmax>();
  beforeAll(async () => {
    for (const t of threads)
      sessions.set(t, await createSoftmax(wasmBackend({ threads: t, inlineElements: 0 })));
  });
  afterAll(async () => {
    for (const sm of sessions.values()) await sm.dispose();
  });
  return sessions;
}

/** Deterministic uniform values in [-scale, scale) (a small LCG, so every run sees the same data). */
export function uniform(length: number, seed: number, scale = 8): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0 || 1;
  for (let k = 0; k < length; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = (s / 2 ** 32) * 2 * scale - scale;
  }
  return out;
}

export function input(shape: number[], seed: number, scale = 8) {
  const length = shape.reduce((a, b) => a * b, 1);
  return tensor(uniform(length, seed, scale), { shape });
}

/** Index of the first element whose bits differ, or -1 (NaN equals NaN). */
export function firstBitDifference(a: FloatArray, b: FloatArray): number {
  if (a.length !== b.length) return 0;
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k])) return k;
  }
  return -1;
}

/**
 * Largest |got - want| / max(absFloor, |want|): a relative error with an absolute floor, as the
 * conformance tolerances are written. Equal values (masked -Infinity included) count as 0.
 */
export function worstError(got: FloatArray, want: ArrayLike<number>, absFloor: number): number {
  let worst = 0;
  for (let k = 0; k < got.length; k++) {
    if (Object.is(got[k], want[k])) continue;
    const err = Math.abs(got[k] - want[k]) / Math.max(absFloor, Math.abs(want[k]));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
  }
  return worst;
}

/** A result's data as a typed array (this backend never returns device arrays). */
export function hostData(t: { readonly data: unknown }): FloatArray {
  if (t.data instanceof Float32Array || t.data instanceof Float64Array) return t.data;
  throw new Error('expected a Float32Array or Float64Array result');
}
