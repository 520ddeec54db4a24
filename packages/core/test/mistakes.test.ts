/**
 * Mistakes fail loudly and say how to fix them: option objects, unknown keys, what was passed
 * instead of a tensor / mask / labels, quoted values, sizes too large to hold, and one order of
 * checks so that the same bad call raises the same error whatever the op.
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_OPS,
  causalMask,
  createSoftmax,
  labels,
  mask,
  type OpName,
  ShapeError,
  SizeError,
  SoftmaxKitError,
  tensor,
  toArray,
  ValueError,
} from '../src/index.js';
import { spyBackend } from './spy-backend.js';

async function session() {
  const spy = spyBackend();
  const sm = await createSoftmax(spy.factory);
  if (sm.sync === undefined) throw new Error('the spy backend is sync');
  return { sync: sm.sync, calls: spy.calls };
}

/** The error `call` throws (a test fails if it does not throw). */
function caught(call: () => unknown): SoftmaxKitError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(SoftmaxKitError);
    return error as SoftmaxKitError;
  }
  throw new Error('expected the call to throw');
}

const x23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

type AnyOp = (...args: unknown[]) => unknown;

/** Calls `op` with a first argument, options, and a valid second argument where it needs one. */
function callWith(
  sync: Record<OpName, unknown>,
  op: OpName,
  first: unknown,
  options: unknown,
): () => unknown {
  const fn = sync[op] as AnyOp;
  if (op === 'softmaxCrossEntropy') return () => fn(first, labels([0, 1]), options);
  if (op === 'softmaxBackward' || op === 'logSoftmaxBackward') return () => fn(first, x23(), options);
  return () => fn(first, options);
}

describe('options must be an object of known keys', () => {
  it('rejects options that are not an object, for every op', async () => {
    const { sync, calls } = await session();
    for (const op of ALL_OPS) {
      for (const options of [0, 'x', true, null, [], new Float32Array(6)]) {
        const error = caught(callWith(sync, op, x23(), options));
        expect(error).toBeInstanceOf(ValueError);
        expect(error.argument).toBe('options');
        expect(error.message).toContain(`${op}: options must be an object`);
      }
    }
    expect(caught(() => sync.softmax(x23(), 1 as never)).message).toContain('{ axis }');
    expect(caught(() => sync.softmax(x23(), new Float32Array(6) as never)).message).toContain('{ out }');
    expect(calls).toEqual([]);
  });

  it('names an unknown key, lists the accepted ones and suggests the near miss', async () => {
    const { sync } = await session();
    const masked = caught(() => sync.softmax(x23(), { mask: mask([1, 0, 1]) } as never));
    expect(masked).toBeInstanceOf(ValueError);
    expect(masked.argument).toBe('options.mask');
    expect(masked.message).toContain("did you mean 'where'?");
    expect(masked.message).toContain('softmax accepts: axis, temperature, where, out');
    const axes = caught(() => sync.logSoftmax(x23(), { axes: 0 } as never));
    expect(axes.argument).toBe('options.axes');
    expect(axes.message).toContain("did you mean 'axis'?");
    expect(caught(() => sync.softmax(x23(), { temprature: 2 } as never)).message).toContain(
      "did you mean 'temperature'?",
    );
    expect(caught(() => sync.logSumExp(x23(), { keepdims: true } as never)).message).toContain(
      "did you mean 'keepDims'?",
    );
    expect(caught(() => sync.softmax(x23(), { dim: 0 } as never)).message).toContain("did you mean 'axis'?");
    const odd = caught(() => sync.softmax(x23(), { 'a b': 1 } as never));
    expect(odd.argument).toBe("options.'a b' (a string)");
  });

  it('cross-entropy rejects where, temperature and out, saying what to do instead', async () => {
    const { sync, calls } = await session();
    const call = (options: object) => () => sync.softmaxCrossEntropy(x23(), labels([0, 1]), options as never);
    expect(caught(call({ where: mask([1, 1, 0]) })).message).toMatch(/takes no mask.*ignoreIndex/);
    expect(caught(call({ temperature: 2 })).message).toMatch(/takes no temperature/);
    const out = caught(call({ out: new Float32Array(6) }));
    expect(out.argument).toBe('options.out');
    expect(out.message).toContain('gradOut');
    expect(out.message).toContain(
      'softmaxCrossEntropy accepts: axis, reduction, ignoreIndex, labelSmoothing, weights, gradOut',
    );
    expect(calls).toEqual([]);
  });

  it('an option set to null is an error, not the default', async () => {
    const { sync } = await session();
    expect(caught(() => sync.softmax(x23(), { axis: null } as never)).message).toContain('got null');
    expect(
      caught(() => sync.softmaxCrossEntropy(x23(), labels([0, 1]), { reduction: null } as never)).argument,
    ).toBe('options.reduction');
  });

  it('keepDims must be a boolean', async () => {
    const { sync } = await session();
    const error = caught(() => sync.logSumExp(x23(), { keepDims: 'yes' } as never));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toContain("got 'yes' (a string)");
  });
});

describe('builders keep what they are given', () => {
  it('tensor(Float64Array) stays float64; dtype converts on request', () => {
    const t = tensor(new Float64Array([0.1, 0.2]));
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(t.data[0]).toBe(0.1);
    expect(tensor(new Float64Array([0.1]), { dtype: 'float32' }).data).toBeInstanceOf(Float32Array);
    expect(tensor(new Float32Array([1])).data).toBeInstanceOf(Float32Array);
    expect(tensor(new Int32Array([1, 2])).data).toBeInstanceOf(Float32Array);
  });

  it('nested values with a disagreeing shape are an error, flat values take a shape', () => {
    const nested = [
      [1, 2],
      [3, 4],
    ];
    const error = caught(() => tensor(nested, { shape: [4] }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('[2, 2]');
    expect(error.message).toContain('never reshaped');
    expect(() => tensor(nested, { shape: [1, 4] })).toThrow(ShapeError);
    expect(tensor(nested, { shape: [2, 2] }).shape).toEqual([2, 2]);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).shape).toEqual([2, 2]);
  });

  it('null options, unknown keys and BigInt arrays are typed errors in every builder', () => {
    for (const build of [
      () => tensor([1], null as never),
      () => mask([1], null as never),
      () => labels([1], null as never),
      () => tensor([1], { shape: [1], type: 'float64' } as never),
      () => tensor(new BigInt64Array(2) as never),
      () => labels(new BigInt64Array(2) as never),
      () => mask(new BigUint64Array(2) as never),
    ]) {
      expect(caught(build)).toBeInstanceOf(ValueError);
    }
    expect(caught(() => tensor([1], { shape: [1], type: 'float64' } as never)).message).toContain(
      'tensor accepts: dtype, shape',
    );
  });

  it('refuses nesting deeper than 64 levels, and cyclic arrays, quickly', () => {
    let deep: unknown = 1;
    for (let d = 0; d < 20000; d++) deep = [deep];
    expect(caught(() => tensor(deep as never))).toBeInstanceOf(ShapeError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(caught(() => mask(cyclic as never)).message).toContain('64');
  });
});

describe('messages say what was passed and how to wrap it', () => {
  it('a plain or nested array, a typed array without a shape', async () => {
    const { sync } = await session();
    const plain = caught(() => sync.softmax([1, 2, 3] as never));
    expect(plain).toBeInstanceOf(ValueError);
    expect(plain.message).toContain('x is a plain Array');
    expect(plain.message).toContain('tensor(values)');
    expect(caught(() => sync.softmax([[1, 2]] as never)).message).toContain('tensor(values)');
    const typed = caught(() => sync.logSoftmax(new Float32Array(3) as never));
    expect(typed.message).toContain('a Float32Array without a shape');
    expect(typed.message).toContain('tensor(data, { shape })');
  });

  it('a TensorFlow.js tensor and an onnxruntime tensor', async () => {
    const { sync } = await session();
    const data = new Float32Array([1, 2, 3]);
    const tfjsLike = { shape: [3], dtype: 'float32', dataSync: () => data, data: async () => data };
    expect(caught(() => sync.softmax(tfjsLike as never)).message).toContain(
      '{ data: t.dataSync(), shape: t.shape }',
    );
    const ortLike = { data, dims: [3], type: 'float32', size: 3 };
    expect(caught(() => sync.softmax(ortLike as never)).message).toContain('{ data: t.data, shape: t.dims }');
  });

  it('labels as a plain array, a Uint8Array or a float tensor of the labels shape', async () => {
    const { sync } = await session();
    const ce = (target: unknown) => () => sync.softmaxCrossEntropy(x23(), target as never);
    expect(caught(ce([0, 1])).message).toContain('labels(values)');
    const bytes = caught(ce({ data: Uint8Array.of(0, 1), shape: [2] }));
    expect(bytes.message).toContain('a Uint8Array');
    expect(bytes.message).toContain('labels(target.data, { shape: target.shape })');
    const floats = caught(ce(tensor([0, 1])));
    expect(floats).toBeInstanceOf(ValueError);
    expect(floats.message).toContain("the labels' shape");
    expect(floats.message).toContain('labels(values)');
    expect(caught(ce(Int32Array.of(0, 1))).message).toContain('labels(data)');
  });

  it('quotes strings and never doubles a name', async () => {
    const { sync } = await session();
    expect(caught(() => sync.softmax(x23(), { axis: '1' } as never)).message).toBe(
      "options.axis must be an integer, got '1' (a string)",
    );
    const shapeError = caught(() => tensor([1, 2], { shape: 'x' } as never));
    expect(shapeError.message).toContain('options.shape must be');
    expect(shapeError.message).not.toContain('options.shape.shape');
    expect(caught(() => tensor([1, 2], { shape: [-1] })).message).toContain('options.shape[0] is -1');
    expect(
      caught(() => sync.softmax({ data: new Float32Array(2), shape: [1, 'a'] } as never)).message,
    ).toContain("x.shape[1] is 'a' (a string)");
  });

  it('toArray of a non-tensor or a mismatched one is a typed error', () => {
    expect(caught(() => toArray([1, 2] as never))).toBeInstanceOf(ValueError);
    expect(caught(() => toArray([1, 2] as never)).message).toContain('already is nested values');
    expect(caught(() => toArray(null as never))).toBeInstanceOf(ValueError);
    expect(caught(() => toArray({ data: new Uint8Array(3), shape: [5] }))).toBeInstanceOf(ShapeError);
    expect(toArray({ data: Uint8Array.of(1, 0), shape: [2] })).toEqual([1, 0]);
    expect(toArray(labels([[1, 2]]))).toEqual([[1, 2]]);
  });
});

describe('sizes that cannot be held say so, and nothing hangs', () => {
  it('log-sum-exp of [2^40, 0] and a Jacobian of [1, 2^17] are SizeErrors with the excess', async () => {
    const { sync } = await session();
    const lse = caught(() => sync.logSumExp({ data: new Float32Array(0), shape: [2 ** 40, 0] }));
    expect(lse).toBeInstanceOf(SizeError);
    expect(lse.code).toBe('ERR_SOFTMAX_SIZE');
    expect(lse.message).toContain('1099511627776 elements');
    expect(lse.message).toMatch(/256\.00 times/);
    const jacobian = caught(() =>
      sync.softmaxJacobian({ data: new Float32Array(2 ** 17), shape: [1, 2 ** 17] }),
    );
    expect(jacobian).toBeInstanceOf(SizeError);
    expect((jacobian as SizeError).elements).toBe(2 ** 34);
    // Zero-size inputs with huge dimensions otherwise give empty results.
    expect(sync.softmax({ data: new Float32Array(0), shape: [2 ** 40, 0] }).shape).toEqual([2 ** 40, 0]);
    const where = mask([1]);
    expect(
      sync.softmax({ data: new Float32Array(0), shape: [0, 2 ** 40] }, { where, axis: 0 }).data.length,
    ).toBe(0);
  });

  it('dimensions must be safe integers', async () => {
    const { sync } = await session();
    expect(caught(() => sync.softmax({ data: new Float32Array(0), shape: [1e200, 0] }))).toBeInstanceOf(
      ShapeError,
    );
  });

  it('causalMask(2 ** 40, 0) is instant and empty; an impossible one is a SizeError', () => {
    const start = performance.now();
    const empty = causalMask(2 ** 40, 0);
    expect(performance.now() - start).toBeLessThan(50);
    expect(empty.shape).toEqual([2 ** 40, 0]);
    expect(empty.data.length).toBe(0);
    expect(caught(() => causalMask(2 ** 20, 2 ** 20))).toBeInstanceOf(SizeError);
    expect(toArray(causalMask(2, 3))).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });

  it('toArray of [2^40, 0] refuses to build 2^40 empty arrays', () => {
    expect(caught(() => toArray({ data: new Float32Array(0), shape: [2 ** 40, 0] }))).toBeInstanceOf(
      SizeError,
    );
    expect(toArray({ data: new Float32Array(0), shape: [3, 0] })).toEqual([[], [], []]);
  });
});

describe('one order of checks: the same bad call raises the same error whatever the op', () => {
  const first = (op: OpName) =>
    op === 'softmaxCrossEntropy'
      ? 'logits'
      : op === 'softmaxBackward' || op === 'softmaxJacobian'
        ? 'y'
        : op === 'logSoftmaxBackward'
          ? 'logp'
          : 'x';
  const badCalls: { name: string; input: unknown; options: unknown }[] = [
    { name: 'options not an object and a bad tensor', input: [1, 2], options: 5 },
    { name: 'an unknown key and a bad tensor', input: { data: [1], shape: [1] }, options: { foo: 1 } },
    {
      name: 'a bad tensor and a bad axis',
      input: { data: new Float32Array(5), shape: [2, 3] },
      options: { axis: 9 },
    },
    { name: 'a string axis', input: x23(), options: { axis: 'x' } },
    {
      name: 'a negative dimension',
      input: { data: new Float32Array(0), shape: [-1, 3] },
      options: undefined,
    },
    { name: 'a tensor without data', input: { shape: [2, 3] }, options: undefined },
  ];
  it('an unsupported dtype with a wrong output buffer: UnsupportedError for every op', async () => {
    const spy = spyBackend({ name: 'f32-only', dtypes: ['float32'] });
    const sm = await createSoftmax(spy.factory);
    const sync = sm.sync;
    if (sync === undefined) throw new Error('the spy backend is sync');
    const x64 = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64' },
    );
    const seen = new Set<string>();
    for (const op of ALL_OPS) {
      const fn = sync[op] as AnyOp;
      const wrongOut = new Int32Array(1);
      const error =
        op === 'softmaxCrossEntropy'
          ? caught(() => fn(x64, labels([0, 1]), { gradOut: wrongOut }))
          : op === 'softmaxBackward' || op === 'logSoftmaxBackward'
            ? caught(() => fn(x64, x64, { out: wrongOut }))
            : caught(() => fn(x64, { out: wrongOut }));
      seen.add(error.constructor.name);
    }
    expect([...seen]).toEqual(['UnsupportedError']);
    expect(spy.calls).toEqual([]);
  });

  it('a bad dy (or target) and a bad axis: the second argument is reported first', async () => {
    const { sync } = await session();
    const backward = caught(() => sync.softmaxBackward(x23(), [1, 2] as never, { axis: 5 }));
    expect([backward.constructor.name, backward.argument]).toEqual(['ValueError', 'dy']);
    const ce = caught(() => sync.softmaxCrossEntropy(x23(), [0, 1] as never, { axis: 5 }));
    expect([ce.constructor.name, ce.argument]).toEqual(['ValueError', 'target']);
  });

  for (const bad of badCalls) {
    it(bad.name, async () => {
      const { sync } = await session();
      const seen = new Set<string>();
      for (const op of ALL_OPS) {
        const error = caught(callWith(sync, op, bad.input, bad.options));
        seen.add(`${error.constructor.name} ${error.argument === first(op) ? '<first>' : error.argument}`);
      }
      expect([...seen], [...seen].join(' | ')).toHaveLength(1);
    });
  }
});
