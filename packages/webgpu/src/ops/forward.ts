/**
 * softmax, log-softmax and log-sum-exp share one driver: slice statistics (max, sum,
 * +Infinity count, NaN flag) then the outputs, fused per slice or split over workgroups for
 * long slices (see plan.ts).
 */
import type { ForwardArgs, LogSumExpArgs, MaskView, OnDevice, View } from '@softmax-kit/core';
import { outerChunks, part, partMask } from '../chunks.js';
import type { Binding, GpuCall, GpuContext } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';
import { forwardPlan } from '../plan.js';

/** The OP override of the forward shaders. */
export const SOFTMAX = 0;
export const LOG_SOFTMAX = 1;
export const LOG_SUM_EXP = 2;
export type ForwardOp = typeof SOFTMAX | typeof LOG_SOFTMAX | typeof LOG_SUM_EXP;

/** One forward op over data already on the GPU. */
export interface ForwardJob {
  readonly view: View;
  readonly mask: MaskView | null;
  readonly invTemperature: number;
  readonly x: Binding;
  readonly out: Binding;
}

/** One forward op; its input and output may be host or device arrays, in chunks when large. */
export async function runForward(
  ctx: GpuContext,
  op: ForwardOp,
  args: OnDevice<ForwardArgs> | OnDevice<LogSumExpArgs>,
): Promise<void> {
  const { view } = args;
  const per = view.n * view.inner;
  const outPer = op === LOG_SUM_EXP ? view.inner : per;
  for (const [o0, o1] of outerChunks(view.outer, per * 4, ctx.maxBindingBytes)) {
    const call = ctx.call();
    const out = call.result(part(args.out, o0 * outPer, o1 * outPer));
    await encodeForward(call, op, {
      view: { outer: o1 - o0, n: view.n, inner: view.inner },
      mask: partMask(args.mask, view, o0, o1),
      invTemperature: args.invTemperature,
      x: call.bind(part(args.x, o0 * per, o1 * per)),
      out,
    });
    await call.run();
  }
}

/** Records the dispatches of one forward op into `call`. */
export async function encodeForward(call: GpuCall, op: ForwardOp, job: ForwardJob): Promise<void> {
  const { view, x, out } = job;
  const slices = view.outer * view.inner;
  const vectorRows = op !== LOG_SUM_EXP && (job.mask === null || job.mask.dense);
  const plan = forwardPlan(view, vectorRows, call.deviceClass);
  const mask = uploadMask(call, job.mask);
  const maskBindings = { 8: mask.words, 9: mask.offsets };
  const common = { n: view.n, inner: view.inner, invT: job.invTemperature, nStride: mask.nStride };

  if (plan.kind === 'rows') {
    const pipeline = await call.pipeline(call.subgroups ? 'forward-rows-subgroups' : 'forward-rows', {
      WG: plan.workgroupSize,
      LANES: plan.lanes,
      OP: op,
      DENSE_MASK: mask.form === 0 ? 0 : 1,
    });
    const params = call.params(
      sliceParams({ ...common, count: slices, gridX: call.gridX(plan.workgroups), innerBase: 0 }),
    );
    call.dispatch({
      pipeline,
      workgroups: plan.workgroups,
      bindings: { 0: params, 1: x, 2: out, 8: mask.words },
    });
  } else if (plan.kind === 'segments') {
    const wg = plan.workgroupSize;
    const constants = { WG: wg, OP: op, DENSE_MASK: mask.form === 0 ? 0 : 1 };
    const [first, merge, last] = await Promise.all([
      call.pipeline('forward-segments', { ...constants, PHASE: 1 }),
      call.pipeline('forward-merge', { WG: wg, OP: op }),
      call.pipeline('forward-segments', { ...constants, PHASE: 3 }),
    ]);
    const segments = slices * plan.chunks;
    const workgroups = Math.ceil(segments / wg);
    const partials = call.output((segments + slices) * 16);
    const split = { ...common, count: slices, innerBase: 0, chunks: plan.chunks, chunkLen: plan.chunkLen };
    const segmentParams = call.params(sliceParams({ ...split, gridX: call.gridX(workgroups) }));
    const rowParams = call.params(sliceParams({ ...split, gridX: call.gridX(slices) }));
    const bindings = { 0: segmentParams, 1: x, 2: out, 3: partials, 8: mask.words };
    call.dispatch({ pipeline: first, workgroups, bindings });
    call.dispatch({ pipeline: merge, workgroups: slices, bindings: { 0: rowParams, 2: out, 3: partials } });
    call.dispatch({ pipeline: last, workgroups, bindings });
  } else if (plan.kind === 'fused') {
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
}
