/** One input and options, checked on every op of the softmax family against the reference. */
import type { LogSumExpOptions } from '../../options.js';
import type { DType, Tensor } from '../../types.js';
import type { ConformanceCase } from '../case.js';
import { assertSlicesSumToOne, expectBackward, expectForward, expectJacobian } from '../expect.js';
import { logSoftmaxOf, makeCase, randomTensor, seedOf, softmaxOf } from '../generate.js';
import { sizeOf } from '../tensors.js';

export interface SweepInput {
  /** Names the cases (the dtype is appended) and seeds their dy. */
  readonly label: string;
  readonly dtype: DType;
  readonly x: () => Tensor;
  readonly shape: readonly number[];
  readonly options: LogSumExpOptions;
  /** Include the Jacobian (n^2 per slice: only for small inputs). */
  readonly jacobian?: boolean;
}

export function familySweep(input: SweepInput): ConformanceCase[] {
  const { label: base, dtype, options, shape } = input;
  const label = `${base} [${dtype}]`;
  const size = sizeOf(shape);
  const dy = () => randomTensor(dtype, shape, seedOf(`${base} dy`), 1);
  const cases = [
    makeCase(`softmax ${label}`, ['softmax'], [dtype], size, async (c) => {
      const x = input.x();
      assertSlicesSumToOne(await expectForward(c, 'softmax', x, options, label), x, options, label);
    }),
    makeCase(`logSoftmax ${label}`, ['logSoftmax'], [dtype], size, (c) =>
      expectForward(c, 'logSoftmax', input.x(), options, label),
    ),
    makeCase(`logSumExp ${label}`, ['logSumExp'], [dtype], size, (c) =>
      expectForward(c, 'logSumExp', input.x(), options, label),
    ),
    makeCase(`softmaxBackward ${label}`, ['softmaxBackward'], [dtype], size, (c) =>
      expectBackward(c, 'softmaxBackward', softmaxOf(input.x(), options), dy(), options, label),
    ),
    makeCase(`logSoftmaxBackward ${label}`, ['logSoftmaxBackward'], [dtype], size, (c) =>
      expectBackward(c, 'logSoftmaxBackward', logSoftmaxOf(input.x(), options), dy(), options, label),
    ),
  ];
  if (input.jacobian) {
    const axis = options.axis ?? -1;
    const n = shape[axis < 0 ? axis + shape.length : axis];
    cases.push(
      makeCase(`softmaxJacobian ${label}`, ['softmaxJacobian'], [dtype], size * n, (c) =>
        expectJacobian(c, softmaxOf(input.x(), options), options, label),
      ),
    );
  }
  return cases;
}
