import { ValueError } from './errors.js';
import { flatValues, type Nested } from './nested.js';
import type { Labels } from './types.js';
import { checkOptionKeys } from './validate/option-keys.js';

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Builds integer class labels (int32) from nested integers, or flat ones and a shape. */
export function labels(
  values: Nested<number> | ArrayLike<number>,
  options?: { shape?: readonly number[] },
): Labels {
  const o = checkOptionKeys(options, ['shape'], 'labels');
  const { flat, shape } = flatValues(values, o.shape, isInteger, 'an integer class index', 'values');
  const data = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    data[i] = flat[i];
    if (data[i] !== flat[i]) {
      throw new ValueError(
        `values: label ${flat[i]} at flat index ${i} is not an integer that fits in int32`,
        'values',
      );
    }
  }
  return { data, shape: [...shape] };
}
