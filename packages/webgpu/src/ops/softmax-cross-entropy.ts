/** softmaxCrossEntropy, fused per sample (see cross-entropy.wgsl); core reduces the losses. */
import type { CrossEntropyArgs } from '@softmax-kit/core';
import { outerChunks } from '../chunks.js';
import type { GpuContext } from '../gpu-context.js';
import { fusedPlan } from '../plan.js';

function crossEntropyParams(args: CrossEntropyArgs, gridX: number, sumWeights: number): ArrayBuffer {
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

/** In chunks of whole samples when the logits are larger than one binding. */
export async function softmaxCrossEntropy(ctx: GpuContext, args: CrossEntropyArgs): Promise<void> {
  const { view, target } = args;
  const per = view.n * view.inner;
  for (const [o0, o1] of outerChunks(view.outer, per * 4, ctx.maxBindingBytes)) {
    const [lo, hi] = [o0 * per, o1 * per];
    const samples = [o0 * view.inner, o1 * view.inner] as const;
    await crossEntropyChunk(ctx, {
      ...args,
      view: { outer: o1 - o0, n: view.n, inner: view.inner },
      logits: args.logits.subarray(lo, hi),
      gradOut: args.gradOut.subarray(lo, hi),
      lossOut: args.lossOut.subarray(...samples),
      target:
        target.kind === 'labels'
          ? { ...target, labels: target.labels.subarray(...samples) }
          : { ...target, probabilities: target.probabilities.subarray(lo, hi) },
    });
  }
}

async function crossEntropyChunk(ctx: GpuContext, args: CrossEntropyArgs): Promise<void> {
  const { view, weights, target } = args;
  const plan = fusedPlan(view, ctx.deviceClass);
  const call = ctx.call();
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
  const targetData = target.kind === 'labels' ? target.labels : target.probabilities;
  const grad = call.output(args.gradOut.byteLength);
  const loss = call.output(args.lossOut.byteLength);
  call.dispatch({
    pipeline,
    workgroups: plan.workgroups,
    bindings: {
      0: call.params(crossEntropyParams(args, call.gridX(plan.workgroups), sumWeights)),
      1: call.input(args.logits),
      2: grad,
      3: loss,
      4: call.input(targetData),
      5: call.input(weights ?? new Float32Array(1)),
    },
  });
  call.readInto(grad, args.gradOut as Float32Array);
  call.readInto(loss, args.lossOut as Float32Array);
  await call.run();
}
