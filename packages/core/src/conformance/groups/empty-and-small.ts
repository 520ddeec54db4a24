/** Empty axes, zero-size tensors and length-1 axes, on every op. */
import type { DType } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { BOTH_DTYPES, makeCase, randomTensor, seedOf, shapeName } from '../generate.js';
import { makeLabels, makeTensor, sizeOf } from '../tensors.js';
import { familySweep } from './family-sweep.js';

/** [shape, axis]: empty axes (log-sum-exp gives -Infinity), zero-size batches, length-1 axes. */
const SHAPES: readonly [readonly number[], number][] = [
  [[0], 0],
  [[3, 0], -1],
  [[3, 0], 0],
  [[0, 4], 0],
  [[0, 4], 1],
  [[2, 0, 3], 0],
  [[2, 0, 3], 1],
  [[2, 0, 3], 2],
  [[1], 0],
  [[4, 1], -1],
  [[1, 4], 0],
  [[2, 1, 3], 1],
];

function crossEntropyCases(dtype: DType): ConformanceCase[] {
  return (['mean', 'sum', 'none'] as const).flatMap((reduction) => [
    makeCase(
      `softmaxCrossEntropy of zero samples [0, 4], ${reduction} [${dtype}]`,
      ['softmaxCrossEntropy'],
      [dtype],
      4,
      (c) =>
        expectCrossEntropy(
          c,
          makeTensor(dtype, [], [0, 4]),
          makeLabels([], [0]),
          { reduction },
          'zero samples',
        ),
    ),
    makeCase(
      `softmaxCrossEntropy with one class [3, 1], ${reduction} [${dtype}]`,
      ['softmaxCrossEntropy'],
      [dtype],
      3,
      (c) =>
        expectCrossEntropy(
          c,
          randomTensor(dtype, [3, 1], seedOf('one class')),
          makeLabels([0, 0, -100], [3]),
          { reduction },
          'one class',
        ),
    ),
  ]);
}

function shapeCases(dtype: DType): ConformanceCase[] {
  return SHAPES.flatMap(([shape, axis]) => {
    const label = `${shapeName(shape)} axis ${axis}`;
    return familySweep({
      label,
      dtype,
      shape,
      x: () => randomTensor(dtype, shape, seedOf(label)),
      options: { axis },
      jacobian: true,
    }).map((c) => ({ ...c, elements: Math.max(c.elements, sizeOf(shape)) }));
  });
}

export function emptyAndSmallGroup(): CaseGroup {
  return {
    name: 'empty axes, zero-size tensors and length-1 axes',
    cases: BOTH_DTYPES.flatMap((dtype) => [...shapeCases(dtype), ...crossEntropyCases(dtype)]),
  };
}
