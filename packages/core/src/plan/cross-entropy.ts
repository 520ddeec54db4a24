import type { LabelTarget, ProbabilityTarget, View } from '../backend.js';
import { canonicalView } from '../canonical.js';
import { compensatedSum } from '../compensated-sum.js';
import { shapeText, typeName } from '../describe.js';
import { ShapeError, ValueError } from '../errors.js';
import type { CrossEntropyOptions, CrossEntropyResult, Reduction } from '../options.js';
import type { FloatArray, Labels, Tensor } from '../types.js';
import {
  type CheckedTensor,
  checkLabels,
  checkSameTensor,
  checkShape,
  checkTensor,
} from '../validate/arrays.js';
import { normalizeAxis, outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext } from '../validate/support.js';
import type { Plan } from './plan.js';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

function checkReduction(value: unknown): Reduction {
  const reduction = value ?? 'mean';
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new ValueError(
      `options.reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
      'options.reduction',
    );
  }
  return reduction as Reduction;
}

function checkLabelSmoothing(value: unknown): number {
  const e = value ?? 0;
  if (typeof e !== 'number' || !(e >= 0 && e < 1)) {
    throw new ValueError(
      `options.labelSmoothing must be a number in [0, 1), got ${String(e)}`,
      'options.labelSmoothing',
    );
  }
  return e;
}

function checkIgnoreIndex(value: unknown): number {
  const index = value ?? -100;
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw new ValueError(
      `options.ignoreIndex must be an integer, got ${String(index)}`,
      'options.ignoreIndex',
    );
  }
  return index;
}

function checkWeights(
  weights: Tensor | undefined,
  logits: CheckedTensor,
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

interface CheckedTarget {
  readonly target: LabelTarget | ProbabilityTarget;
  /** What 'mean' divides by: summed target weights (labels) or the sample count (probabilities). */
  readonly denominator: number;
  readonly data: ArrayBufferView;
}

function checkTarget(
  target: Labels | Tensor,
  logits: CheckedTensor,
  axis: number,
  view: View,
  ignoreIndex: number,
  weights: FloatArray | null,
): CheckedTarget {
  if (typeof target !== 'object' || target === null) {
    throw new ValueError(
      `target must be labels ({ data: Int32Array, shape }) or a probability tensor, got ${typeName(target)}`,
      'target',
    );
  }
  if (target.data instanceof Int32Array) {
    const labels = checkLabels({ data: target.data, shape: checkShape(target.shape, 'target') }, 'target');
    const expected = logits.shape.filter((_, i) => i !== axis);
    if (labels.shape.length !== expected.length || labels.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(
        `target labels have shape ${shapeText(labels.shape)} but logits ${shapeText(logits.shape)} with class axis ${axis} need ${shapeText(expected)}`,
        'target',
      );
    }
    const denominator = checkLabelValues(labels.data, view.n, ignoreIndex, weights);
    return { target: { kind: 'labels', labels: labels.data, ignoreIndex }, denominator, data: labels.data };
  }
  const probabilities = checkTensor(target, 'target');
  checkSameTensor(logits, probabilities, 'logits', 'target');
  return {
    target: { kind: 'probabilities', probabilities: probabilities.data },
    denominator: view.outer * view.inner,
    data: probabilities.data,
  };
}

function scalar(dtype: CheckedTensor['dtype'], value: number): Tensor<FloatArray> {
  return { data: dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value), shape: [] };
}

export function planCrossEntropy(
  context: SupportContext,
  logits: Tensor,
  target: Labels | Tensor,
  options: CrossEntropyOptions | undefined,
): Plan<CrossEntropyResult<FloatArray>> {
  const x = checkTensor(logits, 'logits');
  const axis = normalizeAxis(options?.axis, x.shape);
  const view = canonicalView(x.shape, axis);
  const reduction = checkReduction(options?.reduction);
  const ignoreIndex = checkIgnoreIndex(options?.ignoreIndex);
  const labelSmoothing = checkLabelSmoothing(options?.labelSmoothing);
  const weights = checkWeights(options?.weights, x, view.n);
  const checked = checkTarget(target, x, axis, view, ignoreIndex, weights);
  const inputs = weights === null ? [x.data, checked.data] : [x.data, checked.data, weights];
  const gradOut = outputArray(options?.gradOut, x.dtype, x.data.length, inputs, 'options.gradOut');
  const kernel = requireSupport(context, 'softmaxCrossEntropy', x.dtype, [x.data.length]);

  const samples = view.outer * view.inner;
  const lossOut = x.dtype === 'float64' ? new Float64Array(samples) : new Float32Array(samples);
  // A mean over zero counted samples is 0 (loss and gradient), not NaN.
  const meanScale = checked.denominator === 0 ? 0 : 1 / checked.denominator;
  const gradScale = reduction === 'mean' ? meanScale : 1;
  const grad = { data: gradOut, shape: [...x.shape] };
  const sampleShape = x.shape.filter((_, i) => i !== axis);
  const finish = (): CrossEntropyResult<FloatArray> => {
    if (reduction === 'none') return { loss: { data: lossOut, shape: sampleShape }, grad };
    const total = compensatedSum(lossOut);
    return { loss: scalar(x.dtype, reduction === 'mean' ? total * meanScale : total), grad };
  };
  // No element means no sample has a class to score: every loss is 0, the gradient is empty.
  if (x.data.length === 0) return { finish };
  const args = {
    view,
    logits: x.data,
    target: checked.target,
    labelSmoothing,
    weights,
    gradScale,
    lossOut,
    gradOut,
  };
  return { run: () => kernel(args), finish };
}
