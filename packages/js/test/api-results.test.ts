/**
 * Results through the public API (createSoftmax(jsBackend())) that core and the kernels must get
 * right together, each against core's float64 reference or an exact value: infinite
 * cross-entropy losses and their reductions, float32 overflow in cross-entropy, temperatures
 * whose inverse overflows, outputs aliasing inputs through SharedArrayBuffer clones, and the
 * float64 bound on very long rows.
 */
import {
  createSoftmax,
  type FloatArray,
  labels,
  type Softmax,
  type Tensor,
  tensor,
  ValueError,
} from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../src/index.js';

let sm: Softmax<true>;
beforeAll(async () => {
  sm = await createSoftmax(jsBackend());
});

/** Element-wise: exact where the reference is not finite, else within `tolerance` * max(1, |ref|). */
function expectNear(actual: FloatArray, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++) {
    const want = expected[k];
    if (!Number.isFinite(want)) expect(actual[k], `element ${k}`).toBe(want);
    else
      expect(Math.abs(actual[k] - want), `element ${k}: ${actual[k]} vs ${want}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, Math.abs(want)),
      );
  }
}

describe('cross-entropy losses of +Infinity stay +Infinity through every reduction', () => {
  const withMinusInf = (dtype: 'float32' | 'float64') =>
    tensor(
      [
        [1, Number.NEGATIVE_INFINITY, 3],
        [0, 1, 2],
      ],
      { dtype },
    );
  const withPlusInf = (dtype: 'float32' | 'float64') =>
    tensor(
      [
        [1, Number.POSITIVE_INFINITY, 3],
        [0, 1, 2],
      ],
      { dtype },
    );
  const cases = [
    { name: 'label on a -Infinity logit', x: withMinusInf, target: () => labels([1, 2]), options: {} },
    {
      name: 'label smoothing next to a -Infinity logit',
      x: withMinusInf,
      target: () => labels([0, 2]),
      options: { labelSmoothing: 0.1 },
    },
    { name: 'label beside a +Infinity logit', x: withPlusInf, target: () => labels([0, 2]), options: {} },
    {
      name: 'weights and a -Infinity logit',
      x: withMinusInf,
      target: () => labels([1, 0]),
      options: { weights: 'w' },
    },
    {
      name: 'probability mass on a -Infinity logit',
      x: withMinusInf,
      target: (dtype: 'float32' | 'float64') =>
        tensor(
          [
            [0.5, 0.5, 0],
            [0.2, 0.3, 0.5],
          ],
          { dtype },
        ),
      options: {},
    },
  ] as const;
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of cases) {
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        it(`${dtype} ${c.name}, reduction ${reduction}`, () => {
          const x = c.x(dtype);
          const target = c.target(dtype);
          const weights = tensor([1, 2, 0.5], { dtype });
          const options = { reduction, ...c.options, weights: 'weights' in c.options ? weights : undefined };
          const got = sm.sync.softmaxCrossEntropy(x, target, options);
          const want = reference.softmaxCrossEntropy(x, target, options);
          expect(got.loss.data[0]).toBe(Number.POSITIVE_INFINITY);
          expectNear(got.loss.data, want.loss.data, 1e-6);
          // The gradient is finite and right.
          expect([...got.grad.data].every(Number.isFinite)).toBe(true);
          expectNear(got.grad.data, want.grad.data, 4e-6);
        });
      }
    }
  }
});

describe('float32 cross-entropy does not overflow where the answer fits', () => {
  it('[[1e38, -1e38]], label 1, weights [1, 2]: the mean is 2e38', () => {
    const x = tensor([[1e38, -1e38]]);
    const weights = tensor([1, 2]);
    const got = sm.sync.softmaxCrossEntropy(x, labels([1]), { weights });
    const want = reference.softmaxCrossEntropy(x, labels([1]), { weights });
    expect(want.loss.data[0]).toBeCloseTo(2e38, -32);
    expect(got.loss.data[0] / want.loss.data[0]).toBeCloseTo(1, 6);
  });

  it('a mean over two samples where one loss alone overflows float32', () => {
    const x = tensor([
      [2e38, -2e38],
      [0, 0],
    ]);
    const got = sm.sync.softmaxCrossEntropy(x, labels([1, 0]));
    const want = reference.softmaxCrossEntropy(x, labels([1, 0]));
    expect(Number.isFinite(got.loss.data[0])).toBe(true);
    expect(got.loss.data[0] / want.loss.data[0]).toBeCloseTo(1, 6);
  });

  it('[[3e38, -3e38]] with reduction sum is +Infinity, not NaN', () => {
    const got = sm.sync.softmaxCrossEntropy(tensor([[3e38, -3e38]]), labels([1]), { reduction: 'sum' });
    expect(got.loss.data[0]).toBe(Number.POSITIVE_INFINITY);
    expect([...got.grad.data]).toEqual([1, -1]);
  });
});

describe('a temperature whose inverse is not representable', () => {
  const forward = ['softmax', 'logSoftmax', 'logSumExp'] as const;
  const referenceOf = {
    softmax: reference.softmax,
    logSoftmax: reference.logSoftmax,
    logSumExp: reference.logSumExp,
  };
  it('float64 [0, 1, 2] with T = 1e-310 gives the limits the reference gives', () => {
    const x = tensor([0, 1, 2], { dtype: 'float64' });
    expect([...sm.sync.softmax(x, { temperature: 1e-310 }).data]).toEqual([0, 0.5, 0.5]);
    for (const op of forward) {
      const got = sm.sync[op](x, { temperature: 1e-310 });
      expectNear(got.data, referenceOf[op](x, { temperature: 1e-310 }).data, 1e-12);
    }
  });

  it('float64 slices with a finite max / T keep their ratios (shifted before the kernel)', () => {
    const x = tensor(
      [
        [-1e-300, 0, 1e-300, 2e-300],
        [1e-300, Number.NEGATIVE_INFINITY, 1.5e-300, 0.5e-300],
      ],
      { dtype: 'float64' },
    );
    const where = { data: Uint8Array.of(1, 1, 1, 0, 1, 1, 1, 1), shape: [2, 4] };
    for (const temperature of [1e-310, 3e-309, 1e-305]) {
      for (const op of forward) {
        const got = sm.sync[op](x, { temperature, where });
        expectNear(got.data, referenceOf[op](x, { temperature, where }).data, 1e-12);
      }
    }
  });

  it('float32 with T = 1e-39 (1 / T above the float32 range) matches the reference', () => {
    const x = tensor([
      [0, 1e-38, 2e-38],
      [-3e-39, 0, Number.NEGATIVE_INFINITY],
    ]);
    for (const op of forward) {
      const got = sm.sync[op](x, { temperature: 1e-39 });
      expectNear(got.data, referenceOf[op](x, { temperature: 1e-39 }).data, 4e-6);
    }
  });

  it('gradients and the Jacobian are scaled by 1 / T exactly (0 stays 0)', () => {
    const y = tensor([0.2, 0.3, 0.5, 0], { dtype: 'float64' });
    const dy = tensor([1, 0.3, -1, 5], { dtype: 'float64' });
    const logp = tensor([-1, -2, -0.5, Number.NEGATIVE_INFINITY], { dtype: 'float64' });
    for (const temperature of [1e-310, 1e-300]) {
      const options = { temperature };
      expectNear(
        sm.sync.softmaxBackward(y, dy, options).data,
        reference.softmaxBackward(y, dy, options).data,
        1e-12,
      );
      expectNear(
        sm.sync.logSoftmaxBackward(logp, dy, options).data,
        reference.logSoftmaxBackward(logp, dy, options).data,
        1e-12,
      );
      expectNear(sm.sync.softmaxJacobian(y, options).data, reference.softmaxJacobian(y, options).data, 1e-12);
    }
    const got = sm.sync.softmaxBackward(y, dy, { temperature: 1e-310 });
    expect(got.data[3]).toBe(0);
    expect(got.data.some(Number.isNaN)).toBe(false);
  });
});

describe('out never overwrites an input, even through a SharedArrayBuffer clone', () => {
  function shared(values: number[]): Tensor<Float32Array> {
    const data = new Float32Array(new SharedArrayBuffer(values.length * 4));
    data.set(values);
    return { data, shape: [values.length] };
  }

  it('refuses an out over a structuredClone of the input buffer, and leaves the input alone', () => {
    const x = shared([1, 2, 3, 4]);
    const clone = structuredClone(x.data.buffer);
    expect(clone).not.toBe(x.data.buffer);
    for (const out of [new Float32Array(clone), new Float32Array(clone, 0, 4)]) {
      expect(() => sm.sync.softmax(x, { out })).toThrow(ValueError);
      expect(() => sm.sync.logSoftmaxBackward(x, shared([1, 1, 1, 1]), { out })).toThrow(ValueError);
    }
    expect([...x.data]).toEqual([1, 2, 3, 4]);
  });

  it('refuses a gradOut over a clone of the logits or the labels buffer', () => {
    const x = shared([1, 2, 3, 4]);
    const gradOut = new Float32Array(structuredClone(x.data.buffer));
    expect(() =>
      sm.sync.softmaxCrossEntropy({ data: x.data, shape: [1, 4] }, labels([2]), { gradOut }),
    ).toThrow(/gradOut shares memory/);
    expect([...x.data]).toEqual([1, 2, 3, 4]);
    const labelBuffer = new SharedArrayBuffer(16);
    const target = { data: new Int32Array(labelBuffer, 0, 1), shape: [] };
    const grad = new Float32Array(structuredClone(labelBuffer), 0, 4);
    expect(() =>
      sm.sync.softmaxCrossEntropy({ data: x.data, shape: [4] }, target, { gradOut: grad }),
    ).toThrow(ValueError);
  });

  it('accepts disjoint parts of one shared buffer (through a clone) and a separate shared buffer', () => {
    const buffer = new SharedArrayBuffer(32);
    const x = { data: new Float32Array(buffer, 0, 4), shape: [4] };
    x.data.set([1, 2, 3, 4]);
    const out = new Float32Array(structuredClone(buffer), 16, 4);
    const y = sm.sync.softmax(x, { out });
    expect(y.data).toBe(out);
    expectNear(out, reference.softmax(x).data, 4e-6);
    expect([...x.data]).toEqual([1, 2, 3, 4]);
    const separate = new Float32Array(new SharedArrayBuffer(16));
    expectNear(sm.sync.softmax(x, { out: separate }).data, reference.softmax(x).data, 4e-6);
  });
});

describe('float64 long rows keep the 1e-12 bound', () => {
  it('softmax, logSoftmax and logSumExp of a 2^24-element row', () => {
    const n = 2 ** 24;
    const x = new Float64Array(n);
    let seed = 12345;
    for (let k = 0; k < n; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      x[k] = seed / 2 ** 32;
    }
    // The reference for one long row: exact max, Neumaier sum of the exps.
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) if (x[k] > max) max = x[k];
    let sum = 0;
    let comp = 0;
    for (let k = 0; k < n; k++) {
      const v = Math.exp(x[k] - max);
      const t = sum + v;
      comp += sum >= v ? sum - t + v : v - t + sum;
      sum = t;
    }
    const total = sum + comp;
    const logTotal = Math.log(total);
    const input = { data: x, shape: [n] };
    const y = sm.sync.softmax(input).data;
    let worst = 0;
    for (let k = 0; k < n; k++) {
      const want = Math.exp(x[k] - max) / total;
      worst = Math.max(worst, Math.abs(y[k] - want) / want);
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
    const logY = sm.sync.logSoftmax(input, { out: y }).data;
    worst = 0;
    for (let k = 0; k < n; k++) {
      const want = x[k] - max - logTotal;
      worst = Math.max(worst, Math.abs(logY[k] - want) / Math.max(1, Math.abs(want)));
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
    const lse = sm.sync.logSumExp(input).data[0];
    expect(Math.abs(lse - (max + logTotal))).toBeLessThanOrEqual(1e-12 * (max + logTotal));
  });
});
