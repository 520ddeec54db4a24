/** softmaxBackward and logSoftmaxBackward share one shader: a per-slice sum, then the outputs. */
import type { DeviceArray, FloatArray, KernelBase } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';
import { backwardRowsPlan, fusedPlan } from '../plan.js';

export const SOFTMAX_BACKWARD = 0;
export const LOG_SOFTMAX_BACKWARD = 1;

export async function runBackward(
  ctx: GpuContext,
  op: typeof SOFTMAX_BACKWARD | typeof LOG_SOFTMAX_BACKWARD,
  args: KernelBase,
  a: FloatArray | DeviceArray,
  dy: FloatArray | DeviceArray,
  outArray: FloatArray | DeviceArray,
): Promise<void> {
  const { view } = args;
  const call = ctx.call();
  const mask = uploadMask(call, args.mask);
  const rows = mask.form === 2 ? null : backwardRowsPlan(view, ctx.deviceClass);
  const plan = rows ?? fusedPlan(view, ctx.deviceClass);
  const pipeline = rows
    ? await call.pipeline('backward-rows', {
        WG: rows.workgroupSize,
        LANES: rows.lanes,
        OP: op,
        DENSE_MASK: mask.form,
      })
    : await call.pipeline('backward', {
        WG: plan.workgroupSize,
        LANES: plan.lanes,
        OP: op,
        MASK: mask.form,
      });
  const out = call.result(outArray);
  const params = call.params(
    sliceParams({
      n: view.n,
      inner: view.inner,
      count: view.outer * view.inner,
      gridX: call.gridX(plan.workgroups),
      invT: args.invTemperature,
      nStride: mask.nStride,
      innerBase: mask.innerBase,
    }),
  );
  call.dispatch({
    pipeline,
    workgroups: plan.workgroups,
    bindings: { 0: params, 1: call.bind(a), 2: out, 4: call.bind(dy), 8: mask.words, 9: mask.offsets },
  });
  await call.run();
}
