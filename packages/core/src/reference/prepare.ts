import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { SOFTMAX_OPTIONS } from '../validate/option-keys.js';
import { sizeOf, slicesAlong } from './shape.js';
import { broadcastMask, checkAxis, checkOptions, checkTemperature, checkTensor } from './validate.js';

/** What every op of the softmax family needs once its arguments are checked. */
export interface Prepared {
  readonly axis: number;
  readonly temperature: number;
  /** One flag per element of the input: 1 = takes part. */
  readonly takesPart: Uint8Array;
  /** Flat indices of each slice along the axis (none for a zero-size input). */
  readonly slices: number[][];
}

/**
 * Checks the options' keys, the input tensor (and dy), then the common options: the order
 * core checks them in, so a call with several mistakes reports the same one.
 */
export function prepare(
  input: Tensor,
  options: SoftmaxOptions | undefined,
  argument: string,
  op: string,
  accepted: readonly string[] = SOFTMAX_OPTIONS,
  second?: { readonly tensor: Tensor; readonly argument: string },
): Prepared {
  checkOptions(options, accepted, op);
  checkTensor(input, argument);
  if (second !== undefined) checkTensor(second.tensor, second.argument);
  const axis = checkAxis(options?.axis, input.shape.length);
  const temperature = checkTemperature(options?.temperature);
  const takesPart = broadcastMask(options?.where, input.shape);

  // A zero-size input has no element to normalise: no slice is listed (there may be 2^40 empty ones).
  const slices = sizeOf(input.shape) === 0 ? [] : slicesAlong(input.shape, axis);
  return { axis, temperature, takesPart, slices };
}

/** The values of one slice, divided by the temperature, and their taking-part flags. */
export function sliceValues(
  data: ArrayLike<number>,
  slice: readonly number[],
  prepared: Prepared,
): { z: number[]; takesPart: boolean[] } {
  return {
    z: slice.map((k) => data[k] / prepared.temperature),
    takesPart: slice.map((k) => prepared.takesPart[k] !== 0),
  };
}
