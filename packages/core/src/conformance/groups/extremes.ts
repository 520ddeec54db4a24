/** Overflow and underflow: logits of 1e4, 1e30, -1e30 and huge constant offsets stay finite and right. */
import type { DType, Tensor } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { BOTH_DTYPES, makeCase, randomTensor, seedOf } from '../generate.js';
import { seededRandom, uniformValues } from '../random.js';
import { makeLabels, makeTensor } from '../tensors.js';
import { familySweep } from './family-sweep.js';

const SHAPE = [6, 7];

/** Values picked at random from a set of extreme magnitudes. */
function pick(dtype: DType, values: readonly number[], seed: number): Tensor {
  const next = seededRandom(seed);
  return makeTensor(
    dtype,
    Array.from({ length: 42 }, () => values[Math.floor(next() * values.length)]),
    SHAPE,
  );
}

const INPUTS: readonly { readonly name: string; readonly x: (dtype: DType) => Tensor }[] = [
  { name: 'uniform in +-1e4', x: (d) => randomTensor(d, SHAPE, seedOf('1e4'), 1e4) },
  { name: 'picked from +-1e30, 5e29, 0, 1', x: (d) => pick(d, [1e30, -1e30, 5e29, 0, 1], seedOf('1e30')) },
  {
    name: 'picked from +-1e38, 5e37, 0 (results stay inside float32)',
    x: (d) => pick(d, [1e38, -1e38, 5e37, 0], seedOf('1e38')),
  },
  {
    name: '1e4 plus small noise',
    x: (d) =>
      makeTensor(
        d,
        uniformValues(42, seedOf('offset'), 2).map((v) => 1e4 + v),
        SHAPE,
      ),
  },
  {
    name: '-1e4 plus small noise',
    x: (d) =>
      makeTensor(
        d,
        uniformValues(42, seedOf('negative'), 2).map((v) => -1e4 + v),
        SHAPE,
      ),
  },
  {
    name: 'one 0 among -1e4 (exact underflow)',
    x: (d) =>
      makeTensor(
        d,
        Array.from({ length: 42 }, (_, k) => (k % 7 === k % 6 ? 0 : -1e4)),
        SHAPE,
      ),
  },
];

function extremeCases(dtype: DType): ConformanceCase[] {
  return INPUTS.flatMap((input) => [
    ...familySweep({
      label: `[6, 7] ${input.name}`,
      dtype,
      shape: SHAPE,
      x: () => input.x(dtype),
      options: {},
    }),
    makeCase(
      `softmaxCrossEntropy [6, 7] ${input.name} [${dtype}]`,
      ['softmaxCrossEntropy'],
      [dtype],
      42,
      (c) =>
        expectCrossEntropy(
          c,
          input.x(dtype),
          makeLabels([0, 1, 2, 3, 4, 5], [6]),
          { reduction: 'none' },
          input.name,
        ),
    ),
  ]);
}

export function extremesGroup(): CaseGroup {
  return { name: 'overflow and underflow', cases: BOTH_DTYPES.flatMap(extremeCases) };
}
