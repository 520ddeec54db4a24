import { describe, expect, it } from 'vitest';
import { accurateSum } from '../src/accurate-sum.js';
import { seededRandom } from '../src/conformance/random.js';
import { ShapeError, SizeError, ValueError } from '../src/errors.js';
import {
  logSoftmax,
  logSoftmaxBackward,
  logSumExp,
  softmax,
  softmaxBackward,
  softmaxCrossEntropy,
  softmaxJacobian,
} from '../src/reference/index.js';
import type { Labels, Mask, Tensor } from '../src/types.js';

const f64 = (data: number[], shape: number[] = [data.length]): Tensor<Float64Array> => ({
  data: Float64Array.from(data),
  shape,
});
const f32 = (data: number[], shape: number[] = [data.length]): Tensor<Float32Array> => ({
  data: Float32Array.from(data),
  shape,
});
const mask = (data: number[], shape: number[] = [data.length]): Mask => ({
  data: Uint8Array.from(data),
  shape,
});
const labels = (data: number[], shape: number[] = [data.length]): Labels => ({
  data: Int32Array.from(data),
  shape,
});

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    if (!Number.isFinite(want[k]))
      expect(Object.is(got[k], want[k]) || got[k] === want[k], `[${k}]`).toBe(true);
    else
      expect(Math.abs(got[k] - want[k]), `[${k}] got ${got[k]} want ${want[k]}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, Math.abs(want[k])),
      );
  }
}

const randomTensor = (shape: number[], seed: number, scale = 4): Tensor<Float64Array> => {
  const next = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return f64(
    Array.from({ length: size }, () => (next() - 0.5) * 2 * scale),
    shape,
  );
};

describe('reference forward ops: hand-computed values', () => {
  it('softmax [3, 1, 0.2]', () => {
    expectClose(
      softmax(f64([3, 1, 0.2])).data,
      [0.8360188027814407, 0.11314284146556014, 0.05083835575299916],
      1e-15,
    );
  });
  it('log-softmax and log-sum-exp of [1, 2, 3]', () => {
    const lse = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expectClose(logSumExp(f64([1, 2, 3])).data, [lse]);
    expectClose(logSoftmax(f64([1, 2, 3])).data, [1 - lse, 2 - lse, 3 - lse]);
  });
  it('axis 0 normalises columns, axis 1 rows', () => {
    const x = f64([1, 2, 3, 6, 2, 4, 5, 6, 3, 8, 7, 6], [3, 4]);
    const byColumn = softmax(x, { axis: 0 }).data;
    for (let c = 0; c < 4; c++) expect(byColumn[c] + byColumn[4 + c] + byColumn[8 + c]).toBeCloseTo(1, 14);
    const byRow = softmax(x, { axis: -1 }).data;
    expectClose(byRow.subarray(4, 8), softmax(f64([2, 4, 5, 6])).data);
  });
  it('stays finite at 1000 and -70220', () => {
    expectClose(softmax(f64([1000, 1000, 100])).data, [0.5, 0.5, 0]);
    expectClose(logSoftmax(f64([-10000, -1020, 100, -70220])).data, [-10100, -1120, 0, -70320]);
    expectClose(logSoftmax(f64([1e30, -1e30])).data, [0, -2e30]);
  });
  it('temperature divides the logits', () => {
    expectClose(softmax(f64([1, 2, 3]), { temperature: 2 }).data, softmax(f64([0.5, 1, 1.5])).data);
    expectClose(logSumExp(f64([1, 2, 3]), { temperature: 0.5 }).data, logSumExp(f64([2, 4, 6])).data);
  });
  it('keepDims keeps the reduced axis with length 1', () => {
    const x = randomTensor([2, 3, 4], 1);
    expect(logSumExp(x, { axis: 1 }).shape).toEqual([2, 4]);
    expect(logSumExp(x, { axis: 1, keepDims: true }).shape).toEqual([2, 1, 4]);
  });
});

describe('reference special values and masks', () => {
  it('masked and -Infinity positions are exact, fully masked slices give 0 / -Infinity', () => {
    const y = softmax(f64([1, 2, 3, Number.NEGATIVE_INFINITY]), { where: mask([1, 0, 1, 1]) }).data;
    expect(Object.is(y[1], 0) && Object.is(y[3], 0)).toBe(true);
    expectClose([y[0] + y[2]], [1]);
    const empty = f64([1, 2], [1, 2]);
    expectClose(softmax(empty, { where: mask([0, 0]) }).data, [0, 0]);
    expectClose(logSoftmax(empty, { where: mask([0, 0]) }).data, [-Infinity, -Infinity]);
    expectClose(logSumExp(f64([-Infinity, -Infinity])).data, [-Infinity]);
  });
  it('+Infinity shares the mass; NaN poisons only the positions taking part', () => {
    expectClose(softmax(f64([Infinity, 1, Infinity])).data, [0.5, 0, 0.5]);
    expectClose(logSoftmax(f64([Infinity, 1, Infinity])).data, [-Math.LN2, -Infinity, -Math.LN2]);
    const y = softmax(f64([1, Number.NaN, 3, 4]), { where: mask([1, 1, 1, 0]) }).data;
    expect([Number.isNaN(y[0]), Number.isNaN(y[1]), Number.isNaN(y[2]), Object.is(y[3], 0)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
  it('broadcasts masks by NumPy rules', () => {
    const x = randomTensor([2, 3, 4], 2);
    const column = mask([1, 0, 1, 1], [4]);
    const full = mask(
      Array.from({ length: 24 }, (_, k) => (k % 4 === 1 ? 0 : 1)),
      [2, 3, 4],
    );
    expectClose(softmax(x, { where: column }).data, softmax(x, { where: full }).data, 0);
    expectClose(
      softmax(x, { where: mask([1, 0, 1, 1], [1, 1, 4]) }).data,
      softmax(x, { where: full }).data,
      0,
    );
    const perRow = mask([1, 0, 1], [3, 1]); // masks whole slices of axis -1
    const y = softmax(x, { where: perRow }).data;
    for (let k = 4; k < 8; k++) expect(Object.is(y[k], 0)).toBe(true);
  });
  it('empty axes and zero-size tensors', () => {
    expect(softmax(f64([], [2, 0])).shape).toEqual([2, 0]);
    expectClose(logSumExp(f64([], [2, 0])).data, [-Infinity, -Infinity]);
    expect(logSumExp(f64([], [0, 3]), { axis: 1 }).shape).toEqual([0]);
    expect(softmaxJacobian(f64([], [0, 3])).shape).toEqual([0, 3, 3]);
  });
});

describe('reference gradients: identities', () => {
  const h = 1e-6;
  /** Central differences of a scalar function of x, one element at a time. */
  function numericGradient(x: Tensor<Float64Array>, f: (x: Tensor<Float64Array>) => number): number[] {
    return Array.from(x.data, (_, k) => {
      const plus = f64(Array.from(x.data), [...x.shape]);
      const minus = f64(Array.from(x.data), [...x.shape]);
      plus.data[k] += h;
      minus.data[k] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    });
  }
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).reduce((s, v, k) => s + v * b[k], 0);

  for (const [axis, temperature] of [
    [-1, 1],
    [0, 1],
    [1, 0.7],
  ] as const) {
    it(`softmaxBackward and logSoftmaxBackward match finite differences (axis ${axis}, T ${temperature})`, () => {
      const x = randomTensor([3, 4], 10 + axis);
      const dy = randomTensor([3, 4], 20 + axis, 1);
      const where = mask([1, 1, 0, 1], [4]);
      const opts = { axis, temperature, where };
      const viaFd = numericGradient(x, (xp) => dot(dy.data, softmax(xp, opts).data));
      expectClose(softmaxBackward(softmax(x, opts), dy, opts).data, viaFd, 1e-8);
      const viaFdLog = numericGradient(x, (xp) =>
        dot(
          dy.data,
          logSoftmax(xp, opts).data.map((v) => (v === -Infinity ? 0 : v)),
        ),
      );
      expectClose(logSoftmaxBackward(logSoftmax(x, opts), dy, opts).data, viaFdLog, 1e-8);
    });
  }

  it('the Jacobian matches finite differences and backward is its vector product (non-last axis, T)', () => {
    const x = randomTensor([3, 2], 3);
    const opts = { axis: 0, temperature: 1.5 };
    const y = softmax(x, opts);
    const jac = softmaxJacobian(y, opts);
    expect(jac.shape).toEqual([3, 2, 3]);
    // J[j, i, k] = d y[j, i] / d x[k, i]
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 3; k++) {
        const plus = f64(Array.from(x.data), [3, 2]);
        const minus = f64(Array.from(x.data), [3, 2]);
        plus.data[k * 2 + i] += h;
        minus.data[k * 2 + i] -= h;
        const yp = softmax(plus, opts).data;
        const ym = softmax(minus, opts).data;
        for (let j = 0; j < 3; j++) {
          expectClose([jac.data[(j * 2 + i) * 3 + k]], [(yp[j * 2 + i] - ym[j * 2 + i]) / (2 * h)], 1e-8);
        }
      }
    }
    const dy = randomTensor([3, 2], 4, 1);
    const jvp = Array.from({ length: 6 }, (_, flat) => {
      const [j, i] = [Math.floor(flat / 2), flat % 2];
      let s = 0;
      for (let k = 0; k < 3; k++) s += jac.data[(j * 2 + i) * 3 + k] * dy.data[k * 2 + i];
      return s;
    });
    expectClose(softmaxBackward(y, dy, opts).data, jvp, 1e-14);
  });

  const ceVariants = [
    { name: 'labels, mean', target: labels([2, 0, -100]), options: {} },
    {
      name: 'labels, smoothing + weights, mean',
      target: labels([2, 0, 1]),
      options: { labelSmoothing: 0.2, weights: f64([0.5, 2, 1]) },
    },
    {
      name: 'labels, sum, ignoreIndex 1',
      target: labels([2, 1, 1]),
      options: { reduction: 'sum' as const, ignoreIndex: 1 },
    },
    {
      name: 'probabilities, none, weights',
      target: f64([0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8], [3, 3]),
      options: { reduction: 'none' as const, weights: f64([1, 2, 3]) },
    },
  ];
  for (const variant of ceVariants) {
    it(`cross-entropy gradient matches finite differences of the loss (${variant.name})`, () => {
      const logits = randomTensor([3, 3], 5);
      const { grad } = softmaxCrossEntropy(logits, variant.target, variant.options);
      const lossSum = (l: Tensor<Float64Array>) =>
        Array.from(softmaxCrossEntropy(l, variant.target, variant.options).loss.data).reduce(
          (a, b) => a + b,
          0,
        );
      expectClose(grad.data, numericGradient(logits, lossSum), 1e-8);
    });
  }
});

describe('reference cross-entropy values', () => {
  it('matches PyTorch semantics on a hand-computed case', () => {
    const logits = f64([1, 2, 3], [1, 3]);
    const lse = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expectClose(softmaxCrossEntropy(logits, labels([2], [1])).loss.data, [lse - 3]);
    // smoothing e: loss = (1-e)(lse - x_y) + e/C sum_c (lse - x_c)
    const e = 0.3;
    const smoothed = (1 - e) * (lse - 3) + (e / 3) * (3 * lse - 6);
    expectClose(softmaxCrossEntropy(logits, labels([2], [1]), { labelSmoothing: e }).loss.data, [smoothed]);
  });
  it('the weighted mean divides by the summed target weights; all ignored gives 0', () => {
    const logits = randomTensor([2, 3], 6);
    const weights = f64([1, 3, 0.5]);
    const none = softmaxCrossEntropy(logits, labels([1, 2]), { weights, reduction: 'none' }).loss.data;
    expectClose(softmaxCrossEntropy(logits, labels([1, 2]), { weights }).loss.data, [
      (none[0] + none[1]) / 3.5,
    ]);
    const allIgnored = softmaxCrossEntropy(logits, labels([-100, -100]));
    expectClose(allIgnored.loss.data, [0]);
    expectClose(allIgnored.grad.data, [0, 0, 0, 0, 0, 0]);
  });
  it('stays finite at logits of +-1e4', () => {
    const { loss, grad } = softmaxCrossEntropy(f64([1e4, -1e4, 0], [1, 3]), labels([1], [1]));
    expectClose(loss.data, [2e4]);
    expectClose(grad.data, [1, -1, 0]);
  });
  it('accepts float32 inputs and computes in float64', () => {
    const y = softmax(f32([0.1, 0.2]));
    expect(y.data).toBeInstanceOf(Float64Array);
  });
});

describe('reference bad input', () => {
  const expectError = (fn: () => unknown, type: typeof ShapeError | typeof ValueError, argument: string) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(type);
      expect((error as ShapeError).argument).toBe(argument);
      return;
    }
    throw new Error('expected an error');
  };
  it('throws the typed errors SEMANTICS.md lists', () => {
    expectError(() => softmax(f32([1, 2, 3], [2, 2])), ShapeError, 'x');
    expectError(() => softmax(f32([], [-1, 0])), ShapeError, 'x');
    expectError(() => softmax(f32([1, 2], [1.5])), ShapeError, 'x');
    expectError(() => softmax(f32([1, 2]), { axis: 1 }), ShapeError, 'options.axis');
    expectError(() => softmax(f32([1, 2]), { where: mask([1, 0, 1]) }), ShapeError, 'options.where');
    expectError(() => softmaxBackward(f32([1, 2]), f32([1, 2, 3])), ShapeError, 'dy');
    expectError(() => softmax(f32([1, 2]), { temperature: 0 }), ValueError, 'options.temperature');
    expectError(() => softmax(f32([1, 2]), { temperature: Infinity }), ValueError, 'options.temperature');
    expectError(() => softmaxCrossEntropy(f32([1, 2], [1, 2]), labels([2], [1])), ValueError, 'target');
    expectError(
      () => softmaxCrossEntropy(f32([1, 2], [1, 2]), labels([0], [1]), { labelSmoothing: 1 }),
      ValueError,
      'options.labelSmoothing',
    );
    expectError(() => softmax(f32([1, 2]), { out: new Float64Array(2) }), ValueError, 'options.out');
    expectError(() => softmax(f32([1, 2]), { out: new Float32Array(3) }), ShapeError, 'options.out');
  });
});

describe('reference: infinities, tiny temperatures, strict options', () => {
  it('the one sum keeps +Infinity (Neumaier alone gives NaN) and NaN', () => {
    expect(accurateSum([Number.POSITIVE_INFINITY, 1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(accurateSum([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(accurateSum([1e308, 1e308])).toBe(Number.POSITIVE_INFINITY);
    expect(accurateSum([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBeNaN();
    expect(accurateSum([1, Number.NaN])).toBeNaN();
    // Still compensated for finite terms: 1 + 1e-16 * 10 loses nothing.
    expect(accurateSum([1, ...new Array(10).fill(1e-16)])).toBe(1 + 1e-15);
  });

  it('cross-entropy with weight on a probability-0 class is +Infinity in every reduction', () => {
    const x = f64([1, Number.NEGATIVE_INFINITY, 3, 0, 1, 2], [2, 3]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(softmaxCrossEntropy(x, labels([1, 2]), { reduction }).loss.data[0]).toBe(
        Number.POSITIVE_INFINITY,
      );
      const smoothed = softmaxCrossEntropy(x, labels([0, 2]), { reduction, labelSmoothing: 0.1 });
      expect(smoothed.loss.data[0]).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it('a temperature whose inverse overflows gives the +Infinity limit', () => {
    expectClose(softmax(f64([0, 1, 2]), { temperature: 1e-310 }).data, [0, 0.5, 0.5]);
    expect(logSumExp(f64([0, 1, 2]), { temperature: 1e-310 }).data[0]).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects options that are not an object, unknown keys and null values, like core', () => {
    expect(() => softmax(f64([1, 2]), 0 as never)).toThrow(ValueError);
    expect(() => softmax(f64([1, 2]), { mask: mask([1, 0]) } as never)).toThrow(/options\.mask/);
    expect(() => softmaxCrossEntropy(f64([1, 2], [1, 2]), labels([0]), { temperature: 2 } as never)).toThrow(
      ValueError,
    );
    expect(() => softmax(f64([1, 2]), { axis: null } as never)).toThrow(ShapeError);
    expect(() => logSumExp(f64([1, 2]), { keepDims: 1 } as never)).toThrow(ValueError);
  });

  it('refuses a result too large to hold, and lists no slice of a zero-size input', () => {
    const empty = { data: new Float64Array(0), shape: [2 ** 40, 0] };
    expect(() => logSumExp(empty)).toThrow(SizeError);
    expect(softmax(empty).shape).toEqual([2 ** 40, 0]);
    expect(softmaxCrossEntropy(empty, { data: new Float64Array(0), shape: [2 ** 40, 0] }).loss.data[0]).toBe(
      0,
    );
    expect(logSumExp({ data: new Float64Array(0), shape: [2, 0] }).data).toEqual(
      Float64Array.of(-Infinity, -Infinity),
    );
  });
});
