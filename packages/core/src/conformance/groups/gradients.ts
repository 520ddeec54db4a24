/** Gradients: closed forms via the reference, and finite differences of the forward ops. */
import type { SoftmaxOptions } from '../../options.js';
import type { Tensor } from '../../types.js';
import { assertClose } from '../assert.js';
import type { BackendInfo, CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import { type BackwardOp, callBackward, callForward, REFERENCE_FORWARD } from '../expect.js';
import { differencePath, numericGradient, weightedSum } from '../finite-differences.js';
import { makeCase, randomMask, randomTensor, seedOf, shapeName } from '../generate.js';
import { sizeOf } from '../tensors.js';
import { familySweep } from './family-sweep.js';

interface Setting {
  readonly shape: readonly number[];
  readonly options: SoftmaxOptions;
  readonly what: string;
}

const SETTINGS: readonly Setting[] = [
  { shape: [2, 4], options: {}, what: 'last axis' },
  { shape: [4, 3], options: { axis: 0, temperature: 1.5 }, what: 'axis 0, temperature 1.5' },
  { shape: [2, 3, 3], options: { axis: 1, temperature: 0.6 }, what: 'axis 1, temperature 0.6' },
  { shape: [3, 4], options: { where: randomMask([3, 4], seedOf('fd mask'), 0.6) }, what: 'masked' },
];

function finiteDifferenceCase(op: BackwardOp, setting: Setting, backend: BackendInfo): ConformanceCase {
  const path = differencePath(backend);
  const forwardOp = op === 'softmaxBackward' ? 'softmax' : 'logSoftmax';
  const label = `${op} vs finite differences of ${forwardOp}, ${shapeName(setting.shape)} ${setting.what} [${path.dtype}]`;
  return makeCase(
    label,
    [forwardOp, op],
    [path.dtype],
    sizeOf(setting.shape),
    async (context: CaseContext) => {
      const { options, shape } = setting;
      const x = randomTensor(path.dtype, shape, seedOf(label), 2);
      const dy = randomTensor(path.dtype, shape, seedOf(`${label} dy`), 1);
      const y = await callForward(context, forwardOp, x, options);
      const grad = await callBackward(context, op, y, dy, options);
      const objective = async (xp: Tensor<Float64Array>) => {
        const out = path.onBackend
          ? await callForward(context, forwardOp, xp, options)
          : REFERENCE_FORWARD[forwardOp](xp, options);
        return weightedSum(dy.data, out.data);
      };
      assertClose(grad.data, await numericGradient(x, objective), label, { tolerance: path.tolerance });
    },
  );
}

export function gradientsGroup(backend: BackendInfo): CaseGroup {
  const closedForms = (['float32', 'float64'] as const).flatMap((dtype) =>
    SETTINGS.flatMap((setting) => {
      const label = `${shapeName(setting.shape)} ${setting.what}`;
      return familySweep({
        label,
        dtype,
        shape: setting.shape,
        x: () => randomTensor(dtype, setting.shape, seedOf(label)),
        options: setting.options,
      }).filter((c) => c.ops.some((op) => op === 'softmaxBackward' || op === 'logSoftmaxBackward'));
    }),
  );
  const differences = SETTINGS.flatMap((setting) =>
    (['softmaxBackward', 'logSoftmaxBackward'] as const).map((op) =>
      finiteDifferenceCase(op, setting, backend),
    ),
  );
  return { name: 'gradients', cases: [...closedForms, ...differences] };
}
