/**
 * Each op's kernel: its arguments described as a KernelJob (which arrays the export reads and
 * writes, which export runs), handed to the backend's runner. The same builders serve host
 * calls (every array a typed array: streamed through linear memory) and device calls (resident
 * arrays where they live, host ones copied in).
 */
import type {
  DeviceArray,
  DeviceKernels,
  FloatArray,
  KernelResult,
  Kernels,
  LabelTarget,
  MaskView,
  View,
} from '@softmax-kit/core';
import type { KernelJob, ResidentJob, StreamJob } from './stream-job.js';

type AnyArray = FloatArray | DeviceArray;

export type RunJob = (job: StreamJob) => KernelResult;
export type RunResident = (job: ResidentJob, lossTotal?: AnyArray) => Promise<void>;

const isFloat64 = (a: AnyArray) =>
  ArrayBuffer.isView(a) ? a instanceof Float64Array : a.dtype === 'float64';

interface Base {
  readonly view: View;
  readonly mask: MaskView | null;
  readonly invTemperature: number;
}

interface JobParts<A extends AnyArray> {
  readonly view: View;
  readonly first: A;
  readonly fullIn: readonly A[];
  readonly fullOut: readonly A[];
  readonly mask: MaskView | null;
  readonly fn: string;
  readonly scalars: readonly number[];
  readonly sampleIn?: readonly Int32Array[];
  readonly sampleOut?: readonly A[];
  readonly whole?: readonly (FloatArray | null)[];
  readonly outWidth?: number;
}

function job<A extends AnyArray>(p: JobParts<A>): KernelJob<A> {
  const f64 = isFloat64(p.first);
  return {
    view: p.view,
    elementBytes: f64 ? 8 : 4,
    fullIn: p.fullIn,
    fullOut: p.fullOut,
    outWidth: p.outWidth ?? 1,
    sampleIn: p.sampleIn ?? [],
    sampleOut: p.sampleOut ?? [],
    whole: p.whole ?? [],
    mask: p.mask,
    fn: `sk_${p.fn}_${f64 ? 'f64' : 'f32'}`,
    scalars: p.scalars,
  };
}

type Forward<A> = Base & { readonly x: A; readonly out: A };

export function softmaxJob<A extends AnyArray>(a: Forward<A>): KernelJob<A> {
  const { view, mask, x, out } = a;
  return job({
    view,
    mask,
    first: x,
    fullIn: [x],
    fullOut: [out],
    fn: 'softmax',
    scalars: [a.invTemperature],
  });
}

export function logSoftmaxJob<A extends AnyArray>(a: Forward<A>): KernelJob<A> {
  const { view, mask, x, out } = a;
  return job({
    view,
    mask,
    first: x,
    fullIn: [x],
    fullOut: [out],
    fn: 'log_softmax',
    scalars: [a.invTemperature],
  });
}

export function logSumExpJob<A extends AnyArray>(a: Forward<A>): KernelJob<A> {
  const { view, mask, x, out } = a;
  return job({
    view,
    mask,
    first: x,
    fullIn: [x],
    fullOut: [],
    sampleOut: [out],
    fn: 'log_sum_exp',
    scalars: [a.invTemperature],
  });
}

export function softmaxBackwardJob<A extends AnyArray>(
  a: Base & { readonly y: A; readonly dy: A; readonly out: A },
): KernelJob<A> {
  const { view, mask, y, dy, out } = a;
  return job({
    view,
    mask,
    first: y,
    fullIn: [y, dy],
    fullOut: [out],
    fn: 'softmax_backward',
    scalars: [a.invTemperature],
  });
}

export function logSoftmaxBackwardJob<A extends AnyArray>(
  a: Base & { readonly logp: A; readonly dy: A; readonly out: A },
): KernelJob<A> {
  const { view, mask, logp, dy, out } = a;
  return job({
    view,
    mask,
    first: logp,
    fullIn: [logp, dy],
    fullOut: [out],
    fn: 'log_softmax_backward',
    scalars: [a.invTemperature],
  });
}

export function softmaxJacobianJob<A extends AnyArray>(
  a: Base & { readonly y: A; readonly out: A },
): KernelJob<A> {
  const { view, mask, y, out } = a;
  return job({
    view,
    mask,
    first: y,
    fullIn: [y],
    fullOut: [out],
    outWidth: view.n,
    fn: 'softmax_jacobian',
    scalars: [a.invTemperature],
  });
}

interface CrossEntropy<A> {
  readonly view: View;
  readonly logits: A;
  readonly target: LabelTarget | { readonly kind: 'probabilities'; readonly probabilities: A };
  readonly labelSmoothing: number;
  readonly weights: FloatArray | null;
  readonly gradScale: number;
  readonly lossScale: number;
  readonly lossOut: A;
  readonly gradOut: A;
}

export function crossEntropyJob<A extends AnyArray>(a: CrossEntropy<A>): KernelJob<A> {
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

/** The kernels on resident (and host) arrays: every op (core needs them all). */
export function residentKernelsFor(run: RunResident): DeviceKernels {
  return {
    softmax: (a) => run(softmaxJob(a)),
    logSoftmax: (a) => run(logSoftmaxJob(a)),
    logSumExp: (a) => run(logSumExpJob(a)),
    softmaxBackward: (a) => run(softmaxBackwardJob(a)),
    logSoftmaxBackward: (a) => run(logSoftmaxBackwardJob(a)),
    softmaxJacobian: (a) => run(softmaxJacobianJob(a)),
    softmaxCrossEntropy: (a, lossTotal) => run(crossEntropyJob(a), lossTotal),
  };
}
