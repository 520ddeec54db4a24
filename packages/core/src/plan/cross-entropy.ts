import { accurateSum } from '../accurate-sum.js';
import type { LabelTarget, View } from '../backend.js';
import { canonicalView } from '../canonical.js';
import { describeValue, shapeText } from '../describe.js';
import { ShapeError, ValueError } from '../errors.js';
import { allocate } from '../limits.js';
import type { CrossEntropyOptions, CrossEntropyResult, Reduction } from '../options.js';
import type { FloatArray, Labels, Tensor } from '../types.js';
import {
  type CheckedTensor,
  checkLabelsArray,
  checkSameTensor,
  checkTensor,
  isFloatArray,
} from '../validate/arrays.js';
import { CROSS_ENTROPY_OPTIONS, checkOptionKeys } from '../validate/option-keys.js';
import { normalizeAxis, outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import type { Plan } from './plan.js';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

export function checkReduction(value: unknown): Reduction {
  const reduction = value === undefined ? 'mean' : value;
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new ValueError(
      `options.reduction must be 'mean', 'sum' or 'none', got ${describeValue(reduction)}`,
      'options.reduction',
    );
  }
  return reduction as Reduction;
}

export function checkLabelSmoothing(value: unknown): number {
  const e = value === undefined ? 0 : value;
  if (typeof e !== 'number' || !(e >= 0 && e < 1)) {
    throw new ValueError(
      `options.labelSmoothing must be a number in [0, 1), got ${describeValue(e)}`,
      'options.labelSmoothing',
    );
  }
  return e;
}

export function checkIgnoreIndex(value: unknown): number {
  const index = value === undefined ? -100 : value;
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw new ValueError(
      `options.ignoreIndex must be an integer, got ${describeValue(index)}`,
      'options.ignoreIndex',
    );
  }
  return index;
}

export function checkWeights(
  weights: unknown,
  logits: Pick<CheckedTensor, 'shape' | 'dtype'>,
  classes: number,
): FloatArray | null {
  if (weights === undefined) return null;
  const w = checkTensor(weights, 'options.weights');
  if (w.shape.length !== 1 || w.shape[0] !== classes) {
    throw new ShapeError(
      `options.weights has shape ${shapeText(w.shape)} but must be [${classes}], one weight per class of logits ${shapeText(logits.shape)}`,
      'options.weights',
    );
  }
  if (w.dtype !== logits.dtype) {
    throw new ValueError(
      `options.weights is ${w.dtype} but logits are ${logits.dtype}; they must match`,
      'options.weights',
    );
  }
  return w.data;
}

/** A probability target's checked fields; its data is a host array or (device plans) a device array. */
interface TargetTensor<D> {
  readonly data: D;
  readonly shape: readonly number[];
  readonly dtype: CheckedTensor['dtype'];
}

/** What `target` holds, decided from its data's type before any other option is read. */
export type TargetKind<D = FloatArray> =
  | { readonly kind: 'labels'; readonly data: Int32Array; readonly shape: readonly number[] }
  | { readonly kind: 'probabilities'; readonly tensor: TargetTensor<D> };

const LABELS_HINT = 'integer class labels need labels(values) (Int32Array data)';

function targetField(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

export function checkTargetKind(target: unknown): TargetKind {
  if (Array.isArray(target)) {
    throw new ValueError(
      `target is a plain Array; ${LABELS_HINT}, a probability target tensor(values) shaped like the logits`,
      'target',
    );
  }
  if (ArrayBuffer.isView(target)) {
    throw new ValueError(
      `target is ${describeValue(target)} without a shape; wrap it: labels(data) for class labels (labels(data, { shape }) for more than 1-D), or tensor(data, { shape }) for probabilities`,
      'target',
    );
  }
  if (typeof target !== 'object' || target === null) {
    throw new ValueError(
      `target must be labels (labels(values): { data: Int32Array, shape }) or a probability tensor shaped like the logits, got ${describeValue(target)}`,
      'target',
    );
  }
  const data = targetField(target, 'data');
  if (data instanceof Int32Array) {
    return { kind: 'labels', data, shape: checkLabelsArray(data, targetField(target, 'shape'), 'target') };
  }
  if (isFloatArray(data)) return { kind: 'probabilities', tensor: checkTensor(target, 'target') };
  if (typeof targetField(target, 'dataSync') === 'function') {
    throw new ValueError(
      'target looks like a TensorFlow.js tensor; pass labels as { data: Int32Array.from(t.dataSync()), shape: t.shape }, probabilities as { data: t.dataSync(), shape: t.shape }',
      'target',
    );
  }
  const fix = ArrayBuffer.isView(data)
    ? `; convert them: labels(target.data, { shape: target.shape })`
    : Array.isArray(data)
      ? '; build them with labels(values)'
      : '';
  throw new ValueError(
    `target.data must be an Int32Array (class labels) or a Float32Array / Float64Array (probabilities), got ${describeValue(data)}; ${LABELS_HINT}${fix}`,
    'target',
  );
}

/** Checks every label is a class index or ignoreIndex; returns the mean's denominator. */
function checkLabelValues(
  labels: Int32Array,
  classes: number,
  ignoreIndex: number,
  weights: FloatArray | null,
): number {
  let denominator = 0;
  for (let k = 0; k < labels.length; k++) {
    const label = labels[k];
    if (label === ignoreIndex) continue;
    if (label < 0 || label >= classes) {
      throw new ValueError(
        `target label ${label} at flat index ${k} is outside [0, ${classes}) and is not ignoreIndex (${ignoreIndex})`,
        'target',
      );
    }
    denominator += weights === null ? 1 : weights[label];
  }
  return denominator;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

interface CheckedTarget<D> {
  readonly target: LabelTarget | { readonly kind: 'probabilities'; readonly probabilities: D };
  /** What 'mean' divides by: summed target weights (labels) or the sample count (probabilities). */
  readonly denominator: number;
  readonly data: Int32Array | D;
}

/** The target against the logits: its shape, and each label's range. */
export function checkTarget<D>(
  kind: TargetKind<D>,
  logits: Pick<CheckedTensor, 'shape' | 'dtype'>,
  axis: number,
  view: View,
  ignoreIndex: number,
  weights: FloatArray | null,
): CheckedTarget<D> {
  const labelShape = logits.shape.filter((_, i) => i !== axis);
  if (kind.kind === 'labels') {
    if (!sameShape(kind.shape, labelShape)) {
      throw new ShapeError(
        `target labels have shape ${shapeText(kind.shape)} but logits ${shapeText(logits.shape)} with class axis ${axis} need ${shapeText(labelShape)}`,
        'target',
      );
    }
    const denominator = checkLabelValues(kind.data, view.n, ignoreIndex, weights);
    return { target: { kind: 'labels', labels: kind.data, ignoreIndex }, denominator, data: kind.data };
  }
  const probabilities = kind.tensor;
  if (!sameShape(probabilities.shape, logits.shape) && sameShape(probabilities.shape, labelShape)) {
    throw new ValueError(
      `target is a ${probabilities.dtype} tensor of shape ${shapeText(probabilities.shape)}, the labels' shape; ${LABELS_HINT}. A probability target has the logits' shape ${shapeText(logits.shape)}`,
      'target',
    );
  }
  checkSameTensor(logits, probabilities, 'logits', 'target');
  return {
    target: { kind: 'probabilities', probabilities: probabilities.data },
    denominator: view.outer * view.inner,
    data: probabilities.data,
  };
}

export function scalar(dtype: CheckedTensor['dtype'], value: number): Tensor<FloatArray> {
  return { data: dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value), shape: [] };
}

export function planCrossEntropy(
  context: SupportContext,
  logits: Tensor,
  target: Labels | Tensor,
  options: CrossEntropyOptions | undefined,
): Plan<CrossEntropyResult<FloatArray>> {
  const o = checkOptionKeys(options, CROSS_ENTROPY_OPTIONS, 'softmaxCrossEntropy');
  const x = checkTensor(logits, 'logits');
  const kind = checkTargetKind(target);
  const axis = normalizeAxis(o.axis, x.shape);
  const view = canonicalView(x.shape, axis);
  const reduction = checkReduction(o.reduction);
  const ignoreIndex = checkIgnoreIndex(o.ignoreIndex);
  const labelSmoothing = checkLabelSmoothing(o.labelSmoothing);
  const weights = checkWeights(o.weights, x, view.n);
  const checked = checkTarget(kind, x, axis, view, ignoreIndex, weights);
  const kernel = requireSupport(context, 'softmaxCrossEntropy', x.dtype, [x.data.length]);
  const inputs = weights === null ? [x.data, checked.data] : [x.data, checked.data, weights];
  const gradOut = outputArray(
    o.gradOut,
    x.dtype,
    x.data.length,
    inputs,
    unzeroedResults(context),
    'options.gradOut',
  );

  const samples = view.outer * view.inner;
  const sampleShape = x.shape.filter((_, i) => i !== axis);
  const grad = { data: gradOut, shape: [...x.shape] };
  // No element means no sample has a class to score: every loss is 0, the gradient is empty.
  if (x.data.length === 0) {
    const loss =
      reduction === 'none'
        ? { data: allocate(x.dtype, samples, 'The loss', 'target'), shape: sampleShape }
        : scalar(x.dtype, 0);
    return { finish: () => ({ loss, grad }) };
  }
  const lossOut = allocate(x.dtype, samples, 'The loss', 'target');
  // A mean over zero counted samples is 0 (loss and gradient), not NaN.
  const meanScale = checked.denominator === 0 ? 0 : 1 / checked.denominator;
  const scale = reduction === 'mean' ? meanScale : 1;
  const finish = (): CrossEntropyResult<FloatArray> => {
    if (reduction === 'none') return { loss: { data: lossOut, shape: sampleShape }, grad };
    // lossOut already holds each sample's share of the mean (lossScale), so the mean is a sum.
    return { loss: scalar(x.dtype, accurateSum(lossOut)), grad };
  };
  const args = {
    view,
    logits: x.data,
    target: checked.target,
    labelSmoothing,
    weights,
    gradScale: scale,
    lossScale: scale,
    lossOut,
    gradOut,
  };
  return { run: () => kernel(args), finish };
}
