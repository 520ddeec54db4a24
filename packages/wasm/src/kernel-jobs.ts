/**
 * Each op's kernel: its arguments described as a StreamJob (which arrays stream through
 * linear memory, which export runs on each block), handed to the backend's runner.
 */
import type {
  CrossEntropyArgs,
  FloatArray,
  ForwardArgs,
  JacobianArgs,
  KernelResult,
  Kernels,
  LogSoftmaxBackwardArgs,
  LogSumExpArgs,
  MaskView,
  SoftmaxBackwardArgs,
  View,
} from '@softmax-kit/core';
import type { StreamJob } from './stream-job.js';

export type RunJob = (job: StreamJob) => KernelResult;

const suffix = (a: FloatArray) => (a instanceof Float64Array ? 'f64' : 'f32');
const bytes = (a: FloatArray): 4 | 8 => (a instanceof Float64Array ? 8 : 4);

interface JobParts {
  readonly view: View;
  readonly first: FloatArray;
  readonly fullIn: readonly FloatArray[];
  readonly fullOut: readonly FloatArray[];
  readonly mask: MaskView | null;
  readonly fn: string;
  readonly scalars: readonly number[];
  readonly sampleIn?: readonly Int32Array[];
  readonly sampleOut?: readonly FloatArray[];
  readonly whole?: readonly (FloatArray | null)[];
  readonly outWidth?: number;
}

function job(p: JobParts): StreamJob {
  return {
    view: p.view,
    elementBytes: bytes(p.first),
    fullIn: p.fullIn,
    fullOut: p.fullOut,
    outWidth: p.outWidth ?? 1,
    sampleIn: p.sampleIn ?? [],
    sampleOut: p.sampleOut ?? [],
    whole: p.whole ?? [],
    mask: p.mask,
    fn: `sk_${p.fn}_${suffix(p.first)}`,
    scalars: p.scalars,
  };
}

export function softmaxJob(a: ForwardArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.x,
    fullIn: [a.x],
    fullOut: [a.out],
    fn: 'softmax',
    scalars: [a.invTemperature],
  });
}

export function logSoftmaxJob(a: ForwardArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.x,
    fullIn: [a.x],
    fullOut: [a.out],
    fn: 'log_softmax',
    scalars: [a.invTemperature],
  });
}

export function logSumExpJob(a: LogSumExpArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.x,
    fullIn: [a.x],
    fullOut: [],
    sampleOut: [a.out],
    fn: 'log_sum_exp',
    scalars: [a.invTemperature],
  });
}

export function softmaxBackwardJob(a: SoftmaxBackwardArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.y,
    fullIn: [a.y, a.dy],
    fullOut: [a.out],
    fn: 'softmax_backward',
    scalars: [a.invTemperature],
  });
}

export function logSoftmaxBackwardJob(a: LogSoftmaxBackwardArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.logp,
    fullIn: [a.logp, a.dy],
    fullOut: [a.out],
    fn: 'log_softmax_backward',
    scalars: [a.invTemperature],
  });
}

export function softmaxJacobianJob(a: JacobianArgs): StreamJob {
  return job({
    view: a.view,
    mask: a.mask,
    first: a.y,
    fullIn: [a.y],
    fullOut: [a.out],
    outWidth: a.view.n,
    fn: 'softmax_jacobian',
    scalars: [a.invTemperature],
  });
}

export function crossEntropyJob(a: CrossEntropyArgs): StreamJob {
  const base = { view: a.view, first: a.logits, mask: null, sampleOut: [a.lossOut], whole: [a.weights] };
  if (a.target.kind === 'labels') {
    return job({
      ...base,
      fullIn: [a.logits],
      fullOut: [a.gradOut],
      sampleIn: [a.target.labels],
      fn: 'ce_labels',
      scalars: [a.target.ignoreIndex, a.labelSmoothing, a.gradScale, a.lossScale],
    });
  }
  return job({
    ...base,
    fullIn: [a.logits, a.target.probabilities],
    fullOut: [a.gradOut],
    fn: 'ce_probs',
    scalars: [a.labelSmoothing, a.gradScale, a.lossScale],
  });
}

/** The kernels, each present only when the build has it (for float32 at least). */
export function kernelsFor(run: RunJob, has: (op: keyof Kernels) => boolean): Kernels {
  const all: Kernels = {
    softmax: (a) => run(softmaxJob(a)),
    logSoftmax: (a) => run(logSoftmaxJob(a)),
    logSumExp: (a) => run(logSumExpJob(a)),
    softmaxBackward: (a) => run(softmaxBackwardJob(a)),
    logSoftmaxBackward: (a) => run(logSoftmaxBackwardJob(a)),
    softmaxJacobian: (a) => run(softmaxJacobianJob(a)),
    softmaxCrossEntropy: (a) => run(crossEntropyJob(a)),
  };
  const kernels: Record<string, unknown> = {};
  for (const [op, kernel] of Object.entries(all)) if (has(op as keyof Kernels)) kernels[op] = kernel;
  return kernels as Kernels;
}
