/**
 * Plans for calls that involve device arrays (Backend.device): the same checks as the host
 * plans, in the same order, but the data is never read. Every op runs on the device kernels;
 * results land in the backend's memory unless `output: 'host'` or a host `out` says otherwise.
 * Masks, labels and weights stay on the host (the backend uploads them); a cross-entropy whose
 * weights are a device array goes through host memory (see isDeviceCall).
 */

import { accurateSum } from '../accurate-sum.js';
import { canonicalView } from '../canonical.js';
import { product, shapeText } from '../describe.js';
import type { DeviceArray, DeviceMemory } from '../device.js';
import { isDeviceArray } from '../device.js';
import { ShapeError, UnsupportedError, ValueError } from '../errors.js';
import { allocate } from '../limits.js';
import type { OpName } from '../ops.js';
import type { CrossEntropyOptions, LogSumExpOptions, Output, SoftmaxOptions } from '../options.js';
import type { DType, FloatArray } from '../types.js';
import { checkShape, checkTensor } from '../validate/arrays.js';
import {
  CROSS_ENTROPY_OPTIONS,
  checkOptionKeys,
  LOG_SUM_EXP_OPTIONS,
  SOFTMAX_OPTIONS,
} from '../validate/option-keys.js';
import { checkBoolean, normalizeAxis, outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import {
  checkIgnoreIndex,
  checkLabelSmoothing,
  checkReduction,
  checkTarget,
  checkTargetKind,
  checkWeights,
  scalar,
  type TargetKind,
} from './cross-entropy.js';
import { checkFamily, type Family, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

function dataOf(value: unknown): unknown {
  try {
    return (value as { data?: unknown } | null)?.data;
  } catch {
    return undefined;
  }
}

/**
 * Whether a device call runs on the device kernels: all of them do, except a cross-entropy
 * whose weights are a device array (weights are read on the host: it goes through host memory).
 */
export function isDeviceCall(op: OpName, args: readonly unknown[]): boolean {
  if (op !== 'softmaxCrossEntropy') return true;
  const options = args[2];
  return !(
    typeof options === 'object' &&
    options !== null &&
    isDeviceArray(dataOf((options as CrossEntropyOptions).weights))
  );
}

type AnyData = FloatArray | DeviceArray;

interface DeviceChecked {
  readonly data: AnyData;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly length: number;
}

/** A tensor argument whose data may be a device array of this backend. */
function checkAnyTensor(value: unknown, argument: string, device: DeviceMemory): DeviceChecked {
  const data = dataOf(value);
  if (!isDeviceArray(data)) {
    const host = checkTensor(value, argument);
    return { data: host.data, shape: host.shape, dtype: host.dtype, length: host.data.length };
  }
  device.check(data, argument);
  const shape = checkShape((value as { shape?: unknown }).shape, `${argument}.shape`, argument);
  const expected = product(shape);
  if (data.length !== expected) {
    throw new ShapeError(
      `${argument} has ${data.length} elements but its shape ${shapeText(shape)} needs ${expected}`,
      argument,
    );
  }
  return { data, shape, dtype: data.dtype, length: data.length };
}

/** Where the result goes: `out` (host or device), else a new array where `output` says. */
function resultArray(
  context: SupportContext,
  options: Readonly<Record<string, unknown>>,
  device: DeviceMemory,
  dtype: DType,
  length: number,
  inputs: readonly (ArrayBufferView | DeviceArray)[],
  argument = 'options.out',
): AnyData {
  const out = options[argument === 'options.out' ? 'out' : 'gradOut'];
  const output = options.output as Output | undefined;
  if (isDeviceArray(out)) {
    device.check(out, argument);
    if (out.dtype !== dtype) {
      throw new ValueError(`${argument} is ${out.dtype} but the result is ${dtype}`, argument);
    }
    if (out.length !== length) {
      throw new ShapeError(`${argument} has ${out.length} elements but the result needs ${length}`, argument);
    }
    if (inputs.includes(out)) {
      throw new ValueError(
        `${argument} is also an input; inputs are never modified, pass a separate array`,
        argument,
      );
    }
    return out;
  }
  if (out !== undefined || output === 'host') {
    const hostInputs = inputs.filter((a): a is ArrayBufferView => !isDeviceArray(a));
    return outputArray(out, dtype, length, hostInputs, unzeroedResults(context), argument);
  }
  return device.allocate(dtype, length);
}

function refuseExtreme(family: Family, context: SupportContext): void {
  if (family.extreme) {
    throw new UnsupportedError(
      `a temperature of ${family.temperature} (1 / temperature beyond the dtype's range) needs host data on backend '${context.backend.name}': download() the tensors first`,
      context.backend.name,
    );
  }
}

/** The arrays an `out` must not share: the tensors' data (host or device) and the mask. */
function inputArrays(family: Family, ...tensors: DeviceChecked[]): (ArrayBufferView | DeviceArray)[] {
  const arrays: (ArrayBufferView | DeviceArray)[] = tensors.map((t) => t.data);
  if (family.where !== undefined) arrays.push(family.where.data);
  return arrays;
}

function planForward(
  context: SupportContext,
  device: DeviceMemory,
  op: 'softmax' | 'logSoftmax',
  x: unknown,
  options: SoftmaxOptions | undefined,
): Plan<{ data: AnyData; shape: number[] }> {
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, op);
  const input = checkAnyTensor(x, 'x', device);
  const family = checkFamily(o, input);
  requireSupport(context, op, input.dtype, [input.length]);
  refuseExtreme(family, context);
  const out = resultArray(context, o, device, input.dtype, input.length, inputArrays(family, input));
  const shape = [...input.shape];
  const finish = () => ({ data: out, shape });
  if (input.length === 0) return { finish };
  const args = {
    x: input.data,
    view: family.view,
    mask: familyMask(family, input.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  const kernel = device.kernels[op];
  return { run: () => kernel(args), finish };
}

function planLogSumExp(
  context: SupportContext,
  device: DeviceMemory,
  x: unknown,
  options: LogSumExpOptions | undefined,
): Plan<{ data: AnyData; shape: number[] }> {
  const o = checkOptionKeys(options, LOG_SUM_EXP_OPTIONS, 'logSumExp');
  const input = checkAnyTensor(x, 'x', device);
  const family = checkFamily(o, input);
  const keepDims = checkBoolean(o.keepDims, 'options.keepDims');
  const { outer, n, inner } = family.view;
  const length = outer * inner;
  requireSupport(context, 'logSumExp', input.dtype, [input.length, length]);
  refuseExtreme(family, context);
  const out = resultArray(context, o, device, input.dtype, length, inputArrays(family, input));
  const shape = input.shape.flatMap((d, i) => (i !== family.axis ? [d] : keepDims ? [1] : []));
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  if (n === 0) {
    // The sum over an empty axis is 0, so its log is -Infinity.
    const empty = input.dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
    empty.fill(Number.NEGATIVE_INFINITY);
    if (isDeviceArray(out)) device.write(out, empty);
    else out.set(empty);
    return { finish };
  }
  const args = {
    x: input.data,
    view: family.view,
    mask: familyMask(family, input.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  return { run: () => device.kernels.logSumExp(args), finish };
}

function planBackward(
  context: SupportContext,
  device: DeviceMemory,
  op: 'softmaxBackward' | 'logSoftmaxBackward',
  forward: unknown,
  dy: unknown,
  options: SoftmaxOptions | undefined,
): Plan<{ data: AnyData; shape: number[] }> {
  const forwardName = op === 'softmaxBackward' ? 'y' : 'logp';
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, op);
  const f = checkAnyTensor(forward, forwardName, device);
  const grad = checkAnyTensor(dy, 'dy', device);
  const family = checkFamily(o, f);
  if (f.shape.length !== grad.shape.length || f.shape.some((d, i) => d !== grad.shape[i])) {
    throw new ShapeError(
      `dy has shape ${shapeText(grad.shape)} but ${forwardName} has shape ${shapeText(f.shape)}; they must match`,
      'dy',
    );
  }
  if (f.dtype !== grad.dtype) {
    throw new ValueError(`dy is ${grad.dtype} but ${forwardName} is ${f.dtype}; they must match`, 'dy');
  }
  requireSupport(context, op, grad.dtype, [grad.length]);
  refuseExtreme(family, context);
  const out = resultArray(context, o, device, grad.dtype, grad.length, inputArrays(family, f, grad));
  const shape = [...grad.shape];
  const finish = () => ({ data: out, shape });
  if (grad.length === 0) return { finish };
  const common = {
    dy: grad.data,
    view: family.view,
    mask: familyMask(family, f.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  if (op === 'softmaxBackward') {
    const args = { ...common, y: f.data };
    return { run: () => device.kernels.softmaxBackward(args), finish };
  }
  const args = { ...common, logp: f.data };
  return { run: () => device.kernels.logSoftmaxBackward(args), finish };
}

function planJacobian(
  context: SupportContext,
  device: DeviceMemory,
  y: unknown,
  options: SoftmaxOptions | undefined,
): Plan<{ data: AnyData; shape: number[] }> {
  const o = checkOptionKeys(options, SOFTMAX_OPTIONS, 'softmaxJacobian');
  const input = checkAnyTensor(y, 'y', device);
  const family = checkFamily(o, input);
  const { n } = family.view;
  const length = input.length * n;
  requireSupport(context, 'softmaxJacobian', input.dtype, [input.length, length]);
  refuseExtreme(family, context);
  const out = resultArray(context, o, device, input.dtype, length, inputArrays(family, input));
  const shape = [...input.shape, n];
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  const args = {
    y: input.data,
    view: family.view,
    mask: familyMask(family, input.shape),
    invTemperature: kernelInvTemperature(family),
    out,
  };
  return { run: () => device.kernels.softmaxJacobian(args), finish };
}

type AnyResult = { data: AnyData; shape: readonly number[] };

/** A target whose data is a device array is a probability target (labels are Int32Arrays on the host). */
function checkAnyTarget(target: unknown, device: DeviceMemory): TargetKind<AnyData> {
  if (!isDeviceArray(dataOf(target))) return checkTargetKind(target);
  return { kind: 'probabilities', tensor: checkAnyTensor(target, 'target', device) };
}

/**
 * Cross-entropy on the device: the gradient goes where `gradOut`/`output` say, and the loss
 * with it (a device result keeps the loss on the device too: 'mean' and 'sum' are summed there).
 */
function planCrossEntropy(
  context: SupportContext,
  device: DeviceMemory,
  logits: unknown,
  target: unknown,
  options: CrossEntropyOptions | undefined,
): Plan<{ loss: AnyResult; grad: AnyResult }> {
  const o = checkOptionKeys(options, CROSS_ENTROPY_OPTIONS, 'softmaxCrossEntropy');
  const x = checkAnyTensor(logits, 'logits', device);
  const kind = checkAnyTarget(target, device);
  const axis = normalizeAxis(o.axis, x.shape);
  const view = canonicalView(x.shape, axis);
  const reduction = checkReduction(o.reduction);
  const ignoreIndex = checkIgnoreIndex(o.ignoreIndex);
  const labelSmoothing = checkLabelSmoothing(o.labelSmoothing);
  const weights = checkWeights(o.weights, x, view.n);
  const checked = checkTarget(kind, x, axis, view, ignoreIndex, weights);
  requireSupport(context, 'softmaxCrossEntropy', x.dtype, [x.length]);
  const inputs = weights === null ? [x.data, checked.data] : [x.data, checked.data, weights];
  const gradOut = resultArray(context, o, device, x.dtype, x.length, inputs, 'options.gradOut');
  const onDevice = isDeviceArray(gradOut);
  const samples = view.outer * view.inner;
  const sampleShape = x.shape.filter((_, i) => i !== axis);
  const grad = { data: gradOut, shape: [...x.shape] };
  const newArray = (length: number): AnyData =>
    onDevice ? device.allocate(x.dtype, length) : allocate(x.dtype, length, 'The loss', 'target');
  if (x.length === 0) {
    // As on the host: no element, no class to score; every loss is 0.
    const zero = scalar(x.dtype, 0);
    const loss =
      reduction === 'none'
        ? { data: newArray(samples), shape: sampleShape }
        : { data: onDevice ? device.upload(zero.data) : zero.data, shape: [] };
    return { finish: () => ({ loss, grad }) };
  }
  const meanScale = checked.denominator === 0 ? 0 : 1 / checked.denominator;
  const scale = reduction === 'mean' ? meanScale : 1;
  // 'mean' and 'sum' on the device: per-sample shares in a scratch array, summed into lossTotal.
  const total = reduction !== 'none' && onDevice ? device.allocate(x.dtype, 1) : undefined;
  const lossOut = newArray(samples);
  const args = {
    view,
    logits: x.data,
    target: checked.target,
    labelSmoothing,
    weights,
    gradScale: scale,
    lossScale: scale,
    lossOut,
    gradOut,
  };
  const finish = () => {
    if (reduction === 'none') return { loss: { data: lossOut, shape: sampleShape }, grad };
    if (total) return { loss: { data: total, shape: [] }, grad };
    return { loss: scalar(x.dtype, accurateSum(lossOut as FloatArray)), grad };
  };
  const run = async () => {
    try {
      await device.kernels.softmaxCrossEntropy(args, total);
    } finally {
      if (total && isDeviceArray(lossOut)) lossOut.dispose();
    }
  };
  return { run, finish };
}

/** The plan of a device op; `args` are the op's positional arguments, options last. */
export function planOnDevice(
  context: SupportContext,
  device: DeviceMemory,
  op: OpName,
  args: readonly unknown[],
): Plan<unknown> {
  switch (op) {
    case 'softmax':
    case 'logSoftmax':
      return planForward(context, device, op, args[0], args[1] as SoftmaxOptions | undefined);
    case 'logSumExp':
      return planLogSumExp(context, device, args[0], args[1] as LogSumExpOptions | undefined);
    case 'softmaxBackward':
    case 'logSoftmaxBackward':
      return planBackward(context, device, op, args[0], args[1], args[2] as SoftmaxOptions | undefined);
    case 'softmaxJacobian':
      return planJacobian(context, device, args[0], args[1] as SoftmaxOptions | undefined);
    case 'softmaxCrossEntropy':
      return planCrossEntropy(context, device, args[0], args[1], args[2] as CrossEntropyOptions | undefined);
  }
}
