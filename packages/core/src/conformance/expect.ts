/**
 * The suite's main checks: run an op through the public API, run the float64 reference on the
 * same inputs, and compare with the SEMANTICS.md tolerances, exact where it says exact. Every check
 * also verifies the result's dtype, shape and length and that no input was modified.
 */
import type {
  CrossEntropyOptions,
  CrossEntropyResult,
  LogSumExpOptions,
  SoftmaxOptions,
} from '../options.js';
import * as reference from '../reference/index.js';
import { slicesAlong } from '../reference/shape.js';
import { accurateSum } from '../reference/sum.js';
import { broadcastMask, checkAxis } from '../reference/validate.js';
import type { FloatArray, Labels, Tensor } from '../types.js';
import { arrayTypeOf, assertClose, assertTensorShape, check, type Match } from './assert.js';
import type { CaseContext } from './case.js';
import { backwardMagnitudes, crossEntropyMagnitudes, jacobianMagnitudes } from './gradient-bound.js';
import { type Memo, remember } from './memo.js';
import { dtypeOf } from './tensors.js';
import { type Quantity, toleranceFor } from './tolerance.js';

/** The reference ops by name (static property access keeps bundlers able to tree-shake). */
export const REFERENCE_FORWARD = {
  softmax: reference.softmax,
  logSoftmax: reference.logSoftmax,
  logSumExp: reference.logSumExp,
} as const;

const REFERENCE_BACKWARD = {
  softmaxBackward: reference.softmaxBackward,
  logSoftmaxBackward: reference.logSoftmaxBackward,
} as const;

export type ForwardOp = 'softmax' | 'logSoftmax' | 'logSumExp';
export type BackwardOp = 'softmaxBackward' | 'logSoftmaxBackward';

/** Snapshots arrays before a call, to prove afterwards that the call left them alone. */
function snapshot(arrays: readonly (ArrayLike<number> | undefined)[]): () => void {
  const copies = arrays.map((a) => (a === undefined ? undefined : Array.from(a)));
  return () => {
    arrays.forEach((a, i) => {
      const copy = copies[i];
      if (a === undefined || copy === undefined) return;
      for (let k = 0; k < copy.length; k++) {
        check(Object.is(a[k], copy[k]), () => `input ${i} was modified at [${k}]: ${copy[k]} became ${a[k]}`);
      }
    });
  };
}

/** Which positions take part (mask and axis as the op sees them). */
function takingPart(x: Tensor, options: SoftmaxOptions | undefined): Uint8Array {
  return broadcastMask(options?.where, x.shape);
}

export function callForward(
  context: CaseContext,
  op: ForwardOp,
  x: Tensor,
  options?: LogSumExpOptions,
): Promise<Tensor<FloatArray>> {
  if (op === 'softmax') return context.ops.softmax(x, options);
  if (op === 'logSoftmax') return context.ops.logSoftmax(x, options);
  return context.ops.logSumExp(x, options);
}

export function callBackward(
  context: CaseContext,
  op: BackwardOp,
  forward: Tensor,
  dy: Tensor,
  options?: SoftmaxOptions,
): Promise<Tensor<FloatArray>> {
  return op === 'softmaxBackward'
    ? context.ops.softmaxBackward(forward, dy, options)
    : context.ops.logSoftmaxBackward(forward, dy, options);
}

/** softmax / logSoftmax / logSumExp against the reference. Returns the backend's result. */
export async function expectForward(
  context: CaseContext,
  op: ForwardOp,
  x: Tensor,
  options: LogSumExpOptions | undefined,
  what: string,
  memo?: Memo<Tensor<Float64Array>>,
): Promise<Tensor<FloatArray>> {
  const unchanged = snapshot([x.data, options?.where?.data]);
  const got = await callForward(context, op, x, options);
  unchanged();
  const want = remember(memo, () => REFERENCE_FORWARD[op](x, options));
  const dtype = dtypeOf(x.data);
  assertTensorShape(got, want.shape, arrayTypeOf(x.data), `${what} (${op})`);
  assertClose(got.data, want.data, `${what} (${op}, ${dtype})`, {
    tolerance: toleranceFor(dtype, quantityOf(op)),
    matches: forwardMatches(op, x, options),
  });
  return got;
}

export function quantityOf(op: ForwardOp): Quantity {
  return op === 'softmax' ? 'probability' : 'log';
}

/** Masked and -Infinity positions are exact: +0 in softmax, -Infinity in log-softmax. */
export function forwardMatches(
  op: ForwardOp,
  x: Tensor,
  options: SoftmaxOptions | undefined,
): (k: number) => Match {
  if (op === 'logSumExp') return () => 'close';
  const part = takingPart(x, options);
  return (k) => {
    if (part[k] !== 0 && x.data[k] !== Number.NEGATIVE_INFINITY) return 'close';
    return op === 'softmax' ? 'positive-zero' : 'same';
  };
}

/** Gradients are exactly 0 (either sign) where the position does not take part. */
export function backwardMatches(
  op: BackwardOp,
  forward: Tensor,
  options: SoftmaxOptions | undefined,
): (k: number) => Match {
  const part = takingPart(forward, options);
  const logpIsMinusInfinity = (k: number) =>
    op === 'logSoftmaxBackward' && forward.data[k] === Number.NEGATIVE_INFINITY;
  return (k) => (part[k] === 0 || logpIsMinusInfinity(k) ? 'zero' : 'close');
}

/** Jacobian rows and columns of a position that does not take part are exactly 0. */
export function jacobianMatches(y: Tensor, options: SoftmaxOptions | undefined): (index: number) => Match {
  const part = takingPart(y, options);
  const axis = checkAxis(options?.axis, y.shape.length);
  const n = y.shape[axis];
  const stride = y.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  // Element `row` of y, column k: the partner element is row moved to position k along the axis.
  return (index) => {
    const row = Math.floor(index / n);
    const k = index % n;
    const j = Math.floor(row / stride) % n;
    const partner = row + (k - j) * stride;
    return part[row] === 0 || part[partner] === 0 ? 'zero' : 'close';
  };
}

/** softmaxBackward / logSoftmaxBackward against the reference; positions not taking part are exactly 0. */
export async function expectBackward(
  context: CaseContext,
  op: BackwardOp,
  forward: Tensor,
  dy: Tensor,
  options: SoftmaxOptions | undefined,
  what: string,
  memo?: Memo<GradientReference>,
): Promise<Tensor<FloatArray>> {
  const unchanged = snapshot([forward.data, dy.data, options?.where?.data]);
  const got = await callBackward(context, op, forward, dy, options);
  unchanged();
  const { want, magnitudes } = remember(memo, () => ({
    want: REFERENCE_BACKWARD[op](forward, dy, options),
    magnitudes: backwardMagnitudes(op, forward, dy, options),
  }));
  const dtype = dtypeOf(forward.data);
  assertTensorShape(got, want.shape, arrayTypeOf(forward.data), `${what} (${op})`);
  assertClose(got.data, want.data, `${what} (${op}, ${dtype})`, {
    tolerance: toleranceFor(dtype, 'gradient'),
    matches: backwardMatches(op, forward, options),
    magnitudes,
  });
  return got;
}

/** softmaxJacobian against the reference; rows and columns of masked positions are exactly 0. */
export async function expectJacobian(
  context: CaseContext,
  y: Tensor,
  options: SoftmaxOptions | undefined,
  what: string,
  memo?: Memo<GradientReference>,
): Promise<Tensor<FloatArray>> {
  const unchanged = snapshot([y.data, options?.where?.data]);
  const got = await context.ops.softmaxJacobian(y, options);
  unchanged();
  const { want, magnitudes } = remember(memo, () => ({
    want: reference.softmaxJacobian(y, options),
    magnitudes: jacobianMagnitudes(y, options),
  }));
  const dtype = dtypeOf(y.data);
  assertTensorShape(got, want.shape, arrayTypeOf(y.data), `${what} (softmaxJacobian)`);
  assertClose(got.data, want.data, `${what} (softmaxJacobian, ${dtype})`, {
    tolerance: toleranceFor(dtype, 'gradient'),
    matches: jacobianMatches(y, options),
    magnitudes,
  });
  return got;
}

/**
 * What the loss's absolute tolerance is multiplied by: a reduced loss may carry every sample's
 * error, so the summed magnitude of the per-sample losses (scaled like the reduction); 1 for 'none'.
 */
function lossToleranceFactor(
  logits: Tensor,
  target: Labels | Tensor,
  options: CrossEntropyOptions | undefined,
  want: Tensor<Float64Array>,
): number {
  const reduction = options?.reduction ?? 'mean';
  if (reduction === 'none') return 1;
  const perSample = reference.softmaxCrossEntropy(logits, target, { ...options, reduction: 'none' }).loss
    .data;
  const sumAbs = perSample.reduce((a, b) => a + Math.abs(b), 0);
  const sum = perSample.reduce((a, b) => a + b, 0);
  const scale = reduction === 'sum' || sum === 0 ? 1 : Math.abs(want.data[0] / sum);
  return Math.max(1, sumAbs * scale);
}

/** A gradient's reference values and the magnitudes of their terms. */
export interface GradientReference {
  readonly want: Tensor<Float64Array>;
  readonly magnitudes: Float64Array;
}

/** Cross-entropy's reference values, the loss tolerance's factor and the gradient's magnitudes. */
export interface CrossEntropyReference {
  readonly loss: Tensor<Float64Array>;
  readonly grad: Tensor<Float64Array>;
  readonly lossFactor: number;
  readonly magnitudes: Float64Array;
}

/** softmaxCrossEntropy against the reference: the loss like a log quantity, the gradient like a probability. */
export async function expectCrossEntropy(
  context: CaseContext,
  logits: Tensor,
  target: Labels | Tensor,
  options: CrossEntropyOptions | undefined,
  what: string,
  memo?: Memo<CrossEntropyReference>,
): Promise<CrossEntropyResult<FloatArray>> {
  const unchanged = snapshot([logits.data, target.data, options?.weights?.data]);
  const got = await context.ops.softmaxCrossEntropy(logits, target, options);
  unchanged();
  const want = remember(memo, () => {
    const { loss, grad } = reference.softmaxCrossEntropy(logits, target, options);
    return {
      loss,
      grad,
      lossFactor: lossToleranceFactor(logits, target, options, loss),
      magnitudes: crossEntropyMagnitudes(logits, target, options),
    };
  });
  const dtype = dtypeOf(logits.data);
  const arrayType = arrayTypeOf(logits.data);
  check(
    got !== null && typeof got === 'object',
    () => `${what}: softmaxCrossEntropy must return { loss, grad }`,
  );
  assertTensorShape(got.loss, want.loss.shape, arrayType, `${what} (cross-entropy loss)`);
  assertTensorShape(got.grad, want.grad.shape, arrayType, `${what} (cross-entropy grad)`);
  const base = toleranceFor(dtype, 'log');
  assertClose(got.loss.data, want.loss.data, `${what} (cross-entropy loss, ${dtype})`, {
    tolerance: { rel: base.rel, abs: base.abs * want.lossFactor },
  });
  assertClose(got.grad.data, want.grad.data, `${what} (cross-entropy grad, ${dtype})`, {
    tolerance: toleranceFor(dtype, 'gradient'),
    magnitudes: want.magnitudes,
  });
  return got;
}

/**
 * Every slice of a softmax sums to 1 (0 when nothing takes part), within the softmax tolerance
 * applied to the sum itself: in float32, 4e-6. A naive float32 sum over a long row misses this
 * even where each element stays inside its own (absolute 1e-7) tolerance.
 */
export function assertSlicesSumToOne(
  y: Tensor,
  x: Tensor,
  options: SoftmaxOptions | undefined,
  what: string,
): void {
  const axis = checkAxis(options?.axis, x.shape.length);
  const part = takingPart(x, options);
  const slices = slicesAlong(x.shape, axis);
  // Summed accurately: a plain float64 sum of 262k terms is itself off by more than 1e-12.
  const sums = slices.map((slice) => accurateSum(slice.map((k) => y.data[k])));
  const want = slices.map((slice) =>
    slice.some((k) => part[k] !== 0 && x.data[k] !== Number.NEGATIVE_INFINITY) ? 1 : 0,
  );
  assertClose(sums, want, `${what}: slice sums`, { tolerance: toleranceFor(dtypeOf(x.data), 'probability') });
}
