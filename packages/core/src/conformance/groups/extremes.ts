/** Overflow and underflow: logits of 1e4, 1e30, -1e30 and huge constant offsets stay finite and right. */
import type { Tensor } from '../../types.js';
import type { CaseGroup } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { makeCase, randomTensor, seedOf } from '../generate.js';
import { seededRandom, uniformValues } from '../random.js';
import { makeLabels, makeTensor } from '../tensors.js';
import { familySweep } from './family-sweep.js';

const SHAPE = [6, 7];

/** Values picked at random from a set of extreme magnitudes. */
function pick(values: readonly number[], seed: number): Tensor {
  const next = seededRandom(seed);
  return makeTensor(
    'float32',
    Array.from({ length: 42 }, () => values[Math.floor(next() * values.length)]),
    SHAPE,
  );
}

const INPUTS: readonly { readonly name: string; readonly x: () => Tensor }[] = [
  { name: 'uniform in +-1e4', x: () => randomTensor('float32', SHAPE, seedOf('1e4'), 1e4) },
  { name: 'picked from +-1e30, 5e29, 0, 1', x: () => pick([1e30, -1e30, 5e29, 0, 1], seedOf('1e30')) },
  {
    name: 'picked from +-1e38, 5e37, 0 (results stay inside float32)',
    x: () => pick([1e38, -1e38, 5e37, 0], seedOf('1e38')),
  },
  {
    name: '1e4 plus small noise',
    x: () =>
      makeTensor(
        'float32',
        uniformValues(42, seedOf('offset'), 2).map((v) => 1e4 + v),
        SHAPE,
      ),
  },
  {
    name: '-1e4 plus small noise',
    x: () =>
      makeTensor(
        'float32',
        uniformValues(42, seedOf('negative'), 2).map((v) => -1e4 + v),
        SHAPE,
      ),
  },
  {
    name: 'one 0 among -1e4 (exact underflow)',
    x: () =>
      makeTensor(
        'float32',
        Array.from({ length: 42 }, (_, k) => (k % 7 === k % 6 ? 0 : -1e4)),
        SHAPE,
      ),
  },
];

export function extremesGroup(): CaseGroup {
  const cases = INPUTS.flatMap((input) => [
    ...familySweep({
      label: `[6, 7] ${input.name}`,
      dtype: 'float32',
      shape: SHAPE,
      x: input.x,
      options: {},
    }),
    makeCase(`softmaxCrossEntropy [6, 7] ${input.name}`, ['softmaxCrossEntropy'], ['float32'], 42, (c) =>
      expectCrossEntropy(
        c,
        input.x(),
        makeLabels([0, 1, 2, 3, 4, 5], [6]),
        { reduction: 'none' },
        input.name,
      ),
    ),
  ]);
  return { name: 'overflow and underflow', cases };
}
