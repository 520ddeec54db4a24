/**
 * Gradients checked against central finite differences of the forward op: on the backend's own
 * float64 path when it declares float64, else on the float64 reference (a looser check, since
 * the backend's float32 gradient is then compared with a float64 derivative).
 */
import type { DType, Tensor } from '../types.js';
import type { BackendInfo } from './case.js';
import type { Tolerance } from './tolerance.js';

export interface DifferencePath {
  /** The dtype the backend's gradient is computed in. */
  readonly dtype: DType;
  /** True when the forward op of the differences runs on the backend (float64), else the reference. */
  readonly onBackend: boolean;
  readonly tolerance: Tolerance;
}

export function differencePath(backend: BackendInfo): DifferencePath {
  return backend.capabilities.dtypes.includes('float64')
    ? { dtype: 'float64', onBackend: true, tolerance: { rel: 1e-5, abs: 1e-6 } }
    : { dtype: 'float32', onBackend: false, tolerance: { rel: 1e-4, abs: 1e-5 } };
}

const STEP = 1e-5;

/** d f / d x_k for every k, by (f(x + h e_k) - f(x - h e_k)) / 2h, with x in float64. */
export async function numericGradient(
  x: Tensor,
  f: (x: Tensor<Float64Array>) => Promise<number>,
): Promise<Float64Array> {
  const base = Float64Array.from(x.data);
  const gradient = new Float64Array(base.length);
  for (let k = 0; k < base.length; k++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[k] += STEP;
    minus[k] -= STEP;
    const up = await f({ data: plus, shape: x.shape });
    const down = await f({ data: minus, shape: x.shape });
    gradient[k] = (up - down) / (2 * STEP);
  }
  return gradient;
}

/** sum_k w_k v_k over the finite v_k (masked log-softmax entries are -Infinity and have no derivative). */
export function weightedSum(weights: ArrayLike<number>, values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k])) sum += weights[k] * values[k];
  return sum;
}
