/**
 * The Kernels of the native backend over a started raw binding. `sync` kernels run on the
 * calling thread (large inputs also on the pool, the calling thread helping) and return
 * undefined; `async` kernels hand large inputs to the pool and return a Promise that settles
 * on the JS thread once the outputs are written, so the event loop keeps running.
 */
import type {
  CrossEntropyArgs,
  FloatArray,
  ForwardArgs,
  JacobianArgs,
  KernelBase,
  Kernels,
  LogSumExpArgs,
} from '@softmax-kit/core';
import type { BindingResult, RawBackend } from './binding.js';

// Arguments are written out, not spread: this is the per-call path of small inputs.
function forward(
  call: RawBackend['softmax'],
  raw: RawBackend,
  a: ForwardArgs | LogSumExpArgs,
  async: boolean,
): BindingResult {
  const m = a.mask;
  const { outer, n, inner } = a.view;
  return m === null
    ? call.call(raw, a.x, a.out, outer, n, inner, a.invTemperature, null, null, null, 0, async)
    : call.call(
        raw,
        a.x,
        a.out,
        outer,
        n,
        inner,
        a.invTemperature,
        m.data,
        m.outerOffsets,
        m.innerOffsets,
        m.nStride,
        async,
      );
}

function backward(
  call: RawBackend['softmaxBackward'],
  raw: RawBackend,
  a: KernelBase & { readonly dy: FloatArray; readonly out: FloatArray },
  first: FloatArray,
  async: boolean,
): BindingResult {
  const m = a.mask;
  const { outer, n, inner } = a.view;
  return m === null
    ? call.call(raw, first, a.dy, a.out, outer, n, inner, a.invTemperature, null, null, null, 0, async)
    : call.call(
        raw,
        first,
        a.dy,
        a.out,
        outer,
        n,
        inner,
        a.invTemperature,
        m.data,
        m.outerOffsets,
        m.innerOffsets,
        m.nStride,
        async,
      );
}

function jacobian(raw: RawBackend, a: JacobianArgs, async: boolean): BindingResult {
  const m = a.mask;
  const { outer, n, inner } = a.view;
  return m === null
    ? raw.softmaxJacobian(a.y, a.out, outer, n, inner, a.invTemperature, null, null, null, 0, async)
    : raw.softmaxJacobian(
        a.y,
        a.out,
        outer,
        n,
        inner,
        a.invTemperature,
        m.data,
        m.outerOffsets,
        m.innerOffsets,
        m.nStride,
        async,
      );
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
    softmax: (a) => forward(raw.softmax, raw, a, async),
    logSoftmax: (a) => forward(raw.logSoftmax, raw, a, async),
    logSumExp: (a) => forward(raw.logSumExp, raw, a, async),
    softmaxBackward: (a) => backward(raw.softmaxBackward, raw, a, a.y, async),
    logSoftmaxBackward: (a) => backward(raw.logSoftmaxBackward, raw, a, a.logp, async),
    softmaxJacobian: (a) => jacobian(raw, a, async),
    softmaxCrossEntropy: (a) => crossEntropy(raw, a, async),
  };
}
