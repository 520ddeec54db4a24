/**
 * The Kernels of the native backend over a started raw binding. `sync` kernels run on the
 * calling thread (large inputs also on the pool, the calling thread helping) and return
 * undefined; `async` kernels hand large inputs to the pool and return a Promise that settles
 * on the JS thread once the outputs are written, so the event loop keeps running.
 */
import type { CrossEntropyArgs, KernelBase, Kernels, MaskView } from '@softmax-kit/core';
import type { BindingResult, RawBackend } from './binding.js';

type MaskArgs = [Uint8Array | null, Int32Array | null, Int32Array | null, number];

const NO_MASK: MaskArgs = [null, null, null, 0];

function maskArgs(mask: MaskView | null): MaskArgs {
  return mask === null ? NO_MASK : [mask.data, mask.outerOffsets, mask.innerOffsets, mask.nStride];
}

function viewArgs(a: KernelBase): [number, number, number, number, ...MaskArgs] {
  const { outer, n, inner } = a.view;
  return [outer, n, inner, a.invTemperature, ...maskArgs(a.mask)];
}

function crossEntropy(raw: RawBackend, a: CrossEntropyArgs, async: boolean): BindingResult {
  const labels = a.target.kind === 'labels' ? a.target : null;
  const probabilities = a.target.kind === 'probabilities' ? a.target.probabilities : null;
  return raw.softmaxCrossEntropy(
    a.logits,
    labels?.labels ?? null,
    labels?.ignoreIndex ?? 0,
    probabilities,
    a.weights,
    a.labelSmoothing,
    a.gradScale,
    a.lossScale,
    a.lossOut,
    a.gradOut,
    a.view.outer,
    a.view.n,
    a.view.inner,
    async,
  );
}

export function nativeKernels(raw: RawBackend, async: boolean): Kernels {
  return {
    softmax: (a) => raw.softmax(a.x, a.out, ...viewArgs(a), async),
    logSoftmax: (a) => raw.logSoftmax(a.x, a.out, ...viewArgs(a), async),
    logSumExp: (a) => raw.logSumExp(a.x, a.out, ...viewArgs(a), async),
    softmaxBackward: (a) => raw.softmaxBackward(a.y, a.dy, a.out, ...viewArgs(a), async),
    logSoftmaxBackward: (a) => raw.logSoftmaxBackward(a.logp, a.dy, a.out, ...viewArgs(a), async),
    softmaxJacobian: (a) => raw.softmaxJacobian(a.y, a.out, ...viewArgs(a), async),
    softmaxCrossEntropy: (a) => crossEntropy(raw, a, async),
  };
}
