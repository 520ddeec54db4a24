/**
 * Type tests for the js backend's factory (checked by `tsc -p test/tsconfig.json`, the
 * package's typecheck; never run): its declared sync kernels put `sm.sync` in the type.
 */
import { createSoftmax, type Tensor, tensor } from '@softmax-kit/core';
import { jsBackend } from '../../src/index.js';

export async function jsSyncIsTyped(): Promise<void> {
  // Under strict, without `?.` or `!`.
  const y: Tensor<Float32Array> = (await createSoftmax(jsBackend())).sync.softmax(tensor([1, 2, 3]));
  const sm = await createSoftmax([jsBackend(), jsBackend({ fastExp: false })]);
  const z: Tensor<Float64Array> = sm.sync.logSoftmax(tensor(new Float64Array([1, 2])));
  // @ts-expect-error a float64 input gives a float64 result
  const wrong: Tensor<Float32Array> = sm.sync.softmax(tensor(new Float64Array([1, 2])));
  void [y, z, wrong];
}
