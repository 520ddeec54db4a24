/**
 * A seeded fuzz of malformed calls to every op and every builder (tensor, mask, labels,
 * causalMask, toArray). Each call starts from a valid one and gets one defect; every defect
 * listed as `bad` must raise a SoftmaxKitError subclass (never a bare TypeError or RangeError,
 * never a silent success), the `edge` ones (zero-size tensors with huge dimensions) may also
 * succeed, and no call may take long (a hang or a huge allocation).
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_OPS,
  causalMask,
  createSoftmax,
  labels,
  mask,
  type OpName,
  SoftmaxKitError,
  tensor,
  toArray,
} from '../src/index.js';
import { spyBackend } from './spy-backend.js';

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** A malformed call: `bad` ones must throw a SoftmaxKitError; `edge` ones may also succeed. */
interface Call {
  readonly what: string;
  readonly kind: 'bad' | 'edge';
  readonly run: () => unknown;
}

function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let d = 0; d < depth; d++) v = [v];
  return v;
}
const DEEP = deepArray(20000);
const CYCLIC: unknown[] = [];
CYCLIC.push(CYCLIC);

function floatData(r: Random, dtype: 'float32' | 'float64', length: number) {
  const data = dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  for (let k = 0; k < length; k++) data[k] = r() * 8 - 4;
  return data;
}

/** Things that are not a tensor, or tensors whose parts are wrong. */
function badTensors(r: Random, data: Float32Array | Float64Array, shape: number[]): unknown[] {
  return [
    undefined,
    null,
    3,
    'x',
    [1, 2, 3],
    [
      [1, 2],
      [3, 4],
    ],
    data,
    { data: [...data], shape },
    { data: Int32Array.from(data), shape },
    { data: new BigInt64Array(data.length), shape },
    { data: new Uint8Array(data.length), shape },
    { data, shape: 'x' },
    { data, shape: [data.length + 1] },
    { data, shape: [-1] },
    { data, shape: [1.5] },
    { data, shape: [Number.NaN] },
    { data, shape: [Number.POSITIVE_INFINITY] },
    { data: new Float32Array(0), shape: [1e200, 0, 'a'] },
    { data, shape: new Array(70).fill(1).concat([data.length]) },
    { data },
    { shape },
    { dataSync: () => data, data: async () => data, shape, dtype: 'float32' },
    { data, dims: shape, type: 'float32' },
    { data: new DataView(new ArrayBuffer(8)), shape: [2] },
    { data, shape: [pick(r, [2 ** 40, 2 ** 53, 1e200])] },
  ];
}

const BAD_OPTIONS: unknown[] = [0, 1, 'axis', true, null, [], new Float32Array(1), () => {}, Symbol('o')];
const UNKNOWN_KEYS = ['mask', 'axes', 'dim', 'foo', 'temprature', 'keepdims', 'Axis', '', 'x'.repeat(200)];

function opCalls(r: Random, ops: Readonly<Record<OpName, unknown>>): Call[] {
  const op: OpName = pick(r, ALL_OPS);
  const dtype = pick(r, ['float32', 'float64'] as const);
  const rank = 1 + Math.floor(r() * 3);
  const shape = Array.from({ length: rank }, () => 1 + Math.floor(r() * 4));
  const size = shape.reduce((a, b) => a * b, 1);
  const x = { data: floatData(r, dtype, size), shape };
  const ce = op === 'softmaxCrossEntropy';
  const backward = op === 'softmaxBackward' || op === 'logSoftmaxBackward';
  const labelShape = shape.slice(0, -1);
  const target = labels(
    Array.from({ length: labelShape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * shape[rank - 1])),
    { shape: labelShape },
  );
  const second = ce ? target : { data: floatData(r, dtype, size), shape };
  // Calls through an untyped view of the ops: the defects are exactly what the types forbid.
  const fn = ops[op] as (...args: unknown[]) => unknown;
  const call = (first: unknown, options: unknown, other: unknown = second) =>
    ce || backward ? () => fn(first, other, options) : () => fn(first, options);
  const calls: Call[] = [];
  const bad = (what: string, run: () => unknown) => calls.push({ what: `${op}: ${what}`, kind: 'bad', run });
  const edge = (what: string, run: () => unknown) =>
    calls.push({ what: `${op}: ${what}`, kind: 'edge', run });

  bad('options not an object', call(x, pick(r, BAD_OPTIONS)));
  bad('unknown option key', call(x, { [pick(r, UNKNOWN_KEYS)]: pick(r, [0, undefined, 'a']) }));
  bad('bad first argument', call(pick(r, badTensors(r, x.data, shape)), undefined));
  bad(
    'axis',
    call(x, { axis: pick(r, ['x', '1', 1.5, Number.NaN, Infinity, rank, -rank - 1, 2 ** 40, true]) }),
  );
  const out = pick(r, [
    new Float32Array(size + 1),
    dtype === 'float32' ? new Float64Array(size) : new Float32Array(size),
    [0, 0],
    new Int32Array(size),
    x.data,
    'out',
  ]);
  if (ce) {
    bad(
      'cross-entropy given a softmax option',
      call(x, pick(r, [{ where: mask([1]) }, { temperature: 2 }, { out: new Float32Array(size) }])),
    );
    bad('reduction', call(x, { reduction: pick(r, ['avg', 'MEAN', 1, null]) }));
    bad('ignoreIndex', call(x, { ignoreIndex: pick(r, [1.5, 'x', Number.NaN, Infinity]) }));
    bad('labelSmoothing', call(x, { labelSmoothing: pick(r, [1, -0.1, Number.NaN, '0.1', 2]) }));
    bad(
      'weights',
      call(x, {
        weights: pick(r, [
          [1, 2],
          tensor(new Float32Array(shape[rank - 1] + 1)),
          { data: new Float32Array(2) },
          dtype === 'float32'
            ? tensor(new Float64Array(shape[rank - 1]))
            : tensor(new Float32Array(shape[rank - 1])),
        ]),
      }),
    );
    bad('gradOut', call(x, { gradOut: out }));
    bad(
      'target',
      call(
        x,
        undefined,
        pick(r, [
          null,
          [0, 1],
          target.data,
          { data: Uint8Array.from(target.data), shape: labelShape },
          { data: new Float32Array(target.data.length), shape: labelShape },
          { data: Int32Array.of(shape[rank - 1]), shape: [1] },
          labels(new Array(target.data.length).fill(shape[rank - 1] + 3), { shape: labelShape }),
          labels([0, 0, 0, 0, 0, 0, 0], { shape: [7] }),
          { data: target.data, shape: 'x' },
          { data: new Float64Array(size + 1), shape: [size + 1] },
        ]),
      ),
    );
  } else {
    bad('temperature', call(x, { temperature: pick(r, [0, -1, Number.NaN, Infinity, '1', [], -0]) }));
    bad(
      'where',
      call(x, {
        where: pick(r, [
          null,
          [1, 0],
          { data: new Float32Array(size), shape },
          { data: new Uint8Array(size + 1), shape },
          { data: new Uint8Array(5 * size), shape: [5, ...shape] },
          { data: new Uint8Array(7), shape: [7] },
          { data: new Uint8Array(1), shape: [1, 1, 1, 1, 1] },
        ]),
      }),
    );
    bad('out', call(x, { out }));
    if (op === 'logSumExp') bad('keepDims', call(x, { keepDims: pick(r, ['yes', 1, null]) }));
  }
  if (backward) {
    bad(
      'dy',
      call(
        x,
        undefined,
        pick(r, [
          null,
          [1],
          { data: floatData(r, dtype, size + 1), shape: [size + 1] },
          { data: floatData(r, dtype === 'float32' ? 'float64' : 'float32', size), shape },
        ]),
      ),
    );
  }
  // Zero-size tensors with huge dimensions: an empty result, or a SizeError for a result that
  // would be huge (log-sum-exp over the empty axis, 'none' losses), never a RangeError.
  const huge = pick(r, [2 ** 40, 2 ** 33, 1e15]);
  const emptyShape = pick(r, [
    [huge, 0],
    [0, huge],
    [huge, 0, 3],
  ]);
  const empty = { data: new Float32Array(0), shape: emptyShape };
  const emptyTarget = ce
    ? pick(r, [
        { data: new Int32Array(0), shape: emptyShape.slice(0, -1) },
        { data: new Float32Array(0), shape: emptyShape },
      ])
    : { data: new Float32Array(0), shape: emptyShape };
  edge(
    'zero-size with a huge dimension',
    call(empty, pick(r, [undefined, { axis: 0 }, { axis: -1 }]), emptyTarget),
  );
  if (!ce)
    edge(
      'zero-size with a broadcast mask',
      call(empty, { where: mask([1]), axis: pick(r, [0, -1]) }, emptyTarget),
    );
  if (op === 'logSumExp')
    bad('log-sum-exp of [2^40, 0]', call({ data: new Float32Array(0), shape: [2 ** 40, 0] }, undefined));
  if (ce) {
    bad(
      "'none' losses of [2^40, 0]",
      call(
        { data: new Float32Array(0), shape: [2 ** 40, 0] },
        { reduction: 'none' },
        { data: new Float32Array(0), shape: [2 ** 40, 0] },
      ),
    );
  }
  return calls;
}

const JACOBIAN_INPUT = { data: new Float32Array(2 ** 17).fill(2 ** -17), shape: [1, 2 ** 17] };

function builderCalls(r: Random): Call[] {
  const calls: Call[] = [];
  const bad = (what: string, run: () => unknown) => calls.push({ what, kind: 'bad', run });
  const edge = (what: string, run: () => unknown) => calls.push({ what, kind: 'edge', run });
  const badValues = [
    null,
    undefined,
    'abc',
    {},
    { data: new Float32Array(2), shape: [2] },
    [1, 'a'],
    [[1, 2], [3]],
    new BigInt64Array(2),
    new DataView(new ArrayBuffer(4)),
    DEEP,
    CYCLIC,
    [[1], 2],
    Symbol('v'),
  ];
  const badOptions = [
    null,
    0,
    'float64',
    [],
    { dtype: 'float16' },
    { shape: 'x' },
    { shape: [-1] },
    { shape: [5] },
    { foo: 1 },
    { shape: [2 ** 53] },
  ];
  bad('tensor: bad values', () => tensor(pick(r, badValues) as never));
  bad('tensor: bad options', () => tensor([1, 2, 3, 4], pick(r, badOptions) as never));
  bad('tensor: nested values with a disagreeing shape', () =>
    tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { shape: pick(r, [[4], [1, 4], [4, 1], [2, 2, 1]]) },
    ),
  );
  bad('mask: bad values', () => mask(pick(r, badValues) as never));
  bad('mask: bad options', () =>
    mask(
      [true, false],
      pick(
        r,
        badOptions.filter((o) => !(typeof o === 'object' && o !== null && 'dtype' in o)),
      ) as never,
    ),
  );
  bad('labels: bad values', () =>
    labels(pick(r, [...badValues, [1.5], [2 ** 31], [Number.NaN], new Float32Array([0.5])]) as never),
  );
  bad('labels: bad options', () => labels([0, 1], pick(r, badOptions) as never));
  bad('causalMask: bad sizes', () =>
    causalMask(
      pick(r, [-1, 1.5, Number.NaN, '3', Infinity, 2 ** 40, 2 ** 20]) as never,
      pick(r, [2 ** 40, 2 ** 20, -1, 0.5]) as never,
    ),
  );
  edge('causalMask: empty with a huge side', () => causalMask(pick(r, [2 ** 40, 0, 1e15]), 0));
  bad('toArray: not a tensor', () =>
    toArray(
      pick(r, [
        null,
        undefined,
        [1, 2],
        DEEP,
        { data: new Uint8Array(3), shape: [5] },
        { data: [1], shape: [1] },
        { data: new Float32Array(1), shape: 'x' },
        { data: new Float32Array(0), shape: [2 ** 40, 0] },
        { data: new Float32Array(0), shape: new Array(100).fill(0) },
        new Float32Array(3),
        'x',
      ]) as never,
    ),
  );
  return calls;
}

describe('fuzz: malformed calls raise typed errors, quickly', () => {
  it('more than 24,000 seeded malformed calls over every op and builder', async () => {
    const spy = spyBackend();
    const sm = await createSoftmax(spy.factory);
    const sync = sm.sync;
    if (sync === undefined) throw new Error('the spy backend is sync');
    const r = prng(20260512);
    let calls = 0;
    let badCalls = 0;
    const untyped: string[] = [];
    const silent: string[] = [];
    let slowest = { ms: 0, what: '' };
    const jacobian = sync.softmaxJacobian as (...args: unknown[]) => unknown;
    while (badCalls < 25000) {
      const batch = r() < 0.25 ? builderCalls(r) : opCalls(r, sync);
      if (r() < 0.01)
        batch.push({
          what: 'softmaxJacobian of [1, 2^17]',
          kind: 'bad',
          run: () => jacobian(JACOBIAN_INPUT),
        });
      for (const c of batch) {
        calls++;
        if (c.kind === 'bad') badCalls++;
        const start = performance.now();
        try {
          c.run();
          if (c.kind === 'bad') silent.push(c.what);
        } catch (error) {
          if (!(error instanceof SoftmaxKitError)) {
            untyped.push(
              `${c.what}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`,
            );
          }
        }
        const ms = performance.now() - start;
        if (ms > slowest.ms) slowest = { ms, what: c.what };
      }
    }
    expect(untyped.slice(0, 20)).toEqual([]);
    expect(silent.slice(0, 20)).toEqual([]);
    expect(badCalls).toBeGreaterThanOrEqual(24000);
    expect(calls).toBeGreaterThan(badCalls);
    // A hang or a huge allocation shows as one slow call (causalMask(2 ** 40, 0) took seconds).
    expect(slowest.ms, slowest.what).toBeLessThan(500);
    // No malformed call reached a kernel.
    expect(spy.calls.filter((op) => op !== 'dispose')).toEqual([]);
  }, 120_000);

  it('the async ops reject malformed calls with SoftmaxKitErrors (never throw synchronously)', async () => {
    const spy = spyBackend({ sync: false });
    const sm = await createSoftmax(spy.factory);
    const r = prng(7);
    let bad = 0;
    const problems: string[] = [];
    while (bad < 3000) {
      for (const c of opCalls(r, sm)) {
        let pending: unknown;
        try {
          pending = c.run();
        } catch (error) {
          problems.push(`${c.what}: threw synchronously (${String(error)})`);
          continue;
        }
        if (!(pending instanceof Promise)) {
          problems.push(`${c.what}: returned no Promise`);
          continue;
        }
        if (c.kind === 'bad') bad++;
        const outcome = await pending.then(
          () => (c.kind === 'bad' ? 'resolved' : undefined),
          (error: unknown) =>
            error instanceof SoftmaxKitError ? undefined : `rejected with ${String(error)}`,
        );
        if (outcome !== undefined) problems.push(`${c.what}: ${outcome}`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(spy.calls).toEqual([]);
  });
});
