/** softmaxBackward and logSoftmaxBackward share one shader: a per-slice sum, then the outputs. */
import type { KernelBase } from '@softmax-kit/core';
import { outerChunks, part, partMask } from '../chunks.js';
import type { Binding, GpuCall, GpuContext, KernelData } from '../gpu-context.js';
import { uploadMask } from '../mask.js';
import { sliceParams } from '../params.js';
import { backwardRowsPlan, fusedPlan, type SplitPlan } from '../plan.js';

export const SOFTMAX_BACKWARD = 0;
export const LOG_SOFTMAX_BACKWARD = 1;

type BackwardOp = typeof SOFTMAX_BACKWARD | typeof LOG_SOFTMAX_BACKWARD;

/** One backward op; its arrays may be host or device arrays, in chunks when large. */
export async function runBackward(
  ctx: GpuContext,
  op: BackwardOp,
  args: KernelBase,
  a: KernelData,
  dy: KernelData,
  outArray: KernelData,
): Promise<void> {
  const { view } = args;
  const per = view.n * view.inner;
  for (const [o0, o1] of outerChunks(view.outer, per * 4, ctx.maxBindingBytes)) {
    const chunk = {
      view: { outer: o1 - o0, n: view.n, inner: view.inner },
      mask: partMask(args.mask, view, o0, o1),
      invTemperature: args.invTemperature,
    };
    const [lo, hi] = [o0 * per, o1 * per];
    await backwardChunk(ctx, op, chunk, part(a, lo, hi), part(dy, lo, hi), part(outArray, lo, hi));
  }
}

async function backwardChunk(
  ctx: GpuContext,
  op: BackwardOp,
  args: KernelBase,
  a: KernelData,
  dy: KernelData,
  outArray: KernelData,
): Promise<void> {
  const { view } = args;
  const call = ctx.call();
  const mask = uploadMask(call, args.mask);
  const vector = mask.form === 2 ? null : backwardRowsPlan(view, ctx.deviceClass);
  if (vector?.kind === 'segments') {
    await backwardSegments(call, op, args, vector, { a, dy, out: outArray, mask: mask.words });
    return;
  }
  const rows = vector?.kind === 'rows' ? vector : null;
  const plan = rows ?? fusedPlan(view, ctx.deviceClass);
  const pipeline = rows
    ? await call.pipeline(call.subgroups ? 'backward-rows-subgroups' : 'backward-rows', {
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

/** Few long rows on software adapters: segment sums, one sum per row, then the outputs. */
async function backwardSegments(
  call: GpuCall,
  op: BackwardOp,
  args: KernelBase,
  plan: SplitPlan,
  data: { a: KernelData; dy: KernelData; out: KernelData; mask: Binding },
): Promise<void> {
  const { view } = args;
  const wg = plan.workgroupSize;
  const constants = { WG: wg, OP: op, DENSE_MASK: args.mask === null ? 0 : 1 };
  const [first, merge, last] = await Promise.all(
    [1, 2, 3].map((phase) => call.pipeline('backward-segments', { ...constants, PHASE: phase })),
  );
  const rows = view.outer;
  const segments = rows * plan.chunks;
  const workgroups = Math.ceil(segments / wg);
  const common = {
    n: view.n,
    inner: 1,
    count: rows,
    invT: args.invTemperature,
    nStride: 0,
    innerBase: 0,
    chunks: plan.chunks,
    chunkLen: plan.chunkLen,
  };
  const bindings = {
    0: call.params(sliceParams({ ...common, gridX: call.gridX(workgroups) })),
    1: call.bind(data.a),
    2: call.result(data.out),
    3: call.output((segments + rows) * 16),
    4: call.bind(data.dy),
    8: data.mask,
  };
  const rowWorkgroups = Math.ceil(rows / wg);
  call.dispatch({ pipeline: first, workgroups, bindings });
  call.dispatch({
    pipeline: merge,
    workgroups: rowWorkgroups,
    bindings: { ...bindings, 0: call.params(sliceParams({ ...common, gridX: call.gridX(rowWorkgroups) })) },
  });
  call.dispatch({ pipeline: last, workgroups, bindings });
  await call.run();
}
