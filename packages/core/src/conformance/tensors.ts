/** Building the suite's inputs directly as the public types (no dependency on core's helpers). */
import type { DType, FloatArray, Labels, Mask, Tensor } from '../types.js';

export function floatArray(dtype: DType, values: ArrayLike<number> | number): FloatArray {
  if (typeof values === 'number')
    return dtype === 'float64' ? new Float64Array(values) : new Float32Array(values);
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

export function makeTensor(dtype: DType, values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return { data: floatArray(dtype, values), shape: [...shape] };
}

export function makeMask(flags: ArrayLike<number>, shape: readonly number[]): Mask {
  return { data: Uint8Array.from(flags), shape: [...shape] };
}

export function makeLabels(values: ArrayLike<number>, shape: readonly number[]): Labels {
  return { data: Int32Array.from(values), shape: [...shape] };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** A copy of a tensor, so inputs can be checked unmodified and perturbed freely. */
export function cloneTensor<T extends Tensor>(t: T): T {
  return { ...t, data: t.data.slice(), shape: [...t.shape] };
}

/** The same values in another dtype. */
export function castTensor(t: Tensor, dtype: DType): Tensor {
  return makeTensor(dtype, t.data, t.shape);
}

export function causalFlags(rows: number, cols = rows): number[] {
  const flags: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) flags.push(j <= i + (cols - rows) ? 1 : 0);
  return flags;
}
