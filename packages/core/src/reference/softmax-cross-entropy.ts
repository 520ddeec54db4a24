import { ValueError } from '../errors.js';
import type { CrossEntropyOptions, CrossEntropyResult } from '../options.js';
import type { Labels, Tensor } from '../types.js';
import { CROSS_ENTROPY_OPTIONS } from '../validate/option-keys.js';
import { normalizeSlice } from './normalize-slice.js';
import { reducedShape, sizeOf, slicesAlong } from './shape.js';
import { accurateSum } from './sum.js';
import {
  checkAxis,
  checkLabels,
  checkLabelsStructure,
  checkOptions,
  checkOut,
  checkResultSize,
  checkSameShape,
  checkTensor,
} from './validate.js';

const REDUCTIONS = ['mean', 'sum', 'none'];

/** Integer labels are told apart from probability targets by their Int32Array data. */
function isLabels(target: Labels | Tensor): target is Labels {
  return target.data instanceof Int32Array;
}

/**
 * Softmax cross-entropy with PyTorch semantics, in float64, fused (log p from the LSE, never
 * log(softmax)). Per sample s with p = softmax(logits_s), e = labelSmoothing, w = weights (or 1):
 *   labels y:        a_c = (1 - e) w_y [c == y] + (e / C) w_c   (all 0 when y == ignoreIndex)
 *   probabilities q: a_c = w_c ((1 - e) q_c + e / C)
 *   loss_s = -sum_c a_c log p_c (terms with a_c = 0 add nothing), dloss_s/dlogit_j = p_j sum_c a_c - a_j.
 * 'mean' divides by the summed w_y of the counted samples (labels) or the sample count
 * (probabilities), and is 0 (gradient 0) when that is 0. 'none' gives the gradient of the sum.
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: Labels | Tensor,
  options?: CrossEntropyOptions,
): CrossEntropyResult<Float64Array> {
  checkOptions(options, CROSS_ENTROPY_OPTIONS, 'softmaxCrossEntropy');
  checkTensor(logits, 'logits');
  if (typeof target !== 'object' || target === null) {
    throw new ValueError('target must be labels or a probability tensor', 'target');
  }
  const labelTarget = isLabels(target);
  if (labelTarget) checkLabelsStructure(target);
  else checkTensor(target, 'target');
  const axis = checkAxis(options?.axis, logits.shape.length);
  const classes = logits.shape[axis];
  const sampleShape = reducedShape(logits.shape, axis);
  const reduction = options?.reduction === undefined ? 'mean' : options.reduction;
  if (!REDUCTIONS.includes(reduction)) {
    throw new ValueError(
      `reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
      'options.reduction',
    );
  }
  const ignoreIndex = options?.ignoreIndex === undefined ? -100 : options.ignoreIndex;
  if (!Number.isInteger(ignoreIndex)) {
    throw new ValueError(`ignoreIndex must be an integer, got ${String(ignoreIndex)}`, 'options.ignoreIndex');
  }
  const e = options?.labelSmoothing === undefined ? 0 : options.labelSmoothing;
  if (typeof e !== 'number' || !(e >= 0 && e < 1)) {
    throw new ValueError(`labelSmoothing must be in [0, 1), got ${String(e)}`, 'options.labelSmoothing');
  }
  const weights = options?.weights;
  if (weights !== undefined) {
    checkTensor(weights, 'options.weights');
    checkSameShape([classes], weights.shape, 'options.weights');
  }
  if (isLabels(target)) {
    checkLabels(target, sampleShape, classes, ignoreIndex);
  } else {
    checkSameShape(logits.shape, target.shape, 'target');
  }
  checkOut(options?.gradOut, logits.data, logits.data.length, 'options.gradOut');

  if (sizeOf(logits.shape) === 0) {
    // No class to score: every loss is 0 (there may be 2^40 empty samples, so none is listed).
    const grad = { data: new Float64Array(0), shape: [...logits.shape] };
    if (reduction !== 'none') return { loss: { data: Float64Array.of(0), shape: [] }, grad };
    checkResultSize(sizeOf(sampleShape), 'target');
    return { loss: { data: new Float64Array(sizeOf(sampleShape)), shape: sampleShape }, grad };
  }
  const weightOf = (c: number): number => (weights === undefined ? 1 : weights.data[c]);
  const slices = slicesAlong(logits.shape, axis);
  const sampleLoss = new Float64Array(slices.length);
  const sampleGrad = new Float64Array(logits.data.length);
  let denominator = 0;

  slices.forEach((slice, s) => {
    let a: number[];
    if (isLabels(target)) {
      const y = target.data[s];
      if (y === ignoreIndex) return; // 0 loss, 0 gradient, not counted
      denominator += weightOf(y);
      a = slice.map((_, c) => (1 - e) * weightOf(y) * (c === y ? 1 : 0) + (e / classes) * weightOf(c));
    } else {
      denominator += 1;
      a = slice.map((k, c) => weightOf(c) * ((1 - e) * target.data[k] + e / classes));
    }
    const { probs, logProbs } = normalizeSlice(
      slice.map((k) => logits.data[k]),
      slice.map(() => true),
    );
    sampleLoss[s] = -accurateSum(a.map((ac, c) => (ac === 0 ? 0 : ac * logProbs[c])));
    const totalA = accurateSum(a);
    slice.forEach((k, j) => {
      sampleGrad[k] = probs[j] * totalA - a[j];
    });
  });

  if (reduction === 'none') {
    return {
      loss: { data: sampleLoss, shape: sampleShape },
      grad: { data: sampleGrad, shape: [...logits.shape] },
    };
  }
  const total = accurateSum(sampleLoss);
  // A mean over nothing counted is 0 with a 0 gradient (SEMANTICS.md), not 0 / 0.
  const scale = reduction === 'sum' ? 1 : denominator === 0 ? 0 : 1 / denominator;
  return {
    loss: { data: Float64Array.of(reduction === 'sum' ? total : total * scale), shape: [] },
    grad: { data: sampleGrad.map((g) => g * scale), shape: [...logits.shape] },
  };
}
