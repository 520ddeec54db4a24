import { describe, expect, it } from 'vitest';
import {
  createSoftmax,
  labels,
  mask,
  ShapeError,
  type Softmax,
  type SoftmaxKitError,
  type Tensor,
  tensor,
  UnsupportedError,
  ValueError,
} from '../src/index.js';
import { spyBackend } from './spy-backend.js';

async function session(options?: Parameters<typeof spyBackend>[0]) {
  const spy = spyBackend(options);
  const sm = await createSoftmax(spy.factory);
  return { sm, calls: spy.calls };
}

/** Asserts the call throws `type` naming `argument`, with every `fragment` in its message. */
function expectError(
  call: () => unknown,
  type: new (...args: never[]) => SoftmaxKitError,
  argument: string,
  ...fragments: string[]
) {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  const error = caught as SoftmaxKitError;
  expect(error.argument).toBe(argument);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

const x23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('tensor checks', () => {
  it('rejects data whose length is not the product of the shape, naming both', async () => {
    const { sm, calls } = await session();
    const bad = { data: new Float32Array(5), shape: [2, 3] };
    expectError(() => sm.sync!.softmax(bad), ShapeError, 'x', '5 elements', '[2, 3]', '6');
    expect(calls).toEqual([]);
  });

  it('rejects negative and fractional dimensions', async () => {
    const { sm } = await session();
    expectError(
      () => sm.sync!.softmax({ data: new Float32Array(0), shape: [-1, 0] }),
      ShapeError,
      'x',
      'shape[0]',
      '-1',
    );
    expectError(
      () => sm.sync!.softmax({ data: new Float32Array(3), shape: [1.5, 2] }),
      ShapeError,
      'x',
      '1.5',
    );
  });

  it('rejects data that is not a float typed array', async () => {
    const { sm } = await session();
    const bad = { data: [1, 2, 3], shape: [3] } as unknown;
    expectError(
      () => sm.sync!.softmax(bad as never),
      ValueError,
      'x',
      'Float32Array or Float64Array',
      'Array',
    );
  });

  it('rejects an axis out of range, naming the valid range and the shape', async () => {
    const { sm, calls } = await session();
    expectError(() => sm.sync!.softmax(x23(), { axis: 2 }), ShapeError, 'options.axis', '[2, 3]', '-2 to 1');
    expectError(() => sm.sync!.softmax(x23(), { axis: -3 }), ShapeError, 'options.axis');
    expectError(() => sm.sync!.softmax(x23(), { axis: 0.5 }), ShapeError, 'options.axis', 'integer');
    expectError(() => sm.sync!.softmax(tensor(3)), ShapeError, 'options.axis', 'scalar');
    expect(calls).toEqual([]);
  });

  it('accepts every valid negative axis', async () => {
    const { sm, calls } = await session();
    sm.sync!.softmax(x23(), { axis: -2 });
    sm.sync!.softmax(x23(), { axis: -1 });
    expect(calls).toEqual(['softmax', 'softmax']);
  });
});

describe('option checks', () => {
  it('rejects a temperature that is not finite and > 0', async () => {
    const { sm, calls } = await session();
    for (const temperature of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectError(() => sm.sync!.softmax(x23(), { temperature }), ValueError, 'options.temperature');
    }
    expect(calls).toEqual([]);
  });

  it('rejects a mask that does not broadcast, naming both shapes', async () => {
    const { sm, calls } = await session();
    const where = mask([[1, 0]]);
    expectError(() => sm.sync!.softmax(x23(), { where }), ShapeError, 'options.where', '[1, 2]', '[2, 3]');
    const tooManyDims = mask([[[1, 0, 1]]]);
    expectError(() => sm.sync!.softmax(x23(), { where: tooManyDims }), ShapeError, 'options.where');
    expect(calls).toEqual([]);
  });

  it('rejects a mask whose data is not a Uint8Array', async () => {
    const { sm } = await session();
    const where = { data: new Int32Array(3), shape: [3] } as unknown;
    expectError(
      () => sm.sync!.softmax(x23(), { where: where as never }),
      ValueError,
      'options.where',
      'Uint8Array',
    );
  });

  it('rejects an out of the wrong dtype, the wrong length, or sharing memory with the input', async () => {
    const { sm, calls } = await session();
    expectError(
      () => sm.sync!.softmax(x23(), { out: new Float64Array(6) }),
      ValueError,
      'options.out',
      'Float32Array',
    );
    expectError(
      () => sm.sync!.softmax(x23(), { out: new Float32Array(5) }),
      ShapeError,
      'options.out',
      '5',
      '6',
    );
    const x = x23();
    expectError(() => sm.sync!.softmax(x, { out: x.data }), ValueError, 'options.out', 'shares memory');
    expectError(
      () => sm.sync!.logSumExp(x23(), { out: new Float32Array(6) }),
      ShapeError,
      'options.out',
      '2',
    );
    expect(calls).toEqual([]);
  });

  it('uses out when given and returns it as the result data', async () => {
    const { sm } = await session();
    const out = new Float32Array(6);
    expect(sm.sync!.softmax(x23(), { out }).data).toBe(out);
  });
});

describe('gradient checks', () => {
  it('rejects y and dy of different shapes or dtypes', async () => {
    const { sm, calls } = await session();
    const dy = tensor([1, 2, 3]);
    expectError(() => sm.sync!.softmaxBackward(x23(), dy), ShapeError, 'dy', '[3]', '[2, 3]');
    expectError(() => sm.sync!.logSoftmaxBackward(x23(), dy), ShapeError, 'dy');
    // Typed as the union: the op types already refuse mixed dtypes, this checks the run-time check.
    const dy64: Tensor = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64' },
    );
    expectError(() => sm.sync!.softmaxBackward(x23(), dy64), ValueError, 'dy', 'float64', 'float32');
    expect(calls).toEqual([]);
  });
});

describe('cross-entropy checks', () => {
  const logits = () =>
    tensor([
      [1, 2, 3],
      [3, 2, 1],
    ]);

  it('rejects a label outside [0, C) that is not ignoreIndex', async () => {
    const { sm, calls } = await session();
    expectError(
      () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 3])),
      ValueError,
      'target',
      '3',
      '[0, 3)',
    );
    expectError(() => sm.sync!.softmaxCrossEntropy(logits(), labels([-1, 0])), ValueError, 'target', '-1');
    expect(calls).toEqual([]);
    sm.sync!.softmaxCrossEntropy(logits(), labels([-100, 0]));
    sm.sync!.softmaxCrossEntropy(logits(), labels([7, 0]), { ignoreIndex: 7 });
    expect(calls).toEqual(['softmaxCrossEntropy', 'softmaxCrossEntropy']);
  });

  it('rejects labels of the wrong shape, naming the expected shape', async () => {
    const { sm } = await session();
    expectError(
      () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 1, 2])),
      ShapeError,
      'target',
      '[3]',
      '[2]',
    );
    expectError(
      () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 1, 2]), { axis: 0 }),
      ValueError,
      'target',
      'outside [0, 2)',
    );
  });

  it('rejects labelSmoothing outside [0, 1), a bad reduction, bad weights', async () => {
    const { sm, calls } = await session();
    for (const labelSmoothing of [-0.1, 1, Number.NaN]) {
      expectError(
        () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 1]), { labelSmoothing }),
        ValueError,
        'options.labelSmoothing',
      );
    }
    expectError(
      () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 1]), { reduction: 'avg' as never }),
      ValueError,
      'options.reduction',
    );
    expectError(
      () => sm.sync!.softmaxCrossEntropy(logits(), labels([0, 1]), { weights: tensor([1, 2]) }),
      ShapeError,
      'options.weights',
      '[2]',
      '[3]',
    );
    expect(calls).toEqual([]);
  });

  it('rejects probability targets of another shape', async () => {
    const { sm } = await session();
    expectError(() => sm.sync!.softmaxCrossEntropy(logits(), tensor([0.5, 0.5, 0])), ShapeError, 'target');
  });
});

describe('capabilities', () => {
  it('refuses a dtype the backend does not declare, naming a backend that supports it', async () => {
    const spy = spyBackend({ name: 'gpu-ish', dtypes: ['float32'] });
    const fallback = spyBackend({ name: 'fallback' });
    const sm = await createSoftmax([spy.factory, fallback.factory]);
    const x = tensor([1, 2], { dtype: 'float64' });
    expectError(
      () => sm.sync!.softmax(x),
      UnsupportedError,
      undefined as never,
      "'gpu-ish'",
      'float64',
      "'fallback'",
    );
    expect(spy.calls).toEqual([]);
  });

  it('refuses an op the backend does not implement', async () => {
    const { sm } = await session({ omit: ['softmaxJacobian'] });
    expect(() => sm.sync!.softmaxJacobian(tensor([0.5, 0.5]))).toThrow(/does not implement softmaxJacobian/);
  });

  it('refuses sizes above maxElements, counting the Jacobian output', async () => {
    const { sm, calls } = await session({ maxElements: 8 });
    sm.sync!.softmax(tensor([1, 2, 3, 4]));
    expect(() => sm.sync!.softmaxJacobian(tensor([0.25, 0.25, 0.25, 0.25]))).toThrow(UnsupportedError);
    expect(calls).toEqual(['softmax']);
  });

  it('exposes sync ops only for sync backends, and async ops reject instead of throwing', async () => {
    const { sm } = await session({ sync: false });
    expect(sm.sync).toBeUndefined();
    await expect(sm.softmax(x23(), { axis: 5 })).rejects.toBeInstanceOf(ShapeError);
    await expect(sm.softmax(x23())).resolves.toMatchObject({ shape: [2, 3] });
  });
});

describe('zero-size inputs never reach a kernel', () => {
  it('returns empty results, and -Infinity for log-sum-exp over an empty axis', async () => {
    const { sm, calls } = await session();
    expect(sm.sync!.softmax({ data: new Float32Array(0), shape: [0, 4] }).shape).toEqual([0, 4]);
    expect(sm.sync!.softmax({ data: new Float32Array(0), shape: [3, 0] }).data.length).toBe(0);
    const lse = sm.sync!.logSumExp({ data: new Float32Array(0), shape: [3, 0] });
    expect(lse.shape).toEqual([3]);
    expect([...lse.data]).toEqual([-Infinity, -Infinity, -Infinity]);
    const keep = sm.sync!.logSumExp({ data: new Float32Array(0), shape: [2, 0] }, { keepDims: true });
    expect(keep.shape).toEqual([2, 1]);
    const jac = sm.sync!.softmaxJacobian({ data: new Float32Array(0), shape: [0, 3] });
    expect(jac.shape).toEqual([0, 3, 3]);
    const ce = sm.sync!.softmaxCrossEntropy(
      { data: new Float32Array(0), shape: [0, 3] },
      labels([], { shape: [0] }),
    );
    expect([...ce.loss.data]).toEqual([0]);
    expect(calls).toEqual([]);
  });
});

describe('sessions', () => {
  it('starts the first backend that starts and reports every reason when none does', async () => {
    const broken = (name: string) => ({
      name,
      dtypes: ['float32'] as const,
      start: async () => {
        throw new Error(`${name} binary missing`);
      },
    });
    const ok = spyBackend({ name: 'ok' });
    const sm: Softmax = await createSoftmax([broken('native'), ok.factory]);
    expect(sm.backend).toBe('ok');
    await expect(createSoftmax([broken('native'), broken('webgpu')])).rejects.toThrow(
      /native: native binary missing[\s\S]*webgpu: webgpu binary missing/,
    );
    await expect(createSoftmax([])).rejects.toThrow(/no backend/);
    await expect(createSoftmax([{} as never])).rejects.toThrow(/not a backend factory/);
  });

  it('refuses a backend whose capabilities.sync differs from what its factory declared', async () => {
    const spy = spyBackend({ sync: false });
    const lying = {
      ...spy.factory,
      capabilities: { dtypes: ['float32'], sync: true, maxElements: 10 },
    } as const;
    await expect(createSoftmax(lying)).rejects.toThrow(/declares capabilities\.sync: true.*has false/);
    expect(spy.calls).toEqual(['dispose']);
    const honest = {
      ...spy.factory,
      capabilities: { dtypes: ['float32'], sync: false, maxElements: 10 },
    } as const;
    const sm = await createSoftmax(honest);
    expect('sync' in sm && sm.sync !== undefined).toBe(false);
  });

  it('disposes the backend once and refuses calls afterwards', async () => {
    const { sm, calls } = await session();
    await sm.dispose();
    await sm.dispose();
    expect(calls).toEqual(['dispose']);
    expect(() => sm.sync!.softmax(x23())).toThrow(/disposed/);
  });
});
