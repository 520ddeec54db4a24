/** Empty axes, zero-size tensors and length-1 axes, on every op. */
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { makeCase, randomTensor, seedOf, shapeName } from '../generate.js';
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

function crossEntropyCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    cases.push(
      makeCase(
        `softmaxCrossEntropy of zero samples [0, 4], ${reduction}`,
        ['softmaxCrossEntropy'],
        ['float32'],
        4,
        (c) =>
          expectCrossEntropy(
            c,
            makeTensor('float32', [], [0, 4]),
            makeLabels([], [0]),
            { reduction },
            'zero samples',
          ),
      ),
      makeCase(
        `softmaxCrossEntropy with one class [3, 1], ${reduction}`,
        ['softmaxCrossEntropy'],
        ['float32'],
        3,
        (c) =>
          expectCrossEntropy(
            c,
            randomTensor('float32', [3, 1], seedOf('one class')),
            makeLabels([0, 0, -100], [3]),
            { reduction },
            'one class',
          ),
      ),
    );
  }
  return cases;
}

export function emptyAndSmallGroup(): CaseGroup {
  const cases = SHAPES.flatMap(([shape, axis]) => {
    const label = `${shapeName(shape)} axis ${axis}`;
    return familySweep({
      label,
      dtype: 'float32',
      shape,
      x: () => randomTensor('float32', shape, seedOf(label)),
      options: { axis },
      jacobian: true,
    }).map((c) => ({ ...c, elements: Math.max(c.elements, sizeOf(shape)) }));
  });
  return {
    name: 'empty axes, zero-size tensors and length-1 axes',
    cases: [...cases, ...crossEntropyCases()],
  };
}
