/**
 * The raw binding checks every argument itself: more than 10,000 malformed calls (wrong types,
 * wrong lengths, detached and shared buffers, offsets past the end, sizes that overflow 32-bit
 * arithmetic, overlapping outputs, bad numbers in the params array) each throw a TypeError or
 * RangeError, and the process lives.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RawBackend } from '../src/binding.js';
import { loadBinding } from '../src/load-binding.js';

const binding = loadBinding();
const raw: RawBackend = new binding.NativeBackend(2, binding.isas()[0]);
afterAll(() => raw.dispose());

type Kind =
  | 'float'
  | 'floatOrNull'
  | 'size'
  | 'positive'
  | 'finite'
  | 'smoothing'
  | 'bool'
  | 'mask'
  | 'offsets'
  | 'stride'
  | 'labels'
  | 'int32';
interface Slot {
  readonly kind: Kind;
  /** what a valid call passes here */
  readonly value: unknown;
  /** an output array (may not alias any other array) */
  readonly output?: boolean;
}
interface Call {
  readonly method: keyof RawBackend;
  /** the arguments */
  readonly arrays: readonly Slot[];
  /** the numbers, written to raw.params before the call */
  readonly params: readonly Slot[];
}

function detached(length: number, f64: boolean): Float32Array | Float64Array {
  const a = f64 ? new Float64Array(length) : new Float32Array(length);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}
function shared(length: number, f64: boolean): Float32Array | Float64Array {
  const bytes = length * (f64 ? 8 : 4);
  return f64
    ? new Float64Array(new SharedArrayBuffer(bytes))
    : new Float32Array(new SharedArrayBuffer(bytes));
}

/** Values that are invalid in a slot of this kind, given the slot's valid value. */
function badValues(slot: Slot, f64: boolean, n: number): unknown[] {
  const common = ['1', {}, [1, 2], true, Symbol('x'), () => 1, 1n];
  switch (slot.kind) {
    case 'float':
    case 'floatOrNull': {
      const length = (slot.value as Float32Array | null)?.length ?? 6;
      const wrongDtype = f64 ? new Float32Array(length) : new Float64Array(length);
      const list: unknown[] = [
        ...common,
        1,
        wrongDtype,
        new Int32Array(length),
        new Uint8Array(length),
        f64 ? new Float64Array(length + 1) : new Float32Array(length + 1),
        detached(length, f64),
        shared(length, f64),
        new DataView(new ArrayBuffer(length * 8)),
      ];
      if (length > 0) list.push(f64 ? new Float64Array(length - 1) : new Float32Array(length - 1));
      if (slot.kind === 'float') list.push(null, undefined);
      return list;
    }
    case 'mask': {
      const length = (slot.value as Uint8Array).length;
      return [
        ...common,
        1,
        new Int8Array(length),
        new Float32Array(length),
        new Uint8Array(0),
        new Uint8ClampedArray(length),
        detached(length, false),
        new Uint8Array(new SharedArrayBuffer(length)),
      ];
    }
    case 'offsets': {
      const valid = slot.value as Int32Array;
      const tooFar = Int32Array.from(valid);
      tooFar[tooFar.length - 1] = 2 ** 31 - 1;
      const negative = Int32Array.from(valid);
      negative[0] = -1;
      return [
        ...common,
        null,
        1,
        new Uint32Array(valid.length),
        new Float32Array(valid.length),
        new Int32Array(valid.length + 1),
        tooFar,
        negative,
        detached(valid.length, false),
      ];
    }
    case 'labels': {
      const valid = slot.value as Int32Array;
      const outside = Int32Array.from(valid);
      outside[0] = 1_000_000;
      const negative = Int32Array.from(valid);
      negative[0] = -5;
      return [
        ...common,
        1,
        new Uint32Array(valid.length),
        new Float32Array(valid.length),
        new Int32Array(valid.length + 1),
        outside,
        negative,
      ];
    }
    // Numbers travel in the params array: every bad value is a number there.
    case 'size':
      return [
        -1,
        0.5,
        Number.NaN,
        Infinity,
        -Infinity,
        2 ** 31,
        2 ** 32 + 1,
        2 ** 53,
        2 ** 63,
        -(2 ** 63),
        (slot.value as number) + 1,
      ];
    case 'positive':
      return [0, -1, -0, Number.NaN, Infinity, -Infinity, -1e-300];
    case 'finite':
      return [Number.NaN, Infinity, -Infinity];
    case 'smoothing':
      return [1, -0.1, 2, Number.NaN, Infinity];
    case 'bool':
      return [2, -1, 0.5, Number.NaN, Infinity];
    case 'int32':
      return [0.5, Number.NaN, 2 ** 31, -(2 ** 31) - 1, Infinity];
    case 'stride':
      // A stride that reaches past the mask is out of range only when the axis has 2+ elements.
      return [-1, 0.5, Number.NaN, 2 ** 31, 2 ** 40, ...(n > 1 ? [100_000] : [])];
  }
}

/** A valid call of every method on the view [outer, n, inner], float32 or float64, masked. */
function validCalls(outer: number, n: number, inner: number, f64: boolean): Call[] {
  const size = outer * n * inner;
  const floats = (length: number) => (f64 ? new Float64Array(length) : new Float32Array(length));
  const view = (): Slot[] => [
    { kind: 'size', value: outer },
    { kind: 'size', value: n },
    { kind: 'size', value: inner },
  ];
  const masks = (): Slot[] => [
    { kind: 'mask', value: new Uint8Array(size).fill(1) },
    { kind: 'offsets', value: Int32Array.from({ length: outer }, (_, o) => o * n * inner) },
    { kind: 'offsets', value: Int32Array.from({ length: inner }, (_, i) => i) },
  ];
  const familyParams = (): Slot[] => [
    ...view(),
    { kind: 'positive', value: 1 },
    { kind: 'stride', value: inner },
    { kind: 'bool', value: 0 },
  ];
  const forward = (method: keyof RawBackend, outLength: number): Call => ({
    method,
    arrays: [
      { kind: 'float', value: floats(size) },
      { kind: 'float', value: floats(outLength), output: true },
      ...masks(),
    ],
    params: familyParams(),
  });
  const backward = (method: keyof RawBackend): Call => ({
    method,
    arrays: [
      { kind: 'float', value: floats(size) },
      { kind: 'float', value: floats(size) },
      { kind: 'float', value: floats(size), output: true },
      ...masks(),
    ],
    params: familyParams(),
  });
  const labels = Int32Array.from({ length: outer * inner }, (_, k) => k % n);
  return [
    forward('softmax', size),
    forward('logSoftmax', size),
    forward('logSumExp', outer * inner),
    backward('softmaxBackward'),
    backward('logSoftmaxBackward'),
    forward('softmaxJacobian', size * n),
    {
      method: 'softmaxCrossEntropy',
      arrays: [
        { kind: 'float', value: floats(size) },
        { kind: 'labels', value: labels },
        { kind: 'floatOrNull', value: null },
        { kind: 'floatOrNull', value: floats(n) },
        { kind: 'float', value: floats(outer * inner), output: true },
        { kind: 'float', value: floats(size), output: true },
      ],
      params: [
        ...view(),
        { kind: 'int32', value: -100 },
        { kind: 'smoothing', value: 0.1 },
        { kind: 'finite', value: 1 },
        { kind: 'finite', value: 1 },
        { kind: 'bool', value: 0 },
      ],
    },
  ];
}

function invoke(call: Call, arrays: unknown[], params: readonly number[]): unknown {
  raw.params.set(params);
  return (raw[call.method] as (...a: unknown[]) => unknown).apply(raw, arrays);
}

/** Every malformed variant of a valid call: one bad argument or number at a time, and more. */
function malformedVariants(call: Call, f64: boolean, n: number): { arrays: unknown[]; params: number[] }[] {
  const arrays = call.arrays.map((s) => s.value);
  const params = call.params.map((s) => s.value as number);
  const variants: { arrays: unknown[]; params: number[] }[] = [];
  call.arrays.forEach((slot, k) => {
    for (const bad of badValues(slot, f64, n))
      variants.push({ arrays: arrays.map((v, j) => (j === k ? bad : v)), params });
  });
  call.params.forEach((slot, k) => {
    for (const bad of badValues(slot, f64, n) as number[])
      variants.push({ arrays, params: params.map((v, j) => (j === k ? bad : v)) });
  });
  // Missing required arguments (the mask arrays at the end are optional).
  const required = call.arrays.findIndex((s) => s.kind === 'mask');
  for (let k = 0; k < (required < 0 ? call.arrays.length : required); k++) {
    variants.push({ arrays: arrays.slice(0, k), params });
  }
  // An output aliasing another array.
  const floatSlots = call.arrays.flatMap((s, k) => (s.kind === 'float' ? [k] : []));
  for (const a of floatSlots) {
    for (const b of floatSlots) {
      const involvesOutput = call.arrays[a].output === true || call.arrays[b].output === true;
      if (a !== b && involvesOutput)
        variants.push({ arrays: arrays.map((v, j) => (j === b ? arrays[a] : v)), params });
    }
  }
  // Mask offsets without mask data.
  for (const k of call.arrays.flatMap((s, j) => (s.kind === 'mask' ? [j] : []))) {
    variants.push({ arrays: arrays.map((v, j) => (j === k ? null : v)), params });
  }
  return variants;
}

describe('the raw binding', () => {
  it('accepts the valid calls the malformed ones are made from', () => {
    for (const f64 of [false, true]) {
      for (const call of validCalls(3, 5, 2, f64)) {
        const run = () =>
          invoke(
            call,
            call.arrays.map((s) => s.value),
            call.params.map((s) => s.value as number),
          );
        expect(run, call.method).not.toThrow();
      }
    }
  });

  it('throws a TypeError or RangeError for each of more than 10,000 malformed calls', () => {
    let count = 0;
    const shapes: [number, number, number][] = [
      [3, 5, 2],
      [1, 7, 1],
      [2, 3, 4],
      [4, 1, 3],
      [1, 33, 1],
      [2, 17, 3],
      [5, 2, 1],
      [2, 9, 2],
    ];
    for (const [outer, n, inner] of shapes) {
      for (const f64 of [false, true]) {
        for (const call of validCalls(outer, n, inner, f64)) {
          for (const { arrays, params } of malformedVariants(call, f64, n)) {
            let error: unknown;
            try {
              const r = invoke(call, arrays, params);
              if (r instanceof Promise) void r.catch(() => {});
            } catch (e) {
              error = e;
            }
            if (!(error instanceof TypeError || error instanceof RangeError)) {
              throw new Error(
                `${call.method} did not throw for ${describeArgs(arrays)} / params ${params.join(', ')} (got ${String(error)})`,
              );
            }
            count++;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(10_000);
  });

  it('runs staged calls on the stage, and throws for staged calls with bad numbers or arrays too large for it', () => {
    const stage = (slot: number, f64: boolean, length: number) =>
      f64
        ? new Float64Array(raw.stage.buffer, raw.stage.byteOffset + 64 * slot, length)
        : new Float32Array(raw.stage.buffer, raw.stage.byteOffset + 64 * slot, length);
    // A valid staged softmax of 2 rows, against a float64 reference.
    for (const f64 of [false, true]) {
      const n = f64 ? 4 : 8;
      const x = stage(0, f64, 2 * n);
      x.set(Array.from({ length: 2 * n }, (_, k) => Math.sin(k) * 3));
      raw.params.set([2, n, 1, 1, 0, 0, f64 ? 1 : 0]);
      raw.softmaxStaged();
      const y = stage(1, f64, 2 * n);
      for (let row = 0; row < 2; row++) {
        const logits = Array.from(x.subarray(row * n, row * n + n));
        const sum = logits.reduce((s, v) => s + Math.exp(v), 0);
        logits.forEach((v, k) => {
          expect(y[row * n + k]).toBeCloseTo(Math.exp(v) / sum, 6);
        });
      }
    }
    const methods = [
      'softmaxStaged',
      'logSoftmaxStaged',
      'logSumExpStaged',
      'softmaxBackwardStaged',
      'logSoftmaxBackwardStaged',
    ] as const;
    let count = 0;
    for (const method of methods) {
      for (const f64 of [0, 1]) {
        const fits = f64 ? 8 : 16;
        // [outer, n, inner, invTemperature, unused, async, f64]
        const valid = [1, fits, 1, 1, 0, 0, f64];
        expect(() => {
          raw.params.set(valid);
          raw[method]();
        }, method).not.toThrow();
        const bad: [number, number][] = [
          ...badStagedViews(fits),
          ...[0, -1, Number.NaN, Infinity].map((v): [number, number] => [3, v]),
          ...[1, 2, 0.5, Number.NaN].map((v): [number, number] => [5, v]),
          ...[2, -1, 0.5, Number.NaN].map((v): [number, number] => [6, v]),
        ];
        for (const [slot, value] of bad) {
          const params = valid.map((v, k) => (k === slot ? value : v));
          raw.params.set(params);
          expect(() => raw[method](), `${method} with params ${params.join(', ')}`).toThrow(RangeError);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(250);
  });

  it('runs a staged cross-entropy on the stage, and throws for staged cross-entropies with bad numbers or arrays', () => {
    const view = <T extends Float32Array | Float64Array | Int32Array>(
      make: new (b: ArrayBuffer, o: number, n: number) => T,
      slot: number,
      length: number,
    ) => new make(raw.stage.buffer as ArrayBuffer, raw.stage.byteOffset + 64 * slot, length);
    const floats = (f64: boolean, slot: number, length: number) =>
      f64 ? view(Float64Array, slot, length) : view(Float32Array, slot, length);
    // params [outer, n, inner, ignoreIndex, labelSmoothing, gradScale, lossScale, async, f64, probabilities, weights]
    const [e, gradScale, lossScale, ignore] = [0.1, 0.5, 0.25, 7];
    for (const f64 of [false, true]) {
      for (const byProbs of [false, true]) {
        const [rows, n] = f64 ? [2, 4] : [4, 4];
        const logits = floats(f64, 0, rows * n);
        logits.set(Array.from({ length: rows * n }, (_, k) => Math.sin(3 * k) * 4));
        const labels = Array.from({ length: rows }, (_, r) => (r === 1 ? ignore : (r * 3) % n));
        const probs = Array.from(
          { length: rows * n },
          (_, k) => ((k * 5) % 7) / 21 + (k % n === 0 ? 0.5 : 0),
        );
        if (byProbs) floats(f64, 1, rows * n).set(probs);
        else view(Int32Array, 1, rows).set(labels);
        const weights = Array.from({ length: n }, (_, c) => 0.5 + c / 4);
        floats(f64, 2, n).set(weights);
        raw.params.set([rows, n, 1, ignore, e, gradScale, lossScale, 0, f64 ? 1 : 0, byProbs ? 1 : 0, 1]);
        raw.softmaxCrossEntropyStaged();
        const loss = floats(f64, 3, rows);
        const grad = floats(f64, 4, rows * n);
        // float64 reference, from the definition: a_c per sample, loss = -sum a_c log p_c,
        // grad = p sum a - a, then the scales
        const tol = f64 ? 1e-12 : 2e-6;
        for (let r = 0; r < rows; r++) {
          const x = Array.from(logits.subarray(r * n, r * n + n));
          const m = Math.max(...x);
          const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
          const q = probs.slice(r * n, r * n + n);
          const a = x.map((_, c) =>
            byProbs
              ? weights[c] * ((1 - e) * q[c] + e / n)
              : labels[r] === ignore
                ? 0
                : (1 - e) * weights[labels[r]] * (c === labels[r] ? 1 : 0) + (e / n) * weights[c],
          );
          const sumA = a.reduce((s, v) => s + v, 0);
          const refLoss = -a.reduce((s, v, c) => s + v * (x[c] - lse), 0) * lossScale;
          expect(Math.abs(loss[r] - refLoss)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(refLoss)));
          x.forEach((v, c) => {
            const refGrad = (Math.exp(v - lse) * sumA - a[c]) * gradScale;
            expect(Math.abs(grad[r * n + c] - refGrad)).toBeLessThanOrEqual(
              tol * Math.max(1, Math.abs(refGrad)),
            );
          });
        }
      }
    }
    let count = 0;
    for (const f64 of [0, 1]) {
      const fits = f64 ? 8 : 16;
      for (const byProbs of [0, 1]) {
        const valid = [1, fits, 1, -100, 0, 1, 1, 0, f64, byProbs, 1];
        floats(f64 === 1, 1, fits).fill(0); // label 0 (or all-zero probabilities): valid
        expect(() => {
          raw.params.set(valid);
          raw.softmaxCrossEntropyStaged();
        }).not.toThrow();
        const bad: [number, number][] = [
          ...badStagedViews(fits),
          [3, 0.5],
          [3, 2 ** 31],
          ...[-0.1, 1, Number.NaN, Infinity].map((v): [number, number] => [4, v]),
          ...[Number.NaN, Infinity].flatMap((v): [number, number][] => [
            [5, v],
            [6, v],
          ]),
          ...[1, 2, 0.5, Number.NaN].map((v): [number, number] => [7, v]),
          ...[8, 9, 10].flatMap((slot) => [2, -1, 0.5, Number.NaN].map((v): [number, number] => [slot, v])),
        ];
        for (const [slot, value] of bad) {
          const params = valid.map((v, k) => (k === slot ? value : v));
          raw.params.set(params);
          floats(f64 === 1, 1, fits).fill(0);
          expect(() => raw.softmaxCrossEntropyStaged(), `params ${params.join(', ')}`).toThrow(RangeError);
          count++;
        }
      }
      // a label outside [0, n) that is not ignoreIndex
      raw.params.set([2, 4, 1, -100, 0, 1, 1, 0, f64, 0, 0]);
      for (const label of [-1, 4, 2 ** 30]) {
        view(Int32Array, 1, 2).set([0, label]);
        expect(() => raw.softmaxCrossEntropyStaged()).toThrow(/labels\[1\]/);
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('throws, and keeps throwing, once its params array is detached', () => {
    const other = new binding.NativeBackend(1, binding.isas()[0]);
    structuredClone(other.params.buffer, { transfer: [other.params.buffer] });
    for (let k = 0; k < 3; k++) {
      expect(() => other.softmax(new Float32Array(2), new Float32Array(2), null, null, null)).toThrow(
        /params/,
      );
      expect(() => other.softmaxStaged()).toThrow(/params/);
    }
    other.dispose();
  });
});

describe('the raw binding: newResultBuffer', () => {
  it('gives an ArrayBuffer of exactly the bytes asked for', () => {
    for (const bytes of [1, 4095, 4096, 3 << 20]) {
      const buffer = binding.newResultBuffer(bytes);
      expect(buffer).toBeInstanceOf(ArrayBuffer);
      expect(buffer?.byteLength).toBe(bytes);
    }
  });

  it('throws a TypeError or RangeError for every malformed size, and the process lives', () => {
    const bad: unknown[][] = [
      [],
      ...['1', {}, [1], true, null, undefined, Symbol('x'), () => 1, 1n, new Float64Array(1)].map((v) => [v]),
      ...[0, -1, 0.5, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 47 + 1, 2 ** 53, Number.MAX_VALUE, -0.5].map(
        (v) => [v],
      ),
    ];
    const call = (args: unknown[]) => Reflect.apply(binding.newResultBuffer, binding, args);
    for (const args of bad) {
      let error: unknown;
      try {
        call(args);
      } catch (e) {
        error = e;
      }
      expect(
        error instanceof TypeError || error instanceof RangeError,
        `newResultBuffer(${describeArgs(args)}) did not throw a TypeError or RangeError (got ${String(error)})`,
      ).toBe(true);
    }
  });
});

/**
 * [params slot, value] pairs that make a staged call's view [outer, n, inner] (slots 0-2) bad:
 * not a size, or more elements than a slot holding `fits` of them.
 */
function badStagedViews(fits: number): [number, number][] {
  return [
    ...[-1, 0.5, Number.NaN, Infinity, 2 ** 31, 2 ** 53].flatMap((v): [number, number][] => [
      [0, v],
      [1, v],
      [2, v],
    ]),
    [1, fits + 1],
    [0, 2],
    [2, 3],
  ];
}

function describeArgs(args: unknown[]): string {
  return args
    .map((a) =>
      ArrayBuffer.isView(a)
        ? `${a.constructor.name}(${(a as Uint8Array).length})`
        : typeof a === 'symbol'
          ? 'symbol'
          : typeof a === 'bigint'
            ? `${a}n`
            : (JSON.stringify(a) ?? String(a)),
    )
    .join(', ');
}
