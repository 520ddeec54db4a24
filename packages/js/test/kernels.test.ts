import type { Backend, FloatArray, Kernels } from '@softmax-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../src/index.js';
import {
  alloc,
  as,
  compare,
  type DTypeName,
  type Kind,
  type MaskKind,
  makeMask,
  random,
  setSlice,
  view,
} from './helpers.js';
import {
  type Dims,
  everything,
  refCrossEntropy,
  refForward,
  refJacobian,
  refLogSoftmaxBackward,
  refSoftmaxBackward,
  type Takes,
} from './reference.js';

const DTYPES: DTypeName[] = ['float32', 'float64'];
const SHAPES: Dims[] = [
  { outer: 6, n: 9, inner: 1 },
  { outer: 3, n: 6, inner: 5 },
  { outer: 2, n: 4, inner: 600 }, // lane-blocked backward and float32 forward, else one slice at a time
  { outer: 2, n: 3, inner: 1100 }, // lane-blocked everywhere, more slices than one lane block
  { outer: 2, n: 5, inner: 2051 }, // one block of 2051 lanes: a tail shorter than the 4-lane unroll
  { outer: 1, n: 3, inner: 4099 }, // beyond LANES: four blocks of STREAM_LANES and a tail of 3
  { outer: 1, n: 21, inner: 1030 }, // lane blocks sample rows 0, 8, 16, 20 for the shift estimate
  { outer: 1, n: 1, inner: 1 },
  { outer: 5, n: 1, inner: 3 },
  { outer: 1, n: 37, inner: 2 },
];
const MASKS: MaskKind[] = [
  'none',
  'dense',
  'dense-as-general',
  'broadcast-outer',
  'broadcast-inner',
  'one-slice',
];

let backend: Backend;
let kernels: Kernels;
beforeAll(async () => {
  backend = await jsBackend().start();
  kernels = backend.kernels;
});
afterAll(() => backend.dispose());

function expectClose(got: ArrayLike<number>, ref: ArrayLike<number>, kind: Kind, dtype: DTypeName): void {
  const { bad } = compare(got, ref, kind, dtype);
  expect(bad).toEqual([]);
}

const size = (d: Dims) => d.outer * d.n * d.inner;
const shapeName = (d: Dims) => `[${d.outer}, ${d.n}, ${d.inner}]`;

/** x with special slices planted: NaN, two +Infinity, all -Infinity, some -Infinity, +-1e4, 1e30. */
function specialInput(dtype: DTypeName, d: Dims, seed: number): FloatArray {
  const x = random(dtype, size(d), seed);
  const slices = d.outer * d.inner;
  const plant: number[][] = [
    [1, Number.NaN, -Infinity, 2],
    [Infinity, 0, Infinity, -Infinity],
    [-Infinity],
    [-Infinity, 3, -Infinity, -2],
    [1e4, -1e4, 9999, 0],
    [1e30, -1e30, 3e29, 1e30],
    [Infinity, Number.NaN, 1],
  ];
  for (let s = 0; s < Math.min(slices, plant.length); s++) {
    setSlice(d, x, Math.floor(s / d.inner), s % d.inner, plant[s]);
  }
  return x;
}

function forwardCase(
  dtype: DTypeName,
  d: Dims,
  x: FloatArray,
  maskKind: MaskKind,
  invT: number,
  seed: number,
) {
  const { mask, takes } = makeMask(d, maskKind, seed);
  const ref = refForward(d, x, takes, invT);
  const before = Float64Array.from(x);
  const out = alloc(dtype, size(d));
  kernels.softmax!({ view: view(d), mask, invTemperature: invT, x, out });
  expectClose(out, ref.soft, 'prob', dtype);
  const logOut = alloc(dtype, size(d));
  kernels.logSoftmax!({ view: view(d), mask, invTemperature: invT, x, out: logOut });
  expectClose(logOut, ref.logs, 'log', dtype);
  const lse = alloc(dtype, d.outer * d.inner);
  kernels.logSumExp!({ view: view(d), mask, invTemperature: invT, x, out: lse });
  expectClose(lse, ref.lse, 'log', dtype);
  expect(Array.from(x)).toEqual(Array.from(before));
  return { out, logOut, takes };
}

describe.each(DTYPES)('%s forward kernels', (dtype) => {
  describe.each(SHAPES.map((d) => [shapeName(d), d] as const))('shape %s', (_name, d) => {
    it.each(MASKS)('softmax, logSoftmax, logSumExp match the reference with mask %s', (maskKind) => {
      for (const invT of [1, 2.5, 1 / 3])
        forwardCase(dtype, d, random(dtype, size(d), 11), maskKind, invT, 5);
    });
    it.each(MASKS)('NaN, +-Infinity, -Infinity slices follow the documented limits (mask %s)', (maskKind) => {
      forwardCase(dtype, d, specialInput(dtype, d, 12), maskKind, 1, 6);
      forwardCase(dtype, d, specialInput(dtype, d, 13), maskKind, 0.5, 7);
    });
  });

  it('masked and -Infinity positions are exactly +0 / -Infinity, fully masked slices give 0, -Infinity', () => {
    const d = { outer: 3, n: 5, inner: 4 };
    const x = random(dtype, size(d), 3);
    x[0] = -Infinity;
    const { out, logOut, takes } = forwardCase(dtype, d, x, 'dense', 1, 9);
    let checked = 0;
    for (let o = 0; o < d.outer; o++) {
      for (let j = 0; j < d.n; j++) {
        for (let i = 0; i < d.inner; i++) {
          const k = (o * d.n + j) * d.inner + i;
          if (takes(o, j, i) && x[k] !== -Infinity) continue;
          expect(Object.is(out[k], 0)).toBe(true);
          expect(logOut[k]).toBe(-Infinity);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(d.n); // includes the fully masked first slice
  });

  it('stays finite and sums to 1 for logits of +-1e4 and 1e30', () => {
    const d = { outer: 2, n: 4, inner: 1 };
    const x = as(dtype, [1e4, -1e4, 0, 1e4 - 1, 1e30, -1e30, 1e30, 0]);
    const out = alloc(dtype, 8);
    kernels.softmax!({ view: view(d), mask: null, invTemperature: 1, x, out });
    const logOut = alloc(dtype, 8);
    kernels.logSoftmax!({ view: view(d), mask: null, invTemperature: 1, x, out: logOut });
    expect(out[0] + out[1] + out[2] + out[3]).toBeCloseTo(1, 6);
    expect(out[4]).toBe(0.5);
    expect(logOut[1]).toBeCloseTo(-2e4 - Math.log1p(Math.exp(-1)), 1);
    for (const v of logOut) expect(Number.isNaN(v)).toBe(false);
  });

  it('slices whose maximum the sampled estimate misses by far, or overshoots, are still exact', () => {
    const d = { outer: 6, n: 100, inner: 1 };
    const x = random(dtype, size(d), 31, 2);
    x[3] = 300; // row 0: the max sits between samples, 300 above them: exp would overflow
    x[100] = 1e4; // row 1: a sampled outlier far above the rest (they all underflow)
    x[200 + 5] = 95; // row 2: 95 above the samples, just past the fast exp's ceiling
    x[300 + 7] = Infinity; // row 3: +Infinity between samples
    x[400 + 9] = Number.NaN; // row 4: NaN between samples
    for (let j = 500; j < 600; j++) x[j] = j === 550 ? 1 : -1e30; // row 5: the rest far below
    for (const maskKind of ['none', 'dense', 'broadcast-outer'] as const) {
      for (const invT of [1, 40]) forwardCase(dtype, d, x, maskKind, invT, 3);
    }
    // A low temperature: the estimate misses on most slices, and after a few the kernels stop
    // trying for the rest of the call; both halves must be exact.
    const many = { outer: 12, n: 50, inner: 1 };
    for (const maskKind of ['none', 'dense'] as const) {
      forwardCase(dtype, many, random(dtype, size(many), 33, 3), maskKind, 60, 5);
    }
    // The same along a middle axis with a large inner (the lane-blocked kernels).
    const s = { outer: 1, n: 20, inner: 1100 };
    const y = random(dtype, size(s), 32, 2);
    y[3 * 1100 + 5] = 300; // lane 5: the max sits in a row the per-slice sampling skips
    y[4 * 1100 + 6] = 300; // lane 6: in a row the lane-blocked sampling (0, 8, 16, 19) skips
    y[7 * 1100 + 900] = 95;
    for (const invT of [1, 40]) forwardCase(dtype, s, y, 'none', invT, 4);
    const blocks = { outer: 6, n: 20, inner: 1100 }; // 6 lane blocks at a low temperature
    forwardCase(dtype, blocks, random(dtype, size(blocks), 34, 3), 'none', 60, 4);
  });

  it.each([
    [{ outer: 1, n: 200_000, inner: 1 }],
    [{ outer: 2, n: 100_003, inner: 1 }],
    [{ outer: 1, n: 60_000, inner: 3 }],
  ])('long slices stay within tolerance: %o', (d) => {
    forwardCase(dtype, d, random(dtype, size(d), 21, 20), 'none', 1, 1);
    forwardCase(dtype, d, random(dtype, size(d), 22, 2), 'dense', 1.7, 2);
  });
});

function gradInputs(dtype: DTypeName, d: Dims, takes: Takes, seed: number, invT: number) {
  const x = random(dtype, size(d), seed);
  const fwd = refForward(d, x, takes, invT);
  return { y: as(dtype, fwd.soft), logp: as(dtype, fwd.logs), dy: random(dtype, size(d), seed + 1, 1) };
}

describe.each(DTYPES)('%s backward kernels', (dtype) => {
  describe.each(SHAPES.map((d) => [shapeName(d), d] as const))('shape %s', (_name, d) => {
    it.each(MASKS)('softmaxBackward, logSoftmaxBackward, softmaxJacobian with mask %s', (maskKind) => {
      const { mask, takes } = makeMask(d, maskKind, 31);
      for (const invT of [1, 0.4]) {
        const { y, logp, dy } = gradInputs(dtype, d, takes, 41, invT);
        const out = alloc(dtype, size(d));
        kernels.softmaxBackward!({ view: view(d), mask, invTemperature: invT, y, dy, out });
        expectClose(out, refSoftmaxBackward(d, y, dy, takes, invT), 'prob', dtype);
        const lout = alloc(dtype, size(d));
        kernels.logSoftmaxBackward!({ view: view(d), mask, invTemperature: invT, logp, dy, out: lout });
        expectClose(lout, refLogSoftmaxBackward(d, logp, dy, takes, invT), 'prob', dtype);
        const jac = alloc(dtype, size(d) * d.n);
        kernels.softmaxJacobian!({ view: view(d), mask, invTemperature: invT, y, out: jac });
        expectClose(jac, refJacobian(d, y, takes, invT), 'prob', dtype);
      }
    });
  });

  it('gradients are 0 where y = 0 or logp = -Infinity even when dy there is NaN or infinite', () => {
    const d = { outer: 2, n: 4, inner: 1 };
    const y = as(dtype, [0.5, 0, 0.5, 0, 0, 0, 0, 0]);
    const logp = as(dtype, [
      Math.log(0.5),
      -Infinity,
      Math.log(0.5),
      -Infinity,
      -Infinity,
      -Infinity,
      -Infinity,
      -Infinity,
    ]);
    const dy = as(dtype, [1, Number.NaN, 2, Infinity, Number.NaN, 1, 2, 3]);
    const out = alloc(dtype, 8);
    kernels.softmaxBackward!({ view: view(d), mask: null, invTemperature: 1, y, dy, out });
    expectClose(out, refSoftmaxBackward(d, y, dy, everything, 1), 'prob', dtype);
    expect(Array.from(out)).toEqual([-0.25, 0, 0.25, 0, 0, 0, 0, 0]);
    kernels.logSoftmaxBackward!({ view: view(d), mask: null, invTemperature: 1, logp, dy, out });
    expect(Array.from(out)).toEqual([-0.5, 0, 0.5, 0, 0, 0, 0, 0]);
  });

  it('long slices stay within tolerance', () => {
    const d = { outer: 1, n: 200_000, inner: 1 };
    const { y, logp, dy } = gradInputs(dtype, d, everything, 51, 1);
    const out = alloc(dtype, size(d));
    kernels.softmaxBackward!({ view: view(d), mask: null, invTemperature: 1, y, dy, out });
    expectClose(out, refSoftmaxBackward(d, y, dy, everything, 1), 'prob', dtype);
    kernels.logSoftmaxBackward!({ view: view(d), mask: null, invTemperature: 1, logp, dy, out });
    expectClose(out, refLogSoftmaxBackward(d, logp, dy, everything, 1), 'prob', dtype);
  });
});

describe.each(DTYPES)('%s softmaxCrossEntropy', (dtype) => {
  const CE_SHAPES: Dims[] = [
    { outer: 7, n: 5, inner: 1 },
    { outer: 3, n: 4, inner: 6 },
    { outer: 1, n: 3, inner: 700 },
    { outer: 2, n: 3, inner: 1100 },
    { outer: 2, n: 7, inner: 2051 }, // a tail shorter than the 4-lane unroll
    { outer: 1, n: 4, inner: 4099 }, // beyond LANES: several lane blocks
    { outer: 2, n: 1, inner: 1 },
  ];

  /** Label-target cross-entropy (ignoreIndex -100) against the reference: loss and gradient. */
  function checkLabels(
    d: Dims,
    logits: FloatArray,
    labels: Int32Array,
    labelSmoothing: number,
    weights: FloatArray | null,
    gradScale: number,
  ): void {
    const lossOut = alloc(dtype, d.outer * d.inner);
    const gradOut = alloc(dtype, size(d));
    const target = { kind: 'labels', labels, ignoreIndex: -100 } as const;
    kernels.softmaxCrossEntropy!({
      view: view(d),
      logits,
      target,
      labelSmoothing,
      weights,
      gradScale,
      lossScale: gradScale,
      lossOut,
      gradOut,
    });
    const ref = refCrossEntropy(d, logits, {
      labels,
      ignoreIndex: -100,
      labelSmoothing,
      weights,
      gradScale,
      lossScale: gradScale,
    });
    expectClose(lossOut, ref.loss, 'log', dtype);
    expectClose(gradOut, ref.grad, 'prob', dtype);
  }
  const OPTIONS = [
    { labelSmoothing: 0, weighted: false },
    { labelSmoothing: 0, weighted: true },
    { labelSmoothing: 0.1, weighted: false },
    { labelSmoothing: 0.25, weighted: true },
  ];
  describe.each(CE_SHAPES.map((d) => [shapeName(d), d] as const))('shape %s', (_name, d) => {
    it.each(OPTIONS)('labels with ignoreIndex and probabilities: %o', ({ labelSmoothing, weighted }) => {
      for (const special of [false, true]) {
        const logits = special ? specialInput(dtype, d, 61) : random(dtype, size(d), 61, 5);
        const samples = d.outer * d.inner;
        const labels = new Int32Array(samples);
        for (let s = 0; s < samples; s++) labels[s] = s % 5 === 3 ? -100 : (s * 7) % d.n;
        const weights = weighted
          ? random(dtype, d.n, 62, 1).map((v) => Math.abs(v) + (v > 0.8 ? 0 : 0.1))
          : null;
        checkLabels(d, logits, labels, labelSmoothing, weights, 1 / samples);

        const gradOut = alloc(dtype, size(d));
        const q = random(dtype, size(d), 63, 1).map(Math.abs);
        const pOut = alloc(dtype, samples);
        kernels.softmaxCrossEntropy!({
          view: view(d),
          logits,
          target: { kind: 'probabilities', probabilities: q },
          labelSmoothing,
          weights,
          gradScale: 2,
          lossScale: 3,
          lossOut: pOut,
          gradOut,
        });
        const pref = refCrossEntropy(d, logits, {
          probabilities: q,
          labelSmoothing,
          weights,
          gradScale: 2,
          lossScale: 3,
        });
        expectClose(pOut, pref.loss, 'log', dtype);
        expectClose(gradOut, pref.grad, 'prob', dtype);
      }
    });
  });

  it('a -Infinity logit with zero target weight contributes 0, not NaN', () => {
    const d = { outer: 1, n: 3, inner: 1 };
    const logits = as(dtype, [-Infinity, 1, 2]);
    const lossOut = alloc(dtype, 1);
    const gradOut = alloc(dtype, 3);
    kernels.softmaxCrossEntropy!({
      view: view(d),
      logits,
      target: { kind: 'labels', labels: Int32Array.of(2), ignoreIndex: -100 },
      labelSmoothing: 0,
      weights: null,
      gradScale: 1,
      lossScale: 1,
      lossOut,
      gradOut,
    });
    expect(lossOut[0]).toBeCloseTo(Math.log1p(Math.exp(-1)), 6);
    expect(gradOut[0]).toBe(0);
  });

  it('is exact when the max estimate misses the maximum by far or overshoots', () => {
    const d = { outer: 3, n: 100, inner: 1 };
    const logits = random(dtype, size(d), 91, 2);
    logits[3] = 300;
    logits[100] = 1e4;
    logits[200 + 5] = 95;
    const labels = Int32Array.of(3, 7, 5);
    for (const labelSmoothing of [0, 0.2]) checkLabels(d, logits, labels, labelSmoothing, null, 1);
  });

  it('is exact along a middle axis when the estimate misses, in more blocks than MAX_MISSES', () => {
    const d = { outer: 3, n: 20, inner: 4100 }; // 15 lane blocks, 6 with a missed maximum
    const logits = random(dtype, size(d), 92, 2);
    const labels = new Int32Array(d.outer * d.inner);
    for (let o = 0; o < d.outer; o++) {
      for (const i of [o * 7, 1050 + o]) logits[(o * d.n + 4) * d.inner + i] = 300; // row 4 is not sampled
      for (let i = 0; i < d.inner; i++)
        labels[o * d.inner + i] = i === o * 7 ? 4 : i % 9 === 4 ? -100 : (i + o) % d.n;
    }
    for (const weights of [null, random(dtype, d.n, 93, 1).map((v) => Math.abs(v) + 0.1)]) {
      checkLabels(d, logits, labels, 0, weights, 1);
    }
  });

  it('long rows stay within tolerance', () => {
    const d = { outer: 2, n: 150_000, inner: 1 };
    const logits = random(dtype, size(d), 71, 10);
    checkLabels(d, logits, Int32Array.of(5, 149_999), 0, null, 0.5);
  });
});

describe('the backend object', () => {
  it('declares its name, dtypes, sync kernels and every op', async () => {
    const factory = jsBackend();
    expect(factory.name).toBe('js');
    expect(factory.dtypes).toEqual(['float32', 'float64']);
    const b = await factory.start();
    expect(b.name).toBe('js');
    expect(b.capabilities).toEqual({
      dtypes: ['float32', 'float64'],
      sync: true,
      maxElements: Number.MAX_SAFE_INTEGER,
      writesWholeResults: true,
    });
    expect(Object.keys(b.kernels).sort()).toEqual(
      [
        'logSoftmax',
        'logSoftmaxBackward',
        'logSumExp',
        'softmax',
        'softmaxBackward',
        'softmaxCrossEntropy',
        'softmaxJacobian',
      ].sort(),
    );
    const out = new Float32Array(3);
    const r = b.kernels.softmax!({
      view: { outer: 1, n: 3, inner: 1 },
      mask: null,
      invTemperature: 1,
      x: Float32Array.of(1, 2, 3),
      out,
    });
    expect(r).toBeUndefined();
    b.dispose();
    b.dispose();
    // A kernel that still runs after dispose (core refuses that, but the kernel must not lie).
    const d = { outer: 1, n: 3, inner: 2000 };
    const x = random('float32', size(d), 5);
    const late = new Float32Array(size(d));
    b.kernels.softmax!({ view: view(d), mask: null, invTemperature: 1, x, out: late });
    expectClose(late, refForward(d, x, everything, 1).soft, 'prob', 'float32');
  });

  it('gives the same results with fastExp: false (Math.exp everywhere)', async () => {
    const b = await jsBackend({ fastExp: false }).start();
    const d = { outer: 3, n: 50, inner: 2 };
    const x = random('float32', size(d), 81);
    const out = new Float32Array(size(d));
    b.kernels.softmax!({ view: view(d), mask: null, invTemperature: 1, x, out });
    expectClose(out, refForward(d, x, everything, 1).soft, 'prob', 'float32');
    b.dispose();
  });
});
