import type { MaskView, View } from '../backend.js';
import { canonicalMask, canonicalView } from '../canonical.js';
import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { type CheckedTensor, checkMask, checkTensor } from '../validate/arrays.js';
import { inverseTemperature, normalizeAxis } from '../validate/options.js';

/** The validated common arguments of the softmax family, in canonical form. */
export interface FamilyCall {
  readonly x: CheckedTensor;
  readonly axis: number;
  readonly view: View;
  readonly mask: MaskView | null;
  readonly invTemperature: number;
  /** Every input array, so that `out` can be checked not to alias one. */
  readonly inputs: ArrayBufferView[];
}

export function familyCall(x: Tensor, options: SoftmaxOptions | undefined, argument: string): FamilyCall {
  const checked = checkTensor(x, argument);
  const axis = normalizeAxis(options?.axis, checked.shape);
  const invTemperature = inverseTemperature(options?.temperature);
  const where = options?.where === undefined ? undefined : checkMask(options.where, 'options.where');
  return {
    x: checked,
    axis,
    view: canonicalView(checked.shape, axis),
    mask: where === undefined ? null : canonicalMask(where, checked.shape, axis, 'options.where'),
    invTemperature,
    inputs: where === undefined ? [checked.data] : [checked.data, where.data],
  };
}
