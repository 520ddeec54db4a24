/** Every axis (positive and negative) of 1-D to 5-D tensors, on every op of the softmax family. */
import type { DType } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectForward } from '../expect.js';
import { BOTH_DTYPES, makeCase, randomTensor, seedOf, shapeName } from '../generate.js';
import { sizeOf } from '../tensors.js';
import { familySweep } from './family-sweep.js';

const SHAPES: readonly (readonly number[])[] = [[7], [3, 5], [2, 3, 4], [2, 3, 2, 3], [2, 1, 3, 2, 2]];

function axisCases(shape: readonly number[], axis: number, dtype: DType): ConformanceCase[] {
  const label = `${shapeName(shape)} axis ${axis}`;
  const x = () => randomTensor(dtype, shape, seedOf(label));
  return [
    ...familySweep({ label, dtype, shape, x, options: { axis }, jacobian: true }),
    makeCase(`logSumExp ${label} keepDims [${dtype}]`, ['logSumExp'], [dtype], sizeOf(shape), (c) =>
      expectForward(c, 'logSumExp', x(), { axis, keepDims: true }, label),
    ),
  ];
}

export function axesGroup(): CaseGroup {
  const cases = BOTH_DTYPES.flatMap((dtype) => [
    ...SHAPES.flatMap((shape) => shape.flatMap((_, axis) => axisCases(shape, axis, dtype))),
    ...SHAPES.slice(1).flatMap((shape) =>
      shape.flatMap((_, axis) => axisCases(shape, axis - shape.length, dtype)),
    ),
  ]);
  return { name: 'every axis of 1-D to 5-D tensors', cases };
}
