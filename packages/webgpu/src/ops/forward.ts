/**
 * softmax, log-softmax and log-sum-exp share one driver: slice statistics (max, sum,
 * +Infinity count, NaN flag) then the outputs, fused per slice or split over workgroups for
 * long slices (see plan.ts).
 */
import type { ForwardArgs, LogSumExpArgs } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';
import { forwardPlan } from '../plan.js';

/** The OP override of the forward shaders. */
export const SOFTMAX = 0;
export const LOG_SOFTMAX = 1;
export const LOG_SUM_EXP = 2;
export type ForwardOp = typeof SOFTMAX | typeof LOG_SOFTMAX | typeof LOG_SUM_EXP;

export async function runForward(
  ctx: GpuContext,
  op: ForwardOp,
  args: ForwardArgs | LogSumExpArgs,
): Promise<void> {
  const { view } = args;
  const slices = view.outer * view.inner;
  const plan = forwardPlan(view);
  const call = ctx.call();
  const x = call.input(args.x);
  const out = call.output(args.out.byteLength);
  const mask = uploadMask(call, args.mask);
  const maskBindings = { 8: mask.words, 9: mask.offsets };
  const common = { n: view.n, inner: view.inner, invT: args.invTemperature, nStride: mask.nStride };

  if (plan.kind === 'fused') {
    const pipeline = await call.pipeline('forward', {
      WG: plan.workgroupSize,
      LANES: plan.lanes,
      OP: op,
      MASK: mask.form,
    });
    const params = call.params(
      sliceParams({
        ...common,
        count: slices,
        gridX: call.gridX(plan.workgroups),
        innerBase: mask.innerBase,
      }),
    );
    call.dispatch({
      pipeline,
      workgroups: plan.workgroups,
      bindings: { 0: params, 1: x, 2: out, ...maskBindings },
    });
  } else {
    const wg = plan.workgroupSize;
    const [partial, merge, write] = await Promise.all([
      call.pipeline('forward-partial', { WG: wg, MASK: mask.form }),
      call.pipeline('forward-merge', { WG: wg, OP: op }),
      op === LOG_SUM_EXP ? null : call.pipeline('forward-write', { WG: wg, OP: op, MASK: mask.form }),
    ]);
    const chunked = slices * plan.chunks;
    const partials = call.output((chunked + slices) * 16);
    const split = {
      ...common,
      count: slices,
      innerBase: mask.innerBase,
      chunks: plan.chunks,
      chunkLen: plan.chunkLen,
    };
    const chunkParams = call.params(sliceParams({ ...split, gridX: call.gridX(chunked) }));
    const sliceParamsBuffer = call.params(sliceParams({ ...split, gridX: call.gridX(slices) }));
    call.dispatch({
      pipeline: partial,
      workgroups: chunked,
      bindings: { 0: chunkParams, 1: x, 3: partials, ...maskBindings },
    });
    call.dispatch({
      pipeline: merge,
      workgroups: slices,
      bindings: { 0: sliceParamsBuffer, 2: out, 3: partials },
    });
    if (write) {
      call.dispatch({
        pipeline: write,
        workgroups: chunked,
        bindings: { 0: chunkParams, 1: x, 2: out, 3: partials, ...maskBindings },
      });
    }
  }
  call.readInto(out, args.out as Float32Array);
  await call.run();
}
