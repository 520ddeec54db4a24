import { describe, expect, it } from 'vitest';
import {
  causalMask,
  labels,
  mask,
  maskWhere,
  ShapeError,
  tensor,
  toArray,
  ValueError,
} from '../src/index.js';

describe('tensor and toArray', () => {
  it('round-trips nested arrays, float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 3]);
    expect(toArray(t)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([0.1], { dtype: 'float64' }).data[0]).toBe(0.1);
    expect(toArray(tensor(5))).toBe(5);
  });

  it('takes flat values with an explicit shape', () => {
    const t = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2], dtype: 'float64' });
    expect(toArray(t)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(ShapeError);
  });

  it('rejects ragged nesting and non-numbers, saying where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/values\[1\] has length 1/);
    expect(() => tensor([1, 'a' as never])).toThrow(ValueError);
  });

  it('handles zero-size shapes', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(toArray(tensor(new Float32Array(0), { shape: [2, 0] }))).toEqual([[], []]);
  });
});

describe('mask helpers', () => {
  it('mask() takes booleans or numbers, non-zero = takes part', () => {
    expect([...mask([true, false, 2, 0]).data]).toEqual([1, 0, 1, 0]);
  });

  it('maskWhere keeps the entries a predicate selects (softmax over non-zero entries)', () => {
    const m = maskWhere(
      tensor([
        [0, 3],
        [1, 0],
      ]),
      (v) => v !== 0,
    );
    expect(m.shape).toEqual([2, 2]);
    expect([...m.data]).toEqual([0, 1, 1, 0]);
  });

  it('causalMask is lower-triangular, aligned to the last key for rectangular shapes', () => {
    expect(toArray(causalMask(3))).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(toArray(causalMask(2, 4))).toEqual([
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    expect(() => causalMask(-1)).toThrow(ValueError);
  });

  it('labels() builds int32 labels and rejects non-integers', () => {
    expect(labels([[0, 2]]).data).toBeInstanceOf(Int32Array);
    expect(() => labels([0.5])).toThrow(ValueError);
    expect(() => labels([2 ** 31])).toThrow(/int32/);
  });
});
