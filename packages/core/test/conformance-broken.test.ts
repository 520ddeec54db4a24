/**
 * The suite catches broken kernels: deliberately wrong backends (the reference's kernels with
 * one op replaced by a popular mistake) must fail the cases written for that mistake, and pass
 * the easy ones.
 */
import { describe, expect, it } from 'vitest';
import type { CrossEntropyArgs, Kernels } from '../src/backend.js';
import * as reference from '../src/reference/index.js';
import {
  referenceCrossEntropy,
  referenceKernels,
  runSuite,
  testFactory,
  viewMask,
  viewOptions,
  viewTensor,
} from './conformance-harness.js';

/** The popular recipe: exp(x) / sum(exp(x)) with no max subtraction, summed naively in float32. */
const naiveSoftmax: Kernels['softmax'] = (a) => {
  const { outer, n, inner } = a.view;
  const masked = viewMask(a.mask, a.view);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => (o * n + j) * inner + i;
      const takesPart = (j: number) => masked === undefined || masked.data[at(j)] !== 0;
      let sum = 0;
      for (let j = 0; j < n; j++)
        if (takesPart(j)) sum = Math.fround(sum + Math.fround(Math.exp(a.x[at(j)] * a.invTemperature)));
      for (let j = 0; j < n; j++)
        a.out[at(j)] = takesPart(j) ? Math.exp(a.x[at(j)] * a.invTemperature) / sum : 0;
    }
  }
};

/** Subtracts the max (no overflow) but sums in float32 one element after another. */
const float32SumSoftmax: Kernels['softmax'] = (a) => {
  const { outer, n, inner } = a.view;
  const masked = viewMask(a.mask, a.view);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => (o * n + j) * inner + i;
      const takesPart = (j: number) => masked === undefined || masked.data[at(j)] !== 0;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n; j++) if (takesPart(j)) max = Math.max(max, a.x[at(j)] * a.invTemperature);
      const e = (j: number) => Math.fround(Math.exp(a.x[at(j)] * a.invTemperature - max));
      let sum = 0;
      for (let j = 0; j < n; j++) if (takesPart(j)) sum = Math.fround(sum + e(j));
      for (let j = 0; j < n; j++) a.out[at(j)] = takesPart(j) && sum > 0 ? e(j) / sum : 0;
    }
  }
};

describe('the suite catches a naive softmax', () => {
  it('fails the long-row cases of a max-subtracting softmax summed naively in float32', async () => {
    const run = await runSuite(testFactory({ name: 'f32sum', kernels: { softmax: float32SumSoftmax } }));
    const failed = [...run.failures.keys()];
    expect(failed).toContain(
      'softmax [1, 262147] axis -1, nearly equal values (every p about 4e-6) [float32]',
    );
    expect(run.passed).toContain('softmax [6, 7] uniform in +-1e4 [float32]');
  });

  it('fails the overflow and long-row cases of a naive softmax, and passes its easy ones', async () => {
    const run = await runSuite(
      testFactory({ name: 'naive', kernels: { softmax: naiveSoftmax }, sync: false }),
    );
    const failed = [...run.failures.keys()];
    console.info(
      failed,
      run.passed.filter((n) => n.includes('262147')),
    );
    expect(failed).toContain('softmax [1000, 1000, 100] does not overflow [float32]');
    expect(failed).toContain('softmax [6, 7] uniform in +-1e4 [float32]');
    expect(failed).toContain(
      'softmax [1, 262147] axis -1, nearly equal values (every p about 4e-6) [float32]',
    );
    expect(run.passed).toContain('softmax [3, 1, 0.2] [float32]');
    expect(run.passed).toContain('softmax [3, 5] axis 1 [float32]');
    // An asynchronous backend has its sync mode reported as one skip with the reason.
    expect(run.skipped.map((t) => t.name)).toContainEqual(
      expect.stringMatching(/sync ops > \d+ cases on sm\.sync \(skipped: backend declares sync: false\)$/),
    );
  });
});

/** How a broken cross-entropy kernel turns (p, a, gradScale) into the gradient of one sample. */
type LabelGradient = (
  p: number,
  j: number,
  a: Float64Array,
  sumA: number,
  label: number | undefined,
) => number;

/**
 * A cross-entropy kernel whose loss is right (the reference's) and whose gradient follows
 * `gradient`, with a_c computed as CrossEntropyArgs says (or by `targetWeights` when given).
 */
function crossEntropyKernel(
  gradient: LabelGradient,
  targetWeights?: (args: CrossEntropyArgs, label: number, c: number) => number,
): Kernels['softmaxCrossEntropy'] {
  return (args) => {
    const { outer, n, inner } = args.view;
    const { loss } = referenceCrossEntropy(args);
    for (let k = 0; k < loss.length; k++) args.lossOut[k] = loss[k] * args.lossScale;
    const p = reference.softmax(viewTensor(args.logits, args.view), { axis: 1 }).data;
    const w = (c: number) => (args.weights === null ? 1 : args.weights[c]);
    const e = args.labelSmoothing;
    const a = new Float64Array(n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (c: number) => (o * n + c) * inner + i;
        const { target } = args;
        const label = target.kind === 'labels' ? target.labels[o * inner + i] : undefined;
        for (let c = 0; c < n; c++) {
          if (target.kind === 'probabilities') a[c] = w(c) * ((1 - e) * target.probabilities[at(c)] + e / n);
          else if (label === target.ignoreIndex || label === undefined) a[c] = 0;
          else if (targetWeights !== undefined) a[c] = targetWeights(args, label, c);
          else a[c] = (1 - e) * (c === label ? w(c) : 0) + (e / n) * w(c);
        }
        const sumA = a.reduce((s, v) => s + v, 0);
        const ignored = target.kind === 'labels' && label === target.ignoreIndex;
        for (let c = 0; c < n; c++) {
          args.gradOut[at(c)] = ignored ? 0 : args.gradScale * gradient(p[at(c)], c, a, sumA, label);
        }
      }
    }
  };
}

const CORRECT: LabelGradient = (p, j, a, sumA) => p * sumA - a[j];

const BROKEN: Record<string, Kernels['softmaxCrossEntropy']> = {
  // Assumes the target weights sum to 1 (true only without class weights).
  'p_j - a_j': crossEntropyKernel((p, j, a) => p - a[j]),
  // Subtracts the one-hot label (1 at y) instead of the target weights a_j.
  'p_j sum(a) - [j == y]': crossEntropyKernel((p, j, a, sumA, label) =>
    label === undefined ? CORRECT(p, j, a, sumA, label) : p * sumA - (j === label ? 1 : 0),
  ),
  // Weights the smoothing by the label's weight w_y instead of each class's w_c.
  'smoothing weighted by w_y': crossEntropyKernel(CORRECT, (args, label, c) => {
    const w = args.weights === null ? 1 : args.weights[label];
    return w * ((1 - args.labelSmoothing) * (c === label ? 1 : 0) + args.labelSmoothing / args.view.n);
  }),
  // Leaves out the label's own share e / C of the smoothing.
  'no smoothing share at the label': crossEntropyKernel(CORRECT, (args, label, c) => {
    const w = (k: number) => (args.weights === null ? 1 : args.weights[k]);
    const e = args.labelSmoothing;
    return c === label ? (1 - e) * w(c) : (e / args.view.n) * w(c);
  }),
};

describe('the suite catches a wrong cross-entropy gradient (the loss right)', () => {
  const declared = { dtypes: ['float32', 'float64'] as const, maxElements: 10_000 };

  it('passes the correct formula p_j sum(a) - a_j (the same harness, so the failures below are the formulas)', async () => {
    const run = await runSuite(
      testFactory({ ...declared, kernels: { softmaxCrossEntropy: crossEntropyKernel(CORRECT) } }),
    );
    expect([...run.failures.keys()]).toEqual([]);
    expect(run.passed.length).toBeGreaterThan(100);
  });

  /** The worked examples written to pin the label gradient (cases/generate.py). */
  const pinned = (reductions: readonly string[], dtype: string) =>
    reductions.map(
      (r) => `cross-entropy label gradient: weights [0.5, 2, 1, 4] and labelSmoothing 0.3, ${r} [${dtype}]`,
    );

  for (const [formula, kernel] of Object.entries(BROKEN)) {
    it(`fails a kernel computing ${formula}, on the label-gradient cases in every reduction`, async () => {
      const run = await runSuite(testFactory({ ...declared, kernels: { softmaxCrossEntropy: kernel } }));
      const failed = [...run.failures.keys()];
      for (const dtype of ['float32', 'float64']) {
        expect(failed).toEqual(expect.arrayContaining(pinned(['mean', 'sum', 'none'], dtype)));
        // And the gradient against finite differences of the (right) loss.
        expect(failed).toContain(
          'gradient vs finite differences of the loss: labels, weights, labelSmoothing 0.2 and ignored samples, mean [float64]',
        );
      }
      // The loss is right, so no loss-only case fails: every failure names the gradient.
      for (const message of run.failures.values())
        expect(message).toMatch(/\(grad\)|cross-entropy grad|finite differences/);
    });
  }
});

/** The reference softmax, except that it leaves every result that should be +0 unwritten. */
const zeroSkippingSoftmax: Kernels['softmax'] = (a) => {
  const y = reference.softmax(viewTensor(a.x, a.view), viewOptions(a)).data;
  for (let k = 0; k < y.length; k++) if (!Object.is(y[k], 0)) a.out[k] = y[k];
};

describe('the suite catches a kernel that relies on zeroed results while declaring writesWholeResults', () => {
  const exactZeros = 'masked softmax entries are exactly +0, log-softmax -Infinity, gradients 0 [float32]';
  const kernels = { ...referenceKernels, softmax: zeroSkippingSoftmax };

  it('fails the masked cases: each new result starts filled with a marker, not zeros', async () => {
    const run = await runSuite(testFactory({ name: 'skips-zeros', kernels, writesWholeResults: true }));
    const failed = [...run.failures.keys()];
    expect(failed).toContain(exactZeros);
    expect(failed).toContain('softmax: a fully masked row [float32]');
  });

  it('passes them when the backend does not declare it (its new results start zeroed)', async () => {
    const run = await runSuite(testFactory({ name: 'skips-zeros', kernels }));
    expect([...run.failures.keys()]).not.toContain(exactZeros);
    expect(run.passed).toContain(exactZeros);
  });
});
