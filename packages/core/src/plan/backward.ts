import type { KernelResult } from '../backend.js';
import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { checkSameTensor, checkTensor } from '../validate/arrays.js';
import { checkOptionKeys, SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import { divideBy } from './extreme-temperature.js';
import { checkFamily, familyInputs, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

type BackwardOp = 'softmaxBackward' | 'logSoftmaxBackward';

/**
 * Both gradients: (forward, dy, options) checked in the common order (options keys, the
 * tensors, axis / temperature / where, then that dy matches), the gradient shaped like dy.
 */
function planBackward(
  context: SupportContext,
  op: BackwardOp,
  forwardName: 'y' | 'logp',
  forward: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, op);
  const f = checkTensor(forward, forwardName);
  const grad = checkTensor(dy, 'dy');
  const family = checkFamily(o, f);
  checkSameTensor(f, grad, forwardName, 'dy');
  const length = grad.data.length;
  const support = () =>
    op === 'softmaxBackward'
      ? { softmaxBackward: requireSupport(context, op, grad.dtype, [length]) }
      : { logSoftmaxBackward: requireSupport(context, op, grad.dtype, [length]) };
  const kernels = support();
  const out = outputArray(o.out, grad.dtype, length, familyInputs(family, f, grad), unzeroedResults(context));
  const shape = [...grad.shape];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const common = {
    dy: grad.data,
    view: family.view,
    mask: familyMask(family, f.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  let run: () => KernelResult;
  if (kernels.softmaxBackward !== undefined) {
    const kernel = kernels.softmaxBackward;
    const args = { ...common, y: f.data };
    run = () => kernel(args);
  } else {
    const kernel = kernels.logSoftmaxBackward;
    const args = { ...common, logp: f.data };
    run = () => kernel(args);
  }
  if (!family.extreme) return { run, finish };
  return {
    run,
    finish: () => {
      divideBy(out, family.temperature);
      return finish();
    },
  };
}

export function planSoftmaxBackward(
  context: SupportContext,
  y: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  return planBackward(context, 'softmaxBackward', 'y', y, dy, options);
}

export function planLogSoftmaxBackward(
  context: SupportContext,
  logp: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  return planBackward(context, 'logSoftmaxBackward', 'logp', logp, dy, options);
}
