import type { SoftmaxOptions } from '../options.js';
import type { Tensor } from '../types.js';
import { prepare } from './prepare.js';
import { checkOut, checkResultSize } from './validate.js';

/**
 * The Jacobian of softmax given its output y: shape y.shape + [n], with
 * J[..., j (at the axis), ..., k] = dy_j / dx_k = (y_j [j == k] - y_j y_k) / T,
 * and 0 in every row and column of a position that does not take part.
 */
export function softmaxJacobian(y: Tensor, options?: SoftmaxOptions): Tensor<Float64Array> {
  const prepared = prepare(y, options, 'y', 'softmaxJacobian');
  const n = y.shape[prepared.axis];
  checkResultSize(y.data.length * n, 'y');
  checkOut(options?.out, y.data, y.data.length * n);
  const result = new Float64Array(y.data.length * n);
  for (const slice of prepared.slices) {
    slice.forEach((row, j) => {
      slice.forEach((col, k) => {
        if (prepared.takesPart[row] === 0 || prepared.takesPart[col] === 0) return;
        const diagonal = j === k ? y.data[row] : 0;
        // Row `row` of the result starts at row * n: the element's own index with n appended.
        result[row * n + k] = (diagonal - y.data[row] * y.data[col]) / prepared.temperature;
      });
    });
  }
  return { data: result, shape: [...y.shape, n] };
}
