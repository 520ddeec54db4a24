import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { slicesAlong } from './shape.js';
import { broadcastMask, checkAxis, checkTemperature, checkTensor } from './validate.js';

/** What every op of the softmax family needs once its arguments are checked. */
export interface Prepared {
  readonly axis: number;
  readonly temperature: number;
  /** One flag per element of the input: 1 = takes part. */
  readonly takesPart: Uint8Array;
  /** Flat indices of each slice along the axis. */
  readonly slices: number[][];
}

/** Checks the input tensor and the common options, in the order a user reads them. */
export function prepare(input: Tensor, options: SoftmaxOptions | undefined, argument: string): Prepared {
  checkTensor(input, argument);
  const axis = checkAxis(options?.axis, input.shape.length);
  const temperature = checkTemperature(options?.temperature);
  const takesPart = broadcastMask(options?.where, input.shape);
  return { axis, temperature, takesPart, slices: slicesAlong(input.shape, axis) };
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
