import { describeValue } from './describe.js';
import { ValueError } from './errors.js';
import { allocateBytes } from './limits.js';
import { flatValues, type Nested } from './nested.js';
import type { Mask, Tensor } from './types.js';
import { checkTensor } from './validate/arrays.js';
import { checkOptionKeys } from './validate/option-keys.js';

const isMaskValue = (v: unknown): v is boolean | number => typeof v === 'boolean' || typeof v === 'number';

/** Builds a mask from nested booleans or 0/1 numbers (or flat ones and a shape); true / non-zero = takes part. */
export function mask(
  values: Nested<boolean | number> | ArrayLike<number>,
  options?: { shape?: readonly number[] },
): Mask {
  const o = checkOptionKeys(options, ['shape'], 'mask');
  const { flat, shape } = flatValues(values, o.shape, isMaskValue, 'a boolean or number', 'values');
  const data = new Uint8Array(flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i] ? 1 : 0;
  return { data, shape: [...shape] };
}

/** Mask of the elements of `x` for which `predicate` holds, e.g. softmax over non-zero entries only. */
export function maskWhere(x: Tensor, predicate: (value: number, index: number) => boolean): Mask {
  const checked = checkTensor(x, 'x');
  if (typeof predicate !== 'function') {
    throw new ValueError(`predicate must be a function, got ${describeValue(predicate)}`, 'predicate');
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
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new ValueError(
        `causalMask: ${name} must be a non-negative integer, got ${describeValue(v)}`,
        name,
      );
    }
  }
  const data = allocateBytes(rows * cols, `causalMask(${rows}, ${cols})`, rows > cols ? 'rows' : 'cols');
  if (data.length === 0) return { data, shape: [rows, cols] };
  const shift = cols - rows;
  for (let i = 0; i < rows; i++) {
    const end = Math.min(cols, i + shift + 1);
    if (end > 0) data.fill(1, i * cols, i * cols + end);
  }
  return { data, shape: [rows, cols] };
}
