import type { FloatArray, MaskView, View } from '@softmax-kit/core';
import { seededRandom } from '@softmax-kit/core/conformance';
import type { Dims, Takes } from './reference.js';

export type DTypeName = 'float32' | 'float64';

/** A small deterministic PRNG (the conformance suite's mulberry32), so failures reproduce. */
export const rng = seededRandom;

export function alloc(dtype: DTypeName, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export function random(dtype: DTypeName, length: number, seed: number, scale = 3): FloatArray {
  const r = rng(seed);
  const a = alloc(dtype, length);
  for (let k = 0; k < length; k++) a[k] = (r() * 2 - 1) * scale;
  return a;
}

export function view(d: Dims): View {
  return { outer: d.outer, n: d.n, inner: d.inner };
}

export type MaskKind =
  | 'none'
  | 'dense'
  | 'dense-as-general'
  | 'broadcast-outer'
  | 'broadcast-inner'
  | 'one-slice';

/**
 * A random mask of the given broadcast kind as a MaskView, plus an independent `takes`
 * predicate that reads the same bytes through its own indexing.
 */
export function makeMask(d: Dims, kind: MaskKind, seed: number): { mask: MaskView | null; takes: Takes } {
  if (kind === 'none') return { mask: null, takes: () => true };
  const mo = kind === 'broadcast-outer' || kind === 'one-slice' ? 1 : d.outer;
  const mn = d.n;
  const mi = kind === 'broadcast-inner' || kind === 'one-slice' ? 1 : d.inner;
  const r = rng(seed);
  const data = new Uint8Array(mo * mn * mi);
  for (let k = 0; k < data.length; k++) data[k] = r() < 0.7 ? 1 : 0;
  // Leave the first mask slice fully masked when there are several, to cover that case.
  if (mo * mi > 1) for (let j = 0; j < mn; j++) data[j * mi] = 0;
  const outerOffsets = new Int32Array(d.outer);
  for (let o = 0; o < d.outer; o++) outerOffsets[o] = (mo === 1 ? 0 : o) * mn * mi;
  const innerOffsets = new Int32Array(d.inner);
  for (let i = 0; i < d.inner; i++) innerOffsets[i] = mi === 1 ? 0 : i;
  const mask: MaskView = { data, outerOffsets, nStride: mi, innerOffsets, dense: kind === 'dense' };
  const takes: Takes = (o, j, i) => data[((mo === 1 ? 0 : o) * mn + j) * mi + (mi === 1 ? 0 : i)] !== 0;
  return { mask, takes };
}

/** Writes `values` into slice (o, i) of x. */
export function setSlice(d: Dims, x: FloatArray, o: number, i: number, values: number[]): void {
  for (let j = 0; j < d.n; j++) x[(o * d.n + j) * d.inner + i] = values[j % values.length];
}

export type Kind = 'prob' | 'log';

/**
 * Compares a kernel result with the float64 reference under the project tolerances; returns
 * the first few mismatches (empty when all pass) and the worst relative error.
 */
export function compare(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  kind: Kind,
  dtype: DTypeName,
): { bad: string[]; worst: number } {
  const bad: string[] = [];
  let worst = 0;
  if (got.length !== ref.length) return { bad: [`length ${got.length} !== ${ref.length}`], worst };
  for (let k = 0; k < ref.length; k++) {
    const g = got[k];
    const r = ref[k];
    let ok: boolean;
    if (Number.isNaN(r)) ok = Number.isNaN(g);
    else if (!Number.isFinite(r)) ok = g === r;
    else {
      const tol =
        dtype === 'float64'
          ? 1e-12 * Math.max(1, Math.abs(r))
          : kind === 'prob'
            ? Math.max(4e-6 * Math.abs(r), 1e-7)
            : 2e-6 * Math.max(1, Math.abs(r));
      const err = Math.abs(g - r);
      ok = err <= tol;
      worst = Math.max(worst, err / tol);
    }
    if (!ok && bad.length < 5) bad.push(`[${k}] got ${g} want ${r}`);
  }
  return { bad, worst };
}

/** Rounds a float64 array to the dtype (the kernel inputs the tests derive from references). */
export function as(dtype: DTypeName, a: ArrayLike<number>): FloatArray {
  const r = alloc(dtype, a.length);
  for (let k = 0; k < a.length; k++) r[k] = a[k];
  return r;
}
