import type { SoftmaxOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { type CheckedTensor, checkSameTensor, checkTensor } from '../validate/arrays.js';
import { outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import { type FamilyCall, familyCall } from './family.js';
import type { Plan } from './plan.js';

interface BackwardCall {
  readonly call: FamilyCall;
  readonly dy: CheckedTensor;
  readonly out: FloatArray;
  readonly finish: () => Tensor<FloatArray>;
}

/** Checks (forward, dy, options) and allocates the gradient, shaped like dy. */
function backwardCall(
  forward: Tensor,
  forwardName: string,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): BackwardCall {
  const call = familyCall(forward, options, forwardName);
  const grad = checkTensor(dy, 'dy');
  checkSameTensor(call.x, grad, forwardName, 'dy');
  const out = outputArray(options?.out, grad.dtype, grad.data.length, [...call.inputs, grad.data]);
  const shape = [...grad.shape];
  return { call, dy: grad, out, finish: () => ({ data: out, shape }) };
}

export function planSoftmaxBackward(
  context: SupportContext,
  y: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const { call, dy: grad, out, finish } = backwardCall(y, 'y', dy, options);
  const kernel = requireSupport(context, 'softmaxBackward', grad.dtype, [out.length]);
  if (out.length === 0) return { finish };
  const { view, mask, invTemperature } = call;
  const args = { y: call.x.data, dy: grad.data, view, mask, invTemperature, out };
  return { run: () => kernel(args), finish };
}

export function planLogSoftmaxBackward(
  context: SupportContext,
  logp: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const { call, dy: grad, out, finish } = backwardCall(logp, 'logp', dy, options);
  const kernel = requireSupport(context, 'logSoftmaxBackward', grad.dtype, [out.length]);
  if (out.length === 0) return { finish };
  const { view, mask, invTemperature } = call;
  const args = { logp: call.x.data, dy: grad.data, view, mask, invTemperature, out };
  return { run: () => kernel(args), finish };
}
