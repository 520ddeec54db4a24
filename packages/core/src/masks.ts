import { typeName } from './describe.js';
import { ValueError } from './errors.js';
import { flatValues, type Nested } from './nested.js';
import type { Mask, Tensor } from './types.js';
import { checkTensor } from './validate/arrays.js';

const isMaskValue = (v: unknown): v is boolean | number => typeof v === 'boolean' || typeof v === 'number';

/** Builds a mask from nested booleans or 0/1 numbers; true / non-zero = takes part. */
export function mask(values: Nested<boolean | number>, options: { shape?: readonly number[] } = {}): Mask {
  const { flat, shape } = flatValues(values, options.shape, isMaskValue, 'a boolean or number', 'values');
  const data = new Uint8Array(flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i] ? 1 : 0;
  return { data, shape: [...shape] };
}

/** Mask of the elements of `x` for which `predicate` holds, e.g. softmax over non-zero entries only. */
export function maskWhere(x: Tensor, predicate: (value: number, index: number) => boolean): Mask {
  const checked = checkTensor(x, 'x');
  if (typeof predicate !== 'function') {
    throw new ValueError(`predicate must be a function, got ${typeName(predicate)}`, 'predicate');
  }
  const data = new Uint8Array(checked.data.length);
  for (let i = 0; i < data.length; i++) data[i] = predicate(checked.data[i], i) ? 1 : 0;
  return { data, shape: [...checked.shape] };
}

/**
 * A causal (lower-triangular) attention mask of shape [rows, cols]: query i may attend to
 * key j iff j <= i + (cols - rows), so the last query sees every key. Broadcasts over
 * leading batch and head dimensions of scores shaped [..., rows, cols].
 */
export function causalMask(rows: number, cols: number = rows): Mask {
  for (const [name, v] of [
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(`causalMask: ${name} must be a non-negative integer, got ${String(v)}`, name);
    }
  }
  const data = new Uint8Array(rows * cols);
  const shift = cols - rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols && j <= i + shift; j++) data[i * cols + j] = 1;
  }
  return { data, shape: [rows, cols] };
}
