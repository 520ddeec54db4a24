/** softmaxJacobian: one invocation per element of the [outer, n, inner, n] result. */
import type { JacobianArgs, OnDevice } from '@softmax-kit/core';
import { outerChunks, part, partMask } from '../chunks.js';
import type { GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';

const WORKGROUP = 64;

/** Host or device arrays, in chunks of whole slices when the result is larger than one binding. */
export async function softmaxJacobian(ctx: GpuContext, args: OnDevice<JacobianArgs>): Promise<void> {
  const { view } = args;
  const per = view.n * view.inner;
  const outPer = per * view.n;
  for (const [o0, o1] of outerChunks(view.outer, outPer * 4, ctx.maxBindingBytes)) {
    const chunk = { outer: o1 - o0, n: view.n, inner: view.inner };
    const total = chunk.outer * outPer;
    const workgroups = Math.ceil(total / WORKGROUP);
    const call = ctx.call();
    const mask = uploadMask(call, partMask(args.mask, view, o0, o1));
    const pipeline = await call.pipeline('jacobian', { WG: WORKGROUP, MASK: mask.form });
    const out = call.result(part(args.out, o0 * outPer, o1 * outPer));
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
    const y = call.bind(part(args.y, o0 * per, o1 * per));
    call.dispatch({
      pipeline,
      workgroups,
      bindings: { 0: params, 1: y, 2: out, 8: mask.words, 9: mask.offsets },
    });
    await call.run();
  }
}
