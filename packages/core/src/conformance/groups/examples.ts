/**
 * Worked examples and special values from the JSON case files: known inputs, expected values
 * computed independently (mpmath), each run in every dtype the case can use.
 */
import type { DType, FloatArray, Labels, Tensor } from '../../types.js';
import { arrayTypeOf, assertClose, assertTensorShape, check, fail, type Match } from '../assert.js';
import type { CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import { type ExampleCase, specialValues, type TensorSpec, workedExamples } from '../case-files.js';
import { type AnyOptions, labelsFrom, optionsFrom, tensorFrom } from '../decode.js';
import { backwardMatches, forwardMatches, jacobianMatches, quantityOf } from '../expect.js';
import { backwardMagnitudes, crossEntropyMagnitudes, jacobianMagnitudes } from '../gradient-bound.js';
import { sizeOf } from '../tensors.js';
import { type Quantity, toleranceFor } from '../tolerance.js';

function required(spec: TensorSpec | undefined, name: string, example: ExampleCase): TensorSpec {
  if (spec === undefined) throw new Error(`case file: "${example.name}" has no input "${name}"`);
  return spec;
}

function isCrossEntropyExpected(
  expected: ExampleCase['expected'],
): expected is { readonly loss: TensorSpec; readonly grad: TensorSpec } {
  return 'loss' in expected;
}

/** An expected value beyond the dtype's range is the infinity the result rounds to. */
function inRange(want: Tensor, dtype: DType): Tensor {
  if (dtype === 'float64') return want;
  const data = Float64Array.from(want.data, (v) => (Number.isFinite(Math.fround(v)) ? v : Math.fround(v)));
  return { data, shape: want.shape };
}

async function runExample(context: CaseContext, example: ExampleCase, dtype: DType): Promise<void> {
  const options: AnyOptions = optionsFrom(example.options, dtype);
  const inputs = example.inputs;
  const what = `${example.name} [${dtype}]`;
  const input = (name: 'x' | 'y' | 'logp' | 'dy' | 'logits') =>
    tensorFrom(required(inputs[name], name, example), dtype);
  const expectTensor = (
    got: Tensor<FloatArray>,
    spec: TensorSpec,
    like: Tensor,
    quantity: Quantity,
    check: { matches?: (k: number) => Match; magnitudes?: ArrayLike<number>; part?: string } = {},
  ) => {
    const want = inRange(tensorFrom(spec, 'float64'), dtype);
    const { part, ...close } = check;
    const where = part === undefined ? what : `${what} (${part})`;
    assertTensorShape(got, want.shape, arrayTypeOf(like.data), where);
    assertClose(got.data, want.data, where, { tolerance: toleranceFor(dtype, quantity), ...close });
  };
  const { expected } = example;
  switch (example.op) {
    case 'softmax':
    case 'logSoftmax':
    case 'logSumExp': {
      if (isCrossEntropyExpected(expected)) return fail(`${what}: expected must be a tensor`);
      const x = input('x');
      const got = await (example.op === 'softmax'
        ? context.ops.softmax(x, options)
        : example.op === 'logSoftmax'
          ? context.ops.logSoftmax(x, options)
          : context.ops.logSumExp(x, options));
      return expectTensor(got, expected, x, quantityOf(example.op), {
        matches: forwardMatches(example.op, x, options),
      });
    }
    case 'softmaxBackward':
    case 'logSoftmaxBackward': {
      if (isCrossEntropyExpected(expected)) return fail(`${what}: expected must be a tensor`);
      const forward = input(example.op === 'softmaxBackward' ? 'y' : 'logp');
      const dy = input('dy');
      const got = await (example.op === 'softmaxBackward'
        ? context.ops.softmaxBackward(forward, dy, options)
        : context.ops.logSoftmaxBackward(forward, dy, options));
      return expectTensor(got, expected, forward, 'gradient', {
        matches: backwardMatches(example.op, forward, options),
        magnitudes: backwardMagnitudes(example.op, forward, dy, options),
      });
    }
    case 'softmaxJacobian': {
      if (isCrossEntropyExpected(expected)) return fail(`${what}: expected must be a tensor`);
      const y = input('y');
      return expectTensor(await context.ops.softmaxJacobian(y, options), expected, y, 'gradient', {
        matches: jacobianMatches(y, options),
        magnitudes: jacobianMagnitudes(y, options),
      });
    }
    case 'softmaxCrossEntropy': {
      if (!isCrossEntropyExpected(expected)) return fail(`${what}: expected must be { loss, grad }`);
      const logits = input('logits');
      const target: Labels | Tensor =
        inputs.labels !== undefined
          ? labelsFrom(inputs.labels)
          : tensorFrom(required(inputs.probabilities, 'probabilities', example), dtype);
      const got = await context.ops.softmaxCrossEntropy(logits, target, options);
      check(got !== null && typeof got === 'object', () => `${what}: must return { loss, grad }`);
      expectTensor(got.loss, expected.loss, logits, 'log', { part: 'loss' });
      return expectTensor(got.grad, expected.grad, logits, 'gradient', {
        part: 'grad',
        magnitudes: crossEntropyMagnitudes(logits, target, options),
      });
    }
  }
}

/** The size of the largest array an example passes or gets back. */
function elementsOf(example: ExampleCase): number {
  const sizes = Object.values(example.inputs).map((spec) => sizeOf(spec?.shape ?? []));
  const { expected } = example;
  if (isCrossEntropyExpected(expected)) sizes.push(sizeOf(expected.grad.shape));
  else sizes.push(sizeOf(expected.shape));
  return Math.max(...sizes);
}

function exampleCases(examples: readonly ExampleCase[]): ConformanceCase[] {
  return examples.flatMap((example) =>
    (['float32', 'float64'] as const).map((dtype) => ({
      name: `${example.name} [${dtype}]`,
      ops: [example.op],
      dtypes: [dtype],
      elements: elementsOf(example),
      run: (context: CaseContext) => runExample(context, example, dtype),
    })),
  );
}

export function workedExampleGroup(): CaseGroup {
  return { name: 'worked examples', cases: exampleCases(workedExamples) };
}

export function specialValueGroup(): CaseGroup {
  return { name: 'special values (+-Infinity, NaN, fully masked)', cases: exampleCases(specialValues) };
}
