import { describe, expect, it } from 'vitest';
import { broadcastStrides, canonicalMask, canonicalView } from '../src/canonical.js';
import type { Mask } from '../src/index.js';
import { causalMask, mask } from '../src/index.js';

/** The mask index of element (o, j, i) by the MaskView contract. */
/** Checks the broadcast, then builds the view, as the ops do. */
function maskView(m: Mask, shape: readonly number[], axis: number) {
  return canonicalMask(m, broadcastStrides(m, shape, 'options.where'), shape, axis);
}

function viaView(m: ReturnType<typeof canonicalMask>, o: number, j: number, i: number): number {
  return m.data[m.outerOffsets[o] + j * m.nStride + m.innerOffsets[i]];
}

/** The same by plain NumPy broadcasting over full multi-indices (independent of canonical.ts). */
function viaBroadcast(maskShape: number[], data: Uint8Array, shape: number[], index: number[]): number {
  const lead = shape.length - maskShape.length;
  let flat = 0;
  for (let d = 0; d < maskShape.length; d++)
    flat = flat * maskShape[d] + (maskShape[d] === 1 ? 0 : index[d + lead]);
  return data[flat];
}

function multiIndex(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

describe('canonicalView', () => {
  it('splits a shape around the axis into [outer, n, inner]', () => {
    expect(canonicalView([2, 3, 4, 5], 0)).toEqual({ outer: 1, n: 2, inner: 60 });
    expect(canonicalView([2, 3, 4, 5], 2)).toEqual({ outer: 6, n: 4, inner: 5 });
    expect(canonicalView([2, 3, 4, 5], 3)).toEqual({ outer: 24, n: 5, inner: 1 });
    expect(canonicalView([7], 0)).toEqual({ outer: 1, n: 7, inner: 1 });
  });
});

describe('canonicalMask', () => {
  const shape = [2, 3, 4, 5];
  const cases: [string, number[]][] = [
    ['same shape', [2, 3, 4, 5]],
    ['lower rank', [4, 5]],
    ['leading ones', [1, 1, 4, 5]],
    ['column broadcast', [2, 3, 4, 1]],
    ['middle broadcast', [2, 1, 4, 1]],
    ['scalar-like', [1]],
    ['last axis only', [5]],
  ];
  for (const [name, maskShape] of cases) {
    it(`matches NumPy broadcasting for a ${name} mask ${JSON.stringify(maskShape)} on every axis`, () => {
      const size = maskShape.reduce((a, b) => a * b, 1);
      const data = Uint8Array.from({ length: size }, (_, k) => (k * 7 + 3) % 5);
      for (let axis = 0; axis < shape.length; axis++) {
        const view = canonicalView(shape, axis);
        const m = maskView({ data, shape: maskShape }, shape, axis);
        expect(m.dense).toBe(size === 120);
        for (let flat = 0; flat < 120; flat++) {
          const o = Math.floor(flat / (view.n * view.inner));
          const j = Math.floor(flat / view.inner) % view.n;
          const i = flat % view.inner;
          expect(viaView(m, o, j, i)).toBe(viaBroadcast(maskShape, data, shape, multiIndex(flat, shape)));
        }
      }
    });
  }

  it('broadcasts a causal mask over batch and head dimensions', () => {
    const m = maskView(causalMask(3), [2, 2, 3, 3], 3);
    expect(viaView(m, 0, 0, 0)).toBe(1);
    expect(viaView(m, 0, 1, 0)).toBe(0); // query 0 may not see key 1
    expect(viaView(m, 2 * 3 + 2, 2, 0)).toBe(1); // last query of head (1, 0) sees key 2
  });

  it('refuses shapes that do not broadcast', () => {
    expect(() => maskView(mask([1, 0]), [2, 3], 1)).toThrow(/does not broadcast/);
  });
});
