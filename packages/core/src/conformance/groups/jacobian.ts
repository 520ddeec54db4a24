/** The Jacobian: closed form, finite differences, and backward as its vector product. */
import type { SoftmaxOptions } from '../../options.js';
import * as reference from '../../reference/index.js';
import type { DType, Tensor } from '../../types.js';
import { assertClose } from '../assert.js';
import type { BackendInfo, CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import { callForward, expectJacobian } from '../expect.js';
import { differencePath, numericGradient } from '../finite-differences.js';
import { makeCase, randomMask, randomTensor, seedOf, shapeName, softmaxOf } from '../generate.js';
import { sizeOf } from '../tensors.js';

interface Setting {
  readonly shape: readonly number[];
  readonly axis: number;
  readonly options: SoftmaxOptions;
  readonly what: string;
}

const SETTINGS: readonly Setting[] = [
  { shape: [5], axis: 0, options: {}, what: '1-D' },
  { shape: [3, 4], axis: 1, options: {}, what: 'last axis' },
  { shape: [4, 3], axis: 0, options: { axis: 0 }, what: 'axis 0' },
  { shape: [2, 3, 4], axis: 1, options: { axis: 1, temperature: 0.5 }, what: 'axis 1, temperature 0.5' },
  {
    shape: [2, 5],
    axis: 1,
    options: { where: randomMask([2, 5], seedOf('jacobian mask'), 0.6) },
    what: 'masked',
  },
];

/** Where element `row` of y moves to position k along the axis. */
function partnerOf(row: number, k: number, setting: Setting): number {
  const n = setting.shape[setting.axis];
  const stride = sizeOf(setting.shape.slice(setting.axis + 1));
  const j = Math.floor(row / stride) % n;
  return row + (k - j) * stride;
}

function finiteDifferenceCase(setting: Setting, backend: BackendInfo): ConformanceCase {
  const path = differencePath(backend);
  const label = `softmaxJacobian vs finite differences of softmax, ${shapeName(setting.shape)} ${setting.what} [${path.dtype}]`;
  const n = setting.shape[setting.axis];
  const size = sizeOf(setting.shape);
  return makeCase(
    label,
    ['softmax', 'softmaxJacobian'],
    [path.dtype],
    size * n,
    async (context: CaseContext) => {
      const x = randomTensor(path.dtype, setting.shape, seedOf(label), 2);
      const y = await callForward(context, 'softmax', x, setting.options);
      const jacobian = await context.ops.softmaxJacobian(y, setting.options);
      const forward = async (xp: Tensor<Float64Array>) =>
        path.onBackend
          ? (await callForward(context, 'softmax', xp, setting.options)).data
          : reference.softmax(xp, setting.options).data;
      // Column k of every slice: d y / d x at the element moved to position k.
      const want = new Float64Array(size * n);
      for (let row = 0; row < size; row++) {
        for (let k = 0; k < n; k++) {
          const partner = partnerOf(row, k, setting);
          const derivative = await numericGradient(
            { data: Float64Array.of(x.data[partner]), shape: [1] },
            async (xk) => {
              const data = Float64Array.from(x.data);
              data[partner] = xk.data[0];
              return (await forward({ data, shape: x.shape }))[row];
            },
          );
          want[row * n + k] = derivative[0];
        }
      }
      assertClose(jacobian.data, want, label, { tolerance: path.tolerance });
    },
  );
}

/** softmaxBackward(y, dy) equals J dy (the Jacobian is symmetric), both from the backend. */
function vectorProductCase(setting: Setting, dtype: DType): ConformanceCase {
  const label = `softmaxBackward equals the Jacobian times dy, ${shapeName(setting.shape)} ${setting.what} [${dtype}]`;
  const n = setting.shape[setting.axis];
  const size = sizeOf(setting.shape);
  return makeCase(label, ['softmaxJacobian', 'softmaxBackward'], [dtype], size * n, async (context) => {
    const y = softmaxOf(randomTensor(dtype, setting.shape, seedOf(label)), setting.options);
    const dy = randomTensor(dtype, setting.shape, seedOf(`${label} dy`), 1);
    const jacobian = await context.ops.softmaxJacobian(y, setting.options);
    const backward = await context.ops.softmaxBackward(y, dy, setting.options);
    const product = new Float64Array(size);
    for (let row = 0; row < size; row++) {
      for (let k = 0; k < n; k++)
        product[row] += jacobian.data[row * n + k] * dy.data[partnerOf(row, k, setting)];
    }
    const tolerance = dtype === 'float64' ? { rel: 1e-11, abs: 1e-12 } : { rel: 2e-5, abs: 5e-6 };
    assertClose(backward.data, product, label, { tolerance });
  });
}

export function jacobianGroup(backend: BackendInfo): CaseGroup {
  const closedForms = (['float32', 'float64'] as const).flatMap((dtype) =>
    SETTINGS.map((setting) => {
      const label = `${shapeName(setting.shape)} ${setting.what} [${dtype}]`;
      const n = setting.shape[setting.axis];
      return makeCase(
        `softmaxJacobian ${label}`,
        ['softmaxJacobian'],
        [dtype],
        sizeOf(setting.shape) * n,
        (c) =>
          expectJacobian(
            c,
            softmaxOf(randomTensor(dtype, setting.shape, seedOf(label)), setting.options),
            setting.options,
            label,
          ),
      );
    }),
  );
  return {
    name: 'softmax Jacobian',
    cases: [
      ...closedForms,
      ...SETTINGS.map((s) => finiteDifferenceCase(s, backend)),
      ...(['float32', 'float64'] as const).flatMap((dtype) =>
        SETTINGS.map((s) => vectorProductCase(s, dtype)),
      ),
    ],
  };
}
