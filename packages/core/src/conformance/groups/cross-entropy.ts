/** Cross-entropy: integer and probability targets, every option and reduction, any class axis. */
import type { CrossEntropyOptions } from '../../options.js';
import * as reference from '../../reference/index.js';
import type { DType, Labels, Tensor } from '../../types.js';
import { assertClose } from '../assert.js';
import type { BackendInfo, CaseGroup, ConformanceCase } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { differencePath, numericGradient } from '../finite-differences.js';
import { BOTH_DTYPES, makeCase, randomTensor, seedOf } from '../generate.js';
import { randomDistributions, seededRandom } from '../random.js';
import { castTensor, makeLabels, makeTensor, sizeOf } from '../tensors.js';

const REDUCTIONS = ['mean', 'sum', 'none'] as const;

function isLabels(target: Labels | Tensor): target is Labels {
  return target.data instanceof Int32Array;
}

function randomLabels(shape: readonly number[], classes: number, seed: number, ignoreEvery = 0): Labels {
  const next = seededRandom(seed);
  const values = Array.from({ length: sizeOf(shape) }, (_, k) =>
    ignoreEvery > 0 && k % ignoreEvery === 1 ? -100 : Math.floor(next() * classes),
  );
  return makeLabels(values, shape);
}

/** Probability targets along `axis` of `shape` (each slice sums to 1). */
function randomTargets(dtype: DType, shape: readonly number[], axis: number, seed: number): Tensor {
  const classes = shape[axis];
  const rows = sizeOf(shape) / classes;
  const inner = sizeOf(shape.slice(axis + 1));
  const rowMajor = randomDistributions(rows, classes, seed);
  // Lay each distribution out along the class axis.
  const data = new Array<number>(sizeOf(shape));
  for (let r = 0; r < rows; r++) {
    const outer = Math.floor(r / inner);
    const i = r % inner;
    for (let c = 0; c < classes; c++) data[(outer * classes + c) * inner + i] = rowMajor[r * classes + c];
  }
  return makeTensor(dtype, data, shape);
}

interface Variant {
  readonly name: string;
  readonly shape: readonly number[];
  readonly axis: number;
  readonly target: (dtype: DType) => Labels | Tensor;
  readonly options: (dtype: DType) => CrossEntropyOptions;
  readonly scale?: number;
}

const weights = (dtype: DType, classes: number) =>
  makeTensor(
    dtype,
    Array.from({ length: classes }, (_, c) => 0.25 + ((c * 7) % 5) * 0.4),
    [classes],
  );

const VARIANTS: readonly Variant[] = [
  { name: 'labels', shape: [6, 5], axis: -1, target: () => randomLabels([6], 5, 1), options: () => ({}) },
  {
    name: 'labels with ignored samples',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 2, 3),
    options: () => ({}),
  },
  {
    name: 'labels with ignoreIndex 2',
    shape: [6, 5],
    axis: -1,
    target: () => makeLabels([2, 0, 2, 4, 1, 2], [6]),
    options: () => ({ ignoreIndex: 2 }),
  },
  {
    name: 'labels, labelSmoothing 0.1',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 3),
    options: () => ({ labelSmoothing: 0.1 }),
  },
  {
    name: 'labels, labelSmoothing 0.9',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 4),
    options: () => ({ labelSmoothing: 0.9 }),
  },
  {
    name: 'labels, weights',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 5),
    options: (d) => ({ weights: weights(d, 5) }),
  },
  {
    name: 'labels, weights, labelSmoothing 0.2 and ignored samples',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 6, 3),
    options: (d) => ({ weights: weights(d, 5), labelSmoothing: 0.2 }),
  },
  {
    name: 'labels, class axis 1 of [4, 5, 3]',
    shape: [4, 5, 3],
    axis: 1,
    target: () => randomLabels([4, 3], 5, 7),
    options: () => ({ axis: 1 }),
  },
  {
    name: 'labels, class axis 0 of [5, 6], weights',
    shape: [5, 6],
    axis: 0,
    target: () => randomLabels([6], 5, 8),
    options: (d) => ({ axis: 0, weights: weights(d, 5) }),
  },
  {
    name: 'labels, logits in +-1e4',
    shape: [6, 5],
    axis: -1,
    target: () => randomLabels([6], 5, 9),
    options: () => ({}),
    scale: 1e4,
  },
  {
    name: 'labels, all ignored (mean is 0)',
    shape: [4, 5],
    axis: -1,
    target: () => makeLabels([-100, -100, -100, -100], [4]),
    options: () => ({}),
  },
  {
    name: 'probabilities',
    shape: [6, 5],
    axis: -1,
    target: (d) => randomTargets(d, [6, 5], 1, 10),
    options: () => ({}),
  },
  {
    name: 'probabilities, labelSmoothing 0.3 and weights',
    shape: [6, 5],
    axis: -1,
    target: (d) => randomTargets(d, [6, 5], 1, 11),
    options: (d) => ({ labelSmoothing: 0.3, weights: weights(d, 5) }),
  },
  {
    name: 'probabilities, class axis 1 of [4, 5, 3]',
    shape: [4, 5, 3],
    axis: 1,
    target: (d) => randomTargets(d, [4, 5, 3], 1, 12),
    options: () => ({ axis: 1 }),
  },
  {
    name: 'one-hot probabilities with logits in +-1e4',
    shape: [4, 3],
    axis: -1,
    target: (d) => makeTensor(d, [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0], [4, 3]),
    options: () => ({}),
    scale: 1e4,
  },
];

function variantCases(variant: Variant, dtype: DType): ConformanceCase[] {
  return REDUCTIONS.map((reduction) => {
    const name = `${variant.name}, ${reduction} [${dtype}]`;
    return makeCase(name, ['softmaxCrossEntropy'], [dtype], sizeOf(variant.shape), (c) => {
      const logits = randomTensor(dtype, variant.shape, seedOf(variant.name), variant.scale ?? 4);
      const options = { ...variant.options(dtype), reduction };
      return expectCrossEntropy(c, logits, variant.target(dtype), options, name);
    });
  });
}

export function crossEntropyGroup(): CaseGroup {
  return {
    name: 'cross-entropy',
    cases: BOTH_DTYPES.flatMap((dtype) => VARIANTS.flatMap((v) => variantCases(v, dtype))),
  };
}

/** The gradient is d(loss)/d(logits) for the reduction ('none': of the summed losses). */
function finiteDifferenceCase(
  variant: Variant,
  reduction: (typeof REDUCTIONS)[number],
  backend: BackendInfo,
): ConformanceCase {
  const path = differencePath(backend);
  const label = `gradient vs finite differences of the loss: ${variant.name}, ${reduction} [${path.dtype}]`;
  return makeCase(label, ['softmaxCrossEntropy'], [path.dtype], sizeOf(variant.shape), async (context) => {
    const logits = randomTensor(path.dtype, variant.shape, seedOf(label), 2);
    const target = variant.target(path.dtype);
    const options = { ...variant.options(path.dtype), reduction };
    const { grad } = await context.ops.softmaxCrossEntropy(logits, target, options);
    // The reference gets the target and weights in float64 too, like the logits it is given.
    const asFloat64 = (t: Labels | Tensor): Labels | Tensor => (isLabels(t) ? t : castTensor(t, 'float64'));
    const objective = async (xp: Tensor<Float64Array>) => {
      const result = path.onBackend
        ? await context.ops.softmaxCrossEntropy(xp, asFloat64(target), options)
        : reference.softmaxCrossEntropy(xp, target, options);
      return Array.from(result.loss.data).reduce((a, b) => a + b, 0);
    };
    assertClose(grad.data, await numericGradient(logits, objective), label, { tolerance: path.tolerance });
  });
}

export function crossEntropyDifferencesGroup(backend: BackendInfo): CaseGroup {
  const picks: [number, (typeof REDUCTIONS)[number]][] = [
    [0, 'mean'],
    [6, 'mean'],
    [6, 'none'],
    [8, 'sum'],
    [12, 'mean'],
    [13, 'none'],
  ];
  return {
    name: 'cross-entropy gradients vs finite differences',
    cases: picks.map(([index, reduction]) => finiteDifferenceCase(VARIANTS[index], reduction, backend)),
  };
}
