/** Every bad input SEMANTICS.md lists, from cases/bad-input.json: each must raise its typed error naming the argument. */
import { ShapeError, UnsupportedError, ValueError } from '../../errors.js';
import { ALL_OPS, type DType, type Labels, type OpName, type Tensor } from '../../types.js';
import { assertRejects, type ErrorClass } from '../assert.js';
import type { BackendInfo, CaseGroup, ConformanceCase } from '../case.js';
import { type BadInputCase, badInputs, type LabelsSpec, type TensorSpec } from '../case-files.js';
import { labelsFrom, optionsFrom, tensorFrom } from '../decode.js';
import { floatArray, makeLabels, makeTensor, sizeOf } from '../tensors.js';
import { callOp, FAMILY_OPS, FIRST_ARGUMENT, outOption } from './op-arguments.js';

const ERROR_CLASSES: Readonly<Record<BadInputCase['error'], ErrorClass>> = {
  ShapeError,
  ValueError,
  UnsupportedError,
};

function opsOf(bad: BadInputCase): readonly OpName[] {
  if (bad.ops === 'all') return ALL_OPS;
  if (bad.ops === 'family') return FAMILY_OPS;
  return bad.ops;
}

const isValidShape = (shape: readonly number[]) => shape.every((d) => Number.isInteger(d) && d >= 0);

function isLabelsSpec(spec: TensorSpec | LabelsSpec): spec is LabelsSpec {
  return 'labels' in spec && spec.labels === true;
}

/** The op's second argument: the case's own, or a valid one derived from the first. */
function secondArgument(op: OpName, bad: BadInputCase, dtype: DType): Tensor | Labels | undefined {
  if (bad.second !== undefined) {
    return isLabelsSpec(bad.second) ? labelsFrom(bad.second) : tensorFrom(bad.second, dtype);
  }
  const { shape } = bad.input;
  if (op === 'softmaxBackward' || op === 'logSoftmaxBackward') {
    // A well-formed dy of the same shape, so the error can only be about the first argument.
    return isValidShape(shape)
      ? makeTensor(dtype, new Array(sizeOf(shape)).fill(0.5), shape)
      : tensorFrom(bad.input, dtype);
  }
  if (op === 'softmaxCrossEntropy') {
    const labelShape = isValidShape(shape) && shape.length > 0 ? shape.slice(0, -1) : [];
    return makeLabels(new Array(sizeOf(labelShape)).fill(0), labelShape);
  }
  return undefined;
}

/** How many elements the op's output has for a well-formed input of this shape (default axis). */
function resultLength(op: OpName, shape: readonly number[]): number {
  const n = shape[shape.length - 1];
  if (op === 'logSumExp') return sizeOf(shape) / n;
  if (op === 'softmaxJacobian') return sizeOf(shape) * n;
  return sizeOf(shape);
}

function badCase(bad: BadInputCase, op: OpName, dtype: DType): ConformanceCase {
  const argument = bad.argument
    .replace('@input', FIRST_ARGUMENT[op])
    .replace('@out', `options.${outOption(op)}`);
  const type = ERROR_CLASSES[bad.error];
  return {
    name: `${op}: ${bad.name} -> ${bad.error} (${argument})`,
    ops: [op],
    dtypes: [dtype],
    elements: Math.max(
      bad.input.data.length,
      isValidShape(bad.input.shape) ? resultLength(op, bad.input.shape) : 0,
    ),
    run: async (context) => {
      const options = optionsFrom(bad.options, dtype);
      if (bad.out !== undefined) {
        const length = resultLength(op, bad.input.shape) + (bad.out.delta ?? 0);
        const other: DType = dtype === 'float32' ? 'float64' : 'float32';
        // A plain array is what a user might pass by mistake; Object.assign keeps the types honest.
        const out =
          bad.out.kind === 'plain-array'
            ? new Array<number>(length).fill(0)
            : floatArray(bad.out.kind === 'other-dtype' ? other : dtype, length);
        Object.assign(options, { [outOption(op)]: out });
      }
      const first = tensorFrom(bad.input, dtype);
      await assertRejects(
        () => callOp(context.ops, op, first, secondArgument(op, bad, dtype), options),
        type,
        argument,
        `${op} with ${bad.name}`,
        context.mode === 'async',
      );
    },
  };
}

/** Bad inputs run in float32 when the backend declares it (the common path), else its first dtype. */
export function badInputGroup(backend: BackendInfo): CaseGroup {
  const declared = backend.capabilities.dtypes;
  const dtype: DType = declared.includes('float32') || declared.length === 0 ? 'float32' : declared[0];
  return {
    name: 'bad input raises typed errors',
    cases: badInputs.flatMap((bad) => opsOf(bad).map((op) => badCase(bad, op, dtype))),
  };
}
