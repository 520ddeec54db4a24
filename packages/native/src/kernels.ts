/**
 * The Kernels of the native backend over a started raw binding. `sync` kernels run on the
 * calling thread (large inputs also on the pool, the calling thread helping) and return
 * undefined; `async` kernels hand large inputs to the pool and return a Promise that settles
 * on the JS thread once the outputs are written, so the event loop keeps running.
 */
import type { CrossEntropyArgs, KernelBase, Kernels } from '@softmax-kit/core';
import type { BindingResult, FloatArray, RawBackend } from './binding.js';
import { TinyArrays } from './tiny-arrays.js';

/** Writes the numbers of a family call into params (see binding.ts). */
function setParams(p: Float64Array, a: KernelBase, async: boolean): void {
  p[0] = a.view.outer;
  p[1] = a.view.n;
  p[2] = a.view.inner;
  p[3] = a.invTemperature;
  p[4] = a.mask === null ? 0 : a.mask.nStride;
  p[5] = async ? 1 : 0;
}

/** params slots of a staged cross-entropy (binding.ts) */
const CE_F64 = 8;
const CE_PROBABILITIES = 9;
const CE_WEIGHTS = 10;

function crossEntropy(
  raw: RawBackend,
  tiny: TinyArrays | null,
  a: CrossEntropyArgs,
  async: boolean,
): BindingResult {
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
  const target = labels ?? probabilities;
  if (
    tiny === null ||
    target === null ||
    !TinyArrays.fits(a.logits, target, a.weights, a.lossOut, a.gradOut)
  ) {
    return raw.softmaxCrossEntropy(a.logits, labels, probabilities, a.weights, a.lossOut, a.gradOut);
  }
  // staged: logits, target, weights in slots 0-2, the loss and the grad come back in 3 and 4
  p[CE_F64] = a.logits instanceof Float64Array ? 1 : 0;
  p[CE_PROBABILITIES] = probabilities === null ? 0 : 1;
  p[CE_WEIGHTS] = a.weights === null ? 0 : 1;
  tiny.input(a.logits, 0);
  tiny.input(target, 1);
  if (a.weights !== null) tiny.input(a.weights, 2);
  raw.softmaxCrossEntropyStaged();
  tiny.finish(a.lossOut, 3);
  return tiny.finish(a.gradOut, 4);
}

/** An unmasked call of (input, out) or (input, input2, out); when staged, its arrays are in the stage. */
type Run2 = (x: FloatArray, out: FloatArray) => BindingResult;
type Run3 = (a: FloatArray, b: FloatArray, out: FloatArray) => BindingResult;
type Staged = () => undefined;

/** params slot of a staged call's dtype (binding.ts) */
const STAGED_F64 = 6;

export function nativeKernels(raw: RawBackend, async: boolean): Kernels {
  const p = raw.params;
  const tiny = async ? null : new TinyArrays(raw.stage);
  const two = (run: Run2, staged: Staged, x: FloatArray, out: FloatArray): BindingResult => {
    if (tiny === null || !TinyArrays.fits(x, out)) return run(x, out);
    tiny.input(x, 0);
    p[STAGED_F64] = x instanceof Float64Array ? 1 : 0;
    staged();
    return tiny.finish(out, 1);
  };
  const three = (run: Run3, staged: Staged, a: FloatArray, b: FloatArray, out: FloatArray): BindingResult => {
    if (tiny === null || !TinyArrays.fits(a, b, out)) return run(a, b, out);
    tiny.input(a, 0);
    tiny.input(b, 1);
    p[STAGED_F64] = a instanceof Float64Array ? 1 : 0;
    staged();
    return tiny.finish(out, 2);
  };
  const softmax: Run2 = (x, out) => raw.softmax(x, out);
  const logSoftmax: Run2 = (x, out) => raw.logSoftmax(x, out);
  const logSumExp: Run2 = (x, out) => raw.logSumExp(x, out);
  const softmaxBackward: Run3 = (y, dy, out) => raw.softmaxBackward(y, dy, out);
  const logSoftmaxBackward: Run3 = (logp, dy, out) => raw.logSoftmaxBackward(logp, dy, out);
  const softmaxStaged: Staged = () => raw.softmaxStaged();
  const logSoftmaxStaged: Staged = () => raw.logSoftmaxStaged();
  const logSumExpStaged: Staged = () => raw.logSumExpStaged();
  const softmaxBackwardStaged: Staged = () => raw.softmaxBackwardStaged();
  const logSoftmaxBackwardStaged: Staged = () => raw.logSoftmaxBackwardStaged();
  return {
    softmax: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? two(softmax, softmaxStaged, a.x, a.out)
        : raw.softmax(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSoftmax: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? two(logSoftmax, logSoftmaxStaged, a.x, a.out)
        : raw.logSoftmax(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSumExp: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? two(logSumExp, logSumExpStaged, a.x, a.out)
        : raw.logSumExp(a.x, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxBackward: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? three(softmaxBackward, softmaxBackwardStaged, a.y, a.dy, a.out)
        : raw.softmaxBackward(a.y, a.dy, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    logSoftmaxBackward: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? three(logSoftmaxBackward, logSoftmaxBackwardStaged, a.logp, a.dy, a.out)
        : raw.logSoftmaxBackward(a.logp, a.dy, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxJacobian: (a) => {
      setParams(p, a, async);
      const m = a.mask;
      return m === null
        ? raw.softmaxJacobian(a.y, a.out)
        : raw.softmaxJacobian(a.y, a.out, m.data, m.outerOffsets, m.innerOffsets);
    },
    softmaxCrossEntropy: (a) => crossEntropy(raw, tiny, a, async),
  };
}
