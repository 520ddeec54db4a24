import { ValueError } from './errors.js';
import { flatValues, type Nested } from './nested.js';
import type { Labels } from './types.js';

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Builds integer class labels from nested integers (int32). */
export function labels(values: Nested<number>, options: { shape?: readonly number[] } = {}): Labels {
  const { flat, shape } = flatValues(values, options.shape, isInteger, 'an integer class index', 'values');
  const data = Int32Array.from(flat);
  for (let i = 0; i < flat.length; i++) {
    if (data[i] !== flat[i]) {
      throw new ValueError(`values: label ${flat[i]} at flat index ${i} does not fit in int32`, 'values');
    }
  }
  return { data, shape: [...shape] };
}
