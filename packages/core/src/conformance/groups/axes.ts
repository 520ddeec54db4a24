/** Every axis of 1-D to 5-D tensors, each op; the batch rows of a slice never mix. */
import type { DType, OpName } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectBackward, expectForward, expectJacobian } from '../expect.js';
import { logSoftmaxOf, makeCase, randomTensor, seedOf, shapeName, softmaxOf } from '../generate.js';
import { sizeOf } from '../tensors.js';

const SHAPES: readonly (readonly number[])[] = [[7], [3, 5], [2, 3, 4], [2, 3, 2, 3], [2, 1, 3, 2, 2]];
const DTYPE: DType = 'float32';

function axisCases(shape: readonly number[], axis: number): ConformanceCase[] {
  const label = `${shapeName(shape)} axis ${axis}`;
  const size = sizeOf(shape);
  const n = shape[axis < 0 ? axis + shape.length : axis];
  const x = () => randomTensor(DTYPE, shape, seedOf(label));
  const dy = () => randomTensor(DTYPE, shape, seedOf(`${label} dy`), 1);
  const options = { axis };
  const forward = (op: 'softmax' | 'logSoftmax' | 'logSumExp', keepDims = false): ConformanceCase =>
    makeCase(`${op} ${label}${keepDims ? ' keepDims' : ''}`, [op], [DTYPE], size, (c) =>
      expectForward(c, op, x(), { axis, keepDims }, label),
    );
  const cases: ConformanceCase[] = [
    forward('softmax'),
    forward('logSoftmax'),
    forward('logSumExp'),
    forward('logSumExp', true),
    makeCase(`softmaxBackward ${label}`, ['softmaxBackward'], [DTYPE], size, (c) =>
      expectBackward(c, 'softmaxBackward', softmaxOf(x(), options), dy(), options, label),
    ),
    makeCase(`logSoftmaxBackward ${label}`, ['logSoftmaxBackward'], [DTYPE], size, (c) =>
      expectBackward(c, 'logSoftmaxBackward', logSoftmaxOf(x(), options), dy(), options, label),
    ),
  ];
  const jacobianOps: OpName[] = ['softmaxJacobian'];
  cases.push(
    makeCase(`softmaxJacobian ${label}`, jacobianOps, [DTYPE], size * n, (c) =>
      expectJacobian(c, softmaxOf(x(), options), options, label),
    ),
  );
  return cases;
}

export function axesGroup(): CaseGroup {
  const cases = SHAPES.flatMap((shape) => shape.flatMap((_, axis) => axisCases(shape, axis)));
  // Negative axes count from the end.
  cases.push(...[-1, -2, -3].flatMap((axis) => axisCases([2, 3, 4], axis).slice(0, 3)));
  return { name: 'every axis of 1-D to 5-D tensors', cases };
}
