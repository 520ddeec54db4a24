/** softmaxJacobian: one invocation per element of the [outer, n, inner, n] result. */
import type { JacobianArgs } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';

const WORKGROUP = 64;

export async function softmaxJacobian(ctx: GpuContext, args: JacobianArgs): Promise<void> {
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
