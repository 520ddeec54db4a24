/**
 * Properties every backend must keep: slices sum to 1, shift invariance, independent rows,
 * exact masked entries, `out` honoured, results never overwritten by a later call.
 */
import type { DType, FloatArray, OpName, Tensor } from '../../types.js';
import { assertClose, check } from '../assert.js';
import type { CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import type { AnyOptions } from '../decode.js';
import { callForward, expectBackward, expectCrossEntropy, expectForward, expectJacobian } from '../expect.js';
import {
  BOTH_DTYPES,
  logSoftmaxOf,
  makeCase,
  randomMask,
  randomTensor,
  seedOf,
  softmaxOf,
} from '../generate.js';
import { seededRandom } from '../random.js';
import { floatArray, makeLabels, makeTensor, sizeOf } from '../tensors.js';
import { scaled, toleranceFor } from '../tolerance.js';
import { callOp, FAMILY_OPS, outOption } from './op-arguments.js';

function sliceSums(values: ArrayLike<number>, rows: number, n: number): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += values[r * n + j];
    return sum;
  });
}

/** Small integers, exact in float32 even after adding the shift. */
function integerTensor(dtype: DType, shape: readonly number[], seed: number, offset = 0): Tensor {
  const next = seededRandom(seed);
  return makeTensor(
    dtype,
    Array.from({ length: sizeOf(shape) }, () => Math.floor(next() * 41) - 20 + offset),
    shape,
  );
}

function sumsToOne(dtype: DType): ConformanceCase[] {
  return [
    makeCase(
      `softmax slices sum to 1 (last axis, 64 x 33) [${dtype}]`,
      ['softmax'],
      [dtype],
      64 * 33,
      async (c) => {
        const y = await c.ops.softmax(randomTensor(dtype, [64, 33], seedOf('sum rows'), 6));
        assertClose(sliceSums(y.data, 64, 33), new Array(64).fill(1), 'row sums', {
          tolerance: toleranceFor(dtype, 'probability'),
        });
      },
    ),
    makeCase(
      `softmax slices sum to 1 over axis 0, and masked slices too (fully masked: 0) [${dtype}]`,
      ['softmax'],
      [dtype],
      240,
      async (c) => {
        const where = randomMask([40, 6], seedOf('sum mask'), 0.3);
        const y = await c.ops.softmax(randomTensor(dtype, [40, 6], seedOf('sum cols')), { where });
        const want = Array.from({ length: 40 }, (_, r) =>
          where.data.subarray(r * 6, r * 6 + 6).some((m) => m !== 0) ? 1 : 0,
        );
        assertClose(sliceSums(y.data, 40, 6), want, 'masked row sums', {
          tolerance: toleranceFor(dtype, 'probability'),
        });
      },
    ),
  ];
}

function shiftInvariance(dtype: DType): ConformanceCase[] {
  // Both results carry their own error: twice the tolerance.
  const twice = (quantity: 'probability' | 'log') => scaled(toleranceFor(dtype, quantity), 2);
  return [1000, -1000, 1e4].flatMap((shift) => {
    const shape = [8, 9];
    const x = () => integerTensor(dtype, shape, seedOf('shift'));
    const shifted = () => integerTensor(dtype, shape, seedOf('shift'), shift);
    return [
      makeCase(`softmax(x + ${shift}) equals softmax(x) [${dtype}]`, ['softmax'], [dtype], 72, async (c) => {
        const [a, b] = [await c.ops.softmax(x()), await c.ops.softmax(shifted())];
        assertClose(b.data, a.data, 'shifted softmax', { tolerance: twice('probability') });
      }),
      makeCase(
        `logSoftmax(x + ${shift}) equals logSoftmax(x) [${dtype}]`,
        ['logSoftmax'],
        [dtype],
        72,
        async (c) => {
          const [a, b] = [await c.ops.logSoftmax(x()), await c.ops.logSoftmax(shifted())];
          assertClose(b.data, a.data, 'shifted log-softmax', { tolerance: twice('log') });
        },
      ),
      makeCase(
        `logSumExp(x + ${shift}) equals logSumExp(x) + ${shift} [${dtype}]`,
        ['logSumExp'],
        [dtype],
        72,
        async (c) => {
          const [a, b] = [await c.ops.logSumExp(x()), await c.ops.logSumExp(shifted())];
          assertClose(
            b.data,
            Array.from(a.data, (v) => v + shift),
            'shifted log-sum-exp',
            { tolerance: toleranceFor(dtype, 'log') },
          );
        },
      ),
    ];
  });
}

function rowsIndependent(dtype: DType): ConformanceCase[] {
  const batch = () => makeTensor(dtype, [1, 2, 3, 6, 2, 4, 5, 6, 3, 8, 7, 6], [3, 4]);
  const tolerance = (op: 'softmax' | 'logSoftmax') =>
    toleranceFor(dtype, op === 'softmax' ? 'probability' : 'log');
  return (['softmax', 'logSoftmax'] as const).flatMap((op) => [
    makeCase(
      `${op}: each row of the 3x4 batch equals that row alone [${dtype}]`,
      [op],
      [dtype],
      12,
      async (c) => {
        const whole = await callForward(c, op, batch());
        for (let r = 0; r < 3; r++) {
          const alone = await callForward(
            c,
            op,
            makeTensor(dtype, batch().data.subarray(r * 4, r * 4 + 4), [4]),
          );
          assertClose(whole.data.subarray(r * 4, r * 4 + 4), alone.data, `row ${r}`, {
            tolerance: tolerance(op),
          });
        }
      },
    ),
    makeCase(
      `${op}: each column over axis 0 equals that column alone [${dtype}]`,
      [op],
      [dtype],
      12,
      async (c) => {
        const whole = await callForward(c, op, batch(), { axis: 0 });
        for (let col = 0; col < 4; col++) {
          const column = [0, 1, 2].map((r) => batch().data[r * 4 + col]);
          const alone = await callForward(c, op, makeTensor(dtype, column, [3]));
          assertClose(
            [0, 1, 2].map((r) => whole.data[r * 4 + col]),
            alone.data,
            `column ${col}`,
            { tolerance: tolerance(op) },
          );
        }
      },
    ),
  ]);
}

/** Runs `op` on a valid [3, 4] input of `dtype`, with extra options. */
function callValid(
  context: CaseContext,
  op: OpName,
  dtype: DType,
  seed: number,
  extra: AnyOptions,
): Promise<unknown> {
  const x = randomTensor(dtype, [3, 4], seed);
  const dy = randomTensor(dtype, [3, 4], seed + 1, 1);
  switch (op) {
    case 'softmaxBackward':
    case 'softmaxJacobian':
      return callOp(context.ops, op, softmaxOf(x, {}), dy, extra);
    case 'logSoftmaxBackward':
      return callOp(context.ops, op, logSoftmaxOf(x, {}), dy, extra);
    case 'softmaxCrossEntropy':
      return callOp(context.ops, op, x, makeLabels([0, 3, 1], [3]), extra);
    default:
      return callOp(context.ops, op, x, undefined, extra);
  }
}

/** The arrays an op returned: its data, or a cross-entropy's loss and grad. */
function resultArrays(result: unknown): FloatArray[] {
  const r = result as { data?: FloatArray; loss?: Tensor; grad?: Tensor };
  if (r.loss !== undefined && r.grad !== undefined) return [r.loss.data, r.grad.data];
  return r.data === undefined ? [] : [r.data];
}

const ALL: readonly OpName[] = [...FAMILY_OPS, 'softmaxCrossEntropy'];

function outLength(op: OpName): number {
  return op === 'logSumExp' ? 3 : op === 'softmaxJacobian' ? 48 : 12;
}

function notOverwritten(dtype: DType): ConformanceCase[] {
  return ALL.map((op) =>
    makeCase(
      `${op}: a returned result is not overwritten by a later call [${dtype}]`,
      [op],
      [dtype],
      48,
      async (c) => {
        const first = resultArrays(await callValid(c, op, dtype, 1, {}));
        const copies = first.map((a) => Array.from(a));
        const second = resultArrays(await callValid(c, op, dtype, 99, {}));
        first.forEach((a, i) => {
          check(a !== second[i], () => `${op} returned the same array twice`);
          assertClose(a, copies[i], `${op} first result after a second call`, {
            tolerance: { rel: 0, abs: 0 },
            matches: () => 'same',
          });
        });
      },
    ),
  );
}

function outHonoured(dtype: DType): ConformanceCase[] {
  return ALL.map((op) =>
    makeCase(
      `${op}: options.${outOption(op)} is the returned array and holds the result [${dtype}]`,
      [op],
      [dtype],
      48,
      async (c) => {
        const out = floatArray(dtype, outLength(op)).fill(Number.NaN);
        const result = await callValid(
          c,
          op,
          dtype,
          5,
          op === 'softmaxCrossEntropy' ? { gradOut: out } : { out },
        );
        const arrays = resultArrays(result);
        const returned = op === 'softmaxCrossEntropy' ? arrays[1] : arrays[0];
        check(returned === out, () => `${op} did not return options.${outOption(op)} as its result's data`);
        const fresh = resultArrays(await callValid(c, op, dtype, 5, {}));
        const want = op === 'softmaxCrossEntropy' ? fresh[1] : fresh[0];
        assertClose(out, want, `${op} result in out vs without out`, {
          tolerance: { rel: 0, abs: 0 },
          matches: () => 'same',
        });
      },
    ),
  );
}

function exactMasked(dtype: DType): ConformanceCase[] {
  const shape = [32, 17];
  const x = () => randomTensor(dtype, shape, seedOf('exact masked'), 30);
  const where = () => randomMask(shape, seedOf('exact mask'), 0.5);
  return [
    makeCase(
      `masked softmax entries are exactly +0, log-softmax -Infinity, gradients 0 [${dtype}]`,
      ['softmax', 'logSoftmax', 'softmaxBackward', 'logSoftmaxBackward'],
      [dtype],
      544,
      async (c) => {
        const options = { where: where() };
        // expect* check masked positions exactly: +0, -Infinity and 0.
        await expectForward(c, 'softmax', x(), options, 'exact masked');
        await expectForward(c, 'logSoftmax', x(), options, 'exact masked');
        const dy = randomTensor(dtype, shape, seedOf('exact dy'), 1);
        await expectBackward(c, 'softmaxBackward', softmaxOf(x(), options), dy, options, 'exact masked');
        await expectBackward(
          c,
          'logSoftmaxBackward',
          logSoftmaxOf(x(), options),
          dy,
          options,
          'exact masked',
        );
      },
    ),
    makeCase(
      `masked Jacobian rows and columns are exactly 0 [${dtype}]`,
      ['softmaxJacobian'],
      [dtype],
      544 * 17,
      (c) => expectJacobian(c, softmaxOf(x(), { where: where() }), { where: where() }, 'exact masked'),
    ),
    makeCase(
      `cross-entropy of ignored samples is exactly 0 in loss and grad [${dtype}]`,
      ['softmaxCrossEntropy'],
      [dtype],
      544,
      (c) =>
        expectCrossEntropy(
          c,
          x(),
          makeLabels(
            Array.from({ length: 32 }, (_, k) => (k % 2 ? -100 : k % 17)),
            [32],
          ),
          { reduction: 'none' },
          'ignored',
        ),
    ),
  ];
}

export function propertiesGroup(): CaseGroup {
  return {
    name: 'properties',
    cases: [
      ...BOTH_DTYPES.flatMap((d) => [
        ...sumsToOne(d),
        ...shiftInvariance(d),
        ...rowsIndependent(d),
        ...exactMasked(d),
        ...notOverwritten(d),
        ...outHonoured(d),
      ]),
    ],
  };
}
