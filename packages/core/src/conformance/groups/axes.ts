/** Every axis (positive and negative) of 1-D to 5-D tensors, on every op of the softmax family. */
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectForward } from '../expect.js';
import { makeCase, randomTensor, seedOf, shapeName } from '../generate.js';
import { sizeOf } from '../tensors.js';
import { familySweep } from './family-sweep.js';

const SHAPES: readonly (readonly number[])[] = [[7], [3, 5], [2, 3, 4], [2, 3, 2, 3], [2, 1, 3, 2, 2]];

function axisCases(shape: readonly number[], axis: number): ConformanceCase[] {
  const label = `${shapeName(shape)} axis ${axis}`;
  const x = () => randomTensor('float32', shape, seedOf(label));
  return [
    ...familySweep({ label, dtype: 'float32', shape, x, options: { axis }, jacobian: true }),
    makeCase(`logSumExp ${label} keepDims`, ['logSumExp'], ['float32'], sizeOf(shape), (c) =>
      expectForward(c, 'logSumExp', x(), { axis, keepDims: true }, label),
    ),
  ];
}

export function axesGroup(): CaseGroup {
  const positive = SHAPES.flatMap((shape) => shape.flatMap((_, axis) => axisCases(shape, axis)));
  const negative = SHAPES.slice(1).flatMap((shape) =>
    shape.flatMap((_, axis) => axisCases(shape, axis - shape.length)),
  );
  return { name: 'every axis of 1-D to 5-D tensors', cases: [...positive, ...negative] };
}
