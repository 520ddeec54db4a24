import type { MaskView, View } from '../backend.js';
import { broadcastStrides, canonicalMask, canonicalView } from '../canonical.js';
import type { Mask } from '../types.js';
import { type CheckedTensor, checkMask } from '../validate/arrays.js';
import { checkTemperature, normalizeAxis } from '../validate/options.js';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The validated options common to the softmax family, in canonical form. */
export interface Family {
  readonly axis: number;
  readonly view: View;
  readonly temperature: number;
  /**
   * True when 1 / temperature is not representable in the input's dtype (a temperature below
   * about 5.6e-309 in float64, 2.9e-39 in float32): core then scales the data itself and
   * runs the kernel with invTemperature 1 (see extreme-temperature.ts).
   */
  readonly extreme: boolean;
  readonly where: Mask | undefined;
  readonly whereStrides: readonly number[] | undefined;
}

/** Checks axis, temperature and where (in that order) against the op's first tensor. */
export function checkFamily(
  options: Readonly<Record<string, unknown>>,
  x: Pick<CheckedTensor, 'shape' | 'dtype'>,
): Family {
  const axis = normalizeAxis(options.axis, x.shape);
  const temperature = checkTemperature(options.temperature);
  const where = options.where === undefined ? undefined : checkMask(options.where, 'options.where');
  const whereStrides = where === undefined ? undefined : broadcastStrides(where, x.shape, 'options.where');
  return {
    axis,
    view: canonicalView(x.shape, axis),
    temperature,
    extreme: !(1 / temperature <= (x.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE)),
    where,
    whereStrides,
  };
}

/** The 1 / temperature a kernel gets. */
export function kernelInvTemperature(family: Family): number {
  return family.extreme ? 1 : 1 / family.temperature;
}

/** The mask as kernels see it; built only for a non-empty input. */
export function familyMask(family: Family, shape: readonly number[]): MaskView | null {
  if (family.where === undefined || family.whereStrides === undefined) return null;
  return canonicalMask(family.where, family.whereStrides, shape, family.axis);
}

/** Every input array of a call, so that `out` can be checked not to share memory with one. */
export function familyInputs(family: Family, ...tensors: CheckedTensor[]): ArrayBufferView[] {
  const arrays: ArrayBufferView[] = tensors.map((t) => t.data);
  if (family.where !== undefined) arrays.push(family.where.data);
  return arrays;
}
