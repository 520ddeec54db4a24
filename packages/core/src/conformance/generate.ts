/** Helpers for the groups whose cases are generated in code (sweeps and properties). */
import type { LogSumExpOptions } from '../options.js';
import * as reference from '../reference/index.js';
import type { DType, Mask, OpName, Tensor } from '../types.js';
import type { CaseContext, ConformanceCase } from './case.js';
import { randomFlags, uniformValues } from './random.js';
import { castTensor, makeMask, makeTensor, sizeOf } from './tensors.js';

export const BOTH_DTYPES: readonly DType[] = ['float32', 'float64'];

/** A stable seed from a case name, so each case has its own deterministic inputs. */
export function seedOf(name: string): number {
  let hash = 2166136261;
  for (let k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), 16777619);
  return hash >>> 0;
}

export function makeCase(
  name: string,
  ops: readonly OpName[],
  dtypes: readonly DType[],
  elements: number,
  run: (context: CaseContext) => Promise<unknown>,
): ConformanceCase {
  return {
    name,
    ops,
    dtypes,
    elements,
    run: async (context) => {
      await run(context);
    },
  };
}

export function randomTensor(dtype: DType, shape: readonly number[], seed: number, scale = 4): Tensor {
  return makeTensor(dtype, uniformValues(sizeOf(shape), seed, scale), shape);
}

export function randomMask(shape: readonly number[], seed: number, keep = 0.7): Mask {
  return makeMask(randomFlags(sizeOf(shape), seed, keep), shape);
}

/** softmax(x) from the reference, rounded to `dtype`: a realistic y for the backward ops. */
export function softmaxOf(x: Tensor, options: LogSumExpOptions | undefined): Tensor {
  return castTensor(
    reference.softmax(x, { ...options, out: undefined }),
    x.data instanceof Float64Array ? 'float64' : 'float32',
  );
}

/** log-softmax(x) from the reference, rounded to `dtype` (-Infinity where masked). */
export function logSoftmaxOf(x: Tensor, options: LogSumExpOptions | undefined): Tensor {
  return castTensor(
    reference.logSoftmax(x, { ...options, out: undefined }),
    x.data instanceof Float64Array ? 'float64' : 'float32',
  );
}

export function shapeName(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
