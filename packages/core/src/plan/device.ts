/**
 * Plans for calls that involve device arrays (Backend.device): the same checks as the host
 * plans, in the same order, but the data is never read. softmax, logSoftmax, logSumExp and both
 * backwards run on the device kernels; their results land in the backend's memory unless
 * `output: 'host'` or a host `out` says otherwise.
 */

import { product, shapeText } from '../describe.js';
import type { DeviceArray, DeviceMemory } from '../device.js';
import { isDeviceArray } from '../device.js';
import { ShapeError, UnsupportedError, ValueError } from '../errors.js';
import type { LogSumExpOptions, Output, SoftmaxOptions } from '../options.js';
import type { DType, FloatArray } from '../types.js';
import { type CheckedTensor, checkShape, checkTensor } from '../validate/arrays.js';
import { checkOptionKeys, LOG_SUM_EXP_OPTIONS, SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { checkBoolean, outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import { checkFamily, type Family, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

/** The ops that run on device arrays without a round trip through the host. */
export const DEVICE_OPS = [
  'softmax',
  'logSoftmax',
  'logSumExp',
  'softmaxBackward',
  'logSoftmaxBackward',
] as const;
export type DeviceOp = (typeof DEVICE_OPS)[number];

export function isDeviceOp(op: string): op is DeviceOp {
  return (DEVICE_OPS as readonly string[]).includes(op);
}

type AnyData = FloatArray | DeviceArray;

interface DeviceChecked {
  readonly data: AnyData;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly length: number;
  /** the checked host tensor, when the data is on the host */
  readonly host?: CheckedTensor;
}

/** A tensor argument whose data may be a device array of this backend. */
function checkAnyTensor(value: unknown, argument: string, device: DeviceMemory): DeviceChecked {
  const data = (value as { data?: unknown } | null)?.data;
  if (!isDeviceArray(data)) {
    const host = checkTensor(value, argument);
    return { data: host.data, shape: host.shape, dtype: host.dtype, length: host.data.length, host };
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
  options: Readonly<Record<string, unknown>>,
  device: DeviceMemory,
  dtype: DType,
  length: number,
  hostInputs: readonly ArrayBufferView[],
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
    return out;
  }
  if (out !== undefined || output === 'host') return outputArray(out, dtype, length, hostInputs, argument);
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

function hostArrays(family: Family, ...tensors: DeviceChecked[]): ArrayBufferView[] {
  const arrays: ArrayBufferView[] = [];
  for (const t of tensors) if (t.host) arrays.push(t.host.data);
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
  const out = resultArray(o, device, input.dtype, input.length, hostArrays(family, input));
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
  const out = resultArray(o, device, input.dtype, length, hostArrays(family, input));
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
  const out = resultArray(o, device, grad.dtype, grad.length, hostArrays(family, f, grad));
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

/** The plan of a device op; `args` are the op's positional arguments, options last. */
export function planOnDevice(
  context: SupportContext,
  device: DeviceMemory,
  op: DeviceOp,
  args: readonly unknown[],
): Plan<{ data: AnyData; shape: number[] }> {
  switch (op) {
    case 'softmax':
    case 'logSoftmax':
      return planForward(context, device, op, args[0], args[1] as SoftmaxOptions | undefined);
    case 'logSumExp':
      return planLogSumExp(context, device, args[0], args[1] as LogSumExpOptions | undefined);
    case 'softmaxBackward':
    case 'logSoftmaxBackward':
      return planBackward(context, device, op, args[0], args[1], args[2] as SoftmaxOptions | undefined);
  }
}
