/**
 * softmaxCrossEntropy, fused per sample (see cross-entropy.wgsl). Logits, probability targets
 * and both outputs may be host or device arrays; labels and weights are uploaded. With
 * `lossTotal` the per-sample losses are also summed on the device (loss-sum.wgsl).
 */
import type { DeviceArray, DeviceCrossEntropyArgs, FloatArray } from '@softmax-kit/core';
import { outerChunks, part } from '../chunks.js';
import type { Binding, GpuCall, GpuContext } from '../gpu-context.js';
import { fusedPlan } from '../plan.js';

const SUM_WORKGROUP = 256;

function crossEntropyParams(args: DeviceCrossEntropyArgs, gridX: number, sumWeights: number): ArrayBuffer {
  const buffer = new ArrayBuffer(48);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  const i = new Int32Array(buffer);
  u[0] = args.view.n;
  u[1] = args.view.inner;
  u[2] = args.view.outer * args.view.inner;
  u[3] = gridX;
  f[4] = args.labelSmoothing;
  f[5] = args.gradScale;
  i[6] = args.target.kind === 'labels' ? args.target.ignoreIndex : 0;
  f[7] = sumWeights;
  f[8] = args.lossScale;
  return buffer;
}

/** The buffers of one chunk. */
interface Bound {
  readonly logits: Binding;
  readonly grad: Binding;
  readonly loss: Binding;
  /** labels (i32) or probabilities, as `args.target.kind` says */
  readonly target: Binding;
}

/** In chunks of whole samples when the logits are larger than one binding. */
export async function softmaxCrossEntropy(
  ctx: GpuContext,
  args: DeviceCrossEntropyArgs,
  lossTotal?: FloatArray | DeviceArray,
): Promise<void> {
  const { view, target } = args;
  const per = view.n * view.inner;
  const ranges = outerChunks(view.outer, per * 4, ctx.maxBindingBytes);
  for (const [o0, o1] of ranges) {
    const [lo, hi] = [o0 * per, o1 * per];
    const [s0, s1] = [o0 * view.inner, o1 * view.inner];
    const call = ctx.call();
    const loss = call.result(part(args.lossOut, s0, s1));
    const chunkView = { outer: o1 - o0, n: view.n, inner: view.inner };
    await encodeCrossEntropy(call, args, chunkView, {
      logits: call.bind(part(args.logits, lo, hi)),
      grad: call.result(part(args.gradOut, lo, hi)),
      loss,
      target:
        target.kind === 'labels'
          ? call.input(target.labels.subarray(s0, s1))
          : call.bind(part(target.probabilities, lo, hi)),
    });
    // One chunk: the sum reads the losses in the same command encoder.
    if (lossTotal && ranges.length === 1) await encodeLossSum(call, loss, s1 - s0, lossTotal);
    await call.run();
  }
  if (lossTotal && ranges.length > 1) {
    const call = ctx.call();
    await encodeLossSum(call, call.bind(args.lossOut), view.outer * view.inner, lossTotal);
    await call.run();
  }
}

async function encodeCrossEntropy(
  call: GpuCall,
  args: DeviceCrossEntropyArgs,
  view: DeviceCrossEntropyArgs['view'],
  bound: Bound,
): Promise<void> {
  const { weights, target } = args;
  const plan = fusedPlan(view, call.deviceClass);
  const pipeline = await call.pipeline('cross-entropy', {
    WG: plan.workgroupSize,
    LANES: plan.lanes,
    TARGET: target.kind === 'labels' ? 0 : 1,
    WEIGHTED: weights === null ? 0 : 1,
  });
  let sumWeights = view.n;
  if (weights !== null) {
    sumWeights = 0;
    for (let c = 0; c < weights.length; c++) sumWeights += weights[c];
  }
  call.dispatch({
    pipeline,
    workgroups: plan.workgroups,
    bindings: {
      0: call.params(crossEntropyParams({ ...args, view }, call.gridX(plan.workgroups), sumWeights)),
      1: bound.logits,
      2: bound.grad,
      3: bound.loss,
      4: bound.target,
      5: call.input(weights ?? new Float32Array(1)),
    },
  });
}

/** total[0] = the sum of `count` losses, in one workgroup. */
async function encodeLossSum(
  call: GpuCall,
  losses: Binding,
  count: number,
  total: FloatArray | DeviceArray,
): Promise<void> {
  const pipeline = await call.pipeline('loss-sum', { WG: SUM_WORKGROUP });
  const params = new Uint32Array(4);
  params[0] = count;
  call.dispatch({
    pipeline,
    workgroups: 1,
    bindings: { 0: call.params(params.buffer), 1: losses, 2: call.result(total) },
  });
}
