/** softmaxJacobian: one invocation per element of the [outer, n, inner, n] result. */
import type { JacobianArgs } from '@softmax-kit/core';
import { outerChunks, partMask } from '../chunks.js';
import type { GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';

const WORKGROUP = 64;

/** In chunks of whole slices when the result is larger than one binding. */
export async function softmaxJacobian(ctx: GpuContext, args: JacobianArgs): Promise<void> {
  const { view } = args;
  const per = view.n * view.inner;
  for (const [o0, o1] of outerChunks(view.outer, per * view.n * 4, ctx.maxBindingBytes)) {
    await jacobianChunk(ctx, {
      ...args,
      view: { outer: o1 - o0, n: view.n, inner: view.inner },
      mask: partMask(args.mask, view, o0, o1),
      y: args.y.subarray(o0 * per, o1 * per),
      out: args.out.subarray(o0 * per * view.n, o1 * per * view.n),
    });
  }
}

async function jacobianChunk(ctx: GpuContext, args: JacobianArgs): Promise<void> {
  const { view } = args;
  const total = args.out.length;
  const workgroups = Math.ceil(total / WORKGROUP);
  const call = ctx.call();
  const mask = uploadMask(call, args.mask);
  const pipeline = await call.pipeline('jacobian', { WG: WORKGROUP, MASK: mask.form });
  const out = call.output(args.out.byteLength);
  const params = call.params(
    sliceParams({
      n: view.n,
      inner: view.inner,
      count: total,
      gridX: call.gridX(workgroups),
      invT: args.invTemperature,
      nStride: mask.nStride,
      innerBase: mask.innerBase,
    }),
  );
  call.dispatch({
    pipeline,
    workgroups,
    bindings: { 0: params, 1: call.input(args.y), 2: out, 8: mask.words, 9: mask.offsets },
  });
  call.readInto(out, args.out as Float32Array);
  await call.run();
}
