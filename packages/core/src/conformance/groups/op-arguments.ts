/** How each op is called with generic arguments, for groups that sweep over every op. */
import type { AsyncOps } from '../../options.js';
import { ALL_OPS, type Labels, type OpName, type Tensor } from '../../types.js';
import type { AnyOptions } from '../decode.js';

/** The name of each op's first parameter, as errors name it. */
export const FIRST_ARGUMENT: Readonly<Record<OpName, string>> = {
  softmax: 'x',
  logSoftmax: 'x',
  logSumExp: 'x',
  softmaxBackward: 'y',
  logSoftmaxBackward: 'logp',
  softmaxJacobian: 'y',
  softmaxCrossEntropy: 'logits',
};

/** Every op but cross-entropy: the ones taking axis, temperature, where and out. */
export const FAMILY_OPS: readonly OpName[] = ALL_OPS.filter((op) => op !== 'softmaxCrossEntropy');

/** The option holding the preallocated output. */
export function outOption(op: OpName): 'out' | 'gradOut' {
  return op === 'softmaxCrossEntropy' ? 'gradOut' : 'out';
}

/** Calls `op` with a first argument, an optional second (dy or target) and options. */
export function callOp(
  ops: AsyncOps,
  op: OpName,
  first: Tensor,
  second: Tensor | Labels | undefined,
  options: AnyOptions,
): Promise<unknown> {
  const needSecond = (): Tensor => {
    if (second === undefined || second.data instanceof Int32Array)
      throw new Error(`${op} needs a float second argument`);
    return { data: second.data, shape: second.shape };
  };
  switch (op) {
    case 'softmax':
      return ops.softmax(first, options);
    case 'logSoftmax':
      return ops.logSoftmax(first, options);
    case 'logSumExp':
      return ops.logSumExp(first, options);
    case 'softmaxBackward':
      return ops.softmaxBackward(first, needSecond(), options);
    case 'logSoftmaxBackward':
      return ops.logSoftmaxBackward(first, needSecond(), options);
    case 'softmaxJacobian':
      return ops.softmaxJacobian(first, options);
    case 'softmaxCrossEntropy': {
      if (second === undefined) throw new Error('softmaxCrossEntropy needs a target');
      return ops.softmaxCrossEntropy(first, second, options);
    }
  }
}
