/**
 * The Kernels of the native backend over a started raw binding. `sync` kernels run on the
 * calling thread (large inputs also on the pool, the calling thread helping) and return
 * undefined; `async` kernels hand large inputs to the pool and return a Promise that settles
 * on the JS thread once the outputs are written, so the event loop keeps running.
 */
import type { CrossEntropyArgs, KernelBase, Kernels } from '@softmax-kit/core';
import type { BindingResult, RawBackend } from './binding.js';

/** Writes the numbers of a family call into params (see binding.ts). */
function setParams(p: Float64Array, a: KernelBase, async: boolean): void {
  p[0] = a.view.outer;
  p[1] = a.view.n;
  p[2] = a.view.inner;
  p[3] = a.invTemperature;
  p[4] = a.mask === null ? 0 : a.mask.nStride;
  p[5] = async ? 1 : 0;
}

function crossEntropy(raw: RawBackend, a: CrossEntropyArgs, async: boolean): BindingResult {
  const p = raw.params;
  p[0] = a.view.outer;
  p[1] = a.view.n;
  p[2] = a.view.inner;
  p[3] = a.target.kind === 'labels' ? a.target.ignoreIndex : 0;
  p[4] = a.labelSmoothing;
  p[5] = a.gradScale;
  p[6] = a.lossScale;
  p[7] = async ? 1 : 0;
  const labels = a.target.kind === 'labels' ? a.target.labels : null;
  const probabilities = a.target.kind === 'probabilities' ? a.target.probabilities : null;
  return raw.softmaxCrossEntropy(a.logits, labels, probabilities, a.weights, a.lossOut, a.gradOut);
}

export function nativeKernels(raw: RawBackend, async: boolean): Kernels {
  const p = raw.params;
  return {
    softmax: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.softmax(a.x, a.out)
        : raw.softmax(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSoftmax: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.logSoftmax(a.x, a.out)
        : raw.logSoftmax(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSumExp: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.logSumExp(a.x, a.out)
        : raw.logSumExp(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxBackward: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.softmaxBackward(a.y, a.dy, a.out)
        : raw.softmaxBackward(a.y, a.dy, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSoftmaxBackward: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.logSoftmaxBackward(a.logp, a.dy, a.out)
        : raw.logSoftmaxBackward(a.logp, a.dy, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxJacobian: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.softmaxJacobian(a.y, a.out)
        : raw.softmaxJacobian(a.y, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxCrossEntropy: (a) => crossEntropy(raw, a, async),
  };
}
