/** Which kernels a build has: the bits of its sk_kernels() export (csrc/exports.cc). */
import type { DType, OpName } from '@softmax-kit/core';

/** Bit k of sk_kernels() (float32; float64 is bit k + 8). */
const KERNEL_BITS = [
  'softmax',
  'logSoftmax',
  'logSumExp',
  'softmaxBackward',
  'logSoftmaxBackward',
  'softmaxJacobian',
  'softmaxCrossEntropy',
  'longRow',
] as const;

export type KernelName = (typeof KERNEL_BITS)[number];

export interface KernelSet {
  has(kernel: KernelName, dtype: DType): boolean;
}

export function kernelSet(bits: number): KernelSet {
  return {
    has(kernel, dtype) {
      const k = KERNEL_BITS.indexOf(kernel) + (dtype === 'float64' ? 8 : 0);
      return (bits & (1 << k)) !== 0;
    },
  };
}

/** The ops every build of this package has (declared before the module is loaded). */
export const WASM_OPS: readonly OpName[] = [
  'softmax',
  'logSoftmax',
  'logSumExp',
  'softmaxBackward',
  'logSoftmaxBackward',
  'softmaxJacobian',
  'softmaxCrossEntropy',
];
export const WASM_DTYPES: readonly DType[] = ['float32', 'float64'];
