/**
 * Cases over large inputs whose reference results are computed once: the inputs are
 * float32-representable values, the same in every dtype, so each reference result (the float64
 * reference is far slower than the kernels under test) serves every dtype and call mode.
 */
import type { CrossEntropyOptions, LogSumExpOptions, Reduction } from '../../options.js';
import type { DType, Labels, Tensor } from '../../types.js';
import type { ConformanceCase } from '../case.js';
import {
  assertSlicesSumToOne,
  type CrossEntropyReference,
  expectBackward,
  expectCrossEntropy,
  expectForward,
  expectJacobian,
  type GradientReference,
  REFERENCE_FORWARD,
} from '../expect.js';
import { makeCase, randomMask, seedOf, shapeName } from '../generate.js';
import { Memo } from '../memo.js';
import { randomDistributions, seededRandom, uniformValues } from '../random.js';
import { makeLabels, makeTensor, sizeOf } from '../tensors.js';

export interface FamilySetting {
  /** Names the cases (after the op and shape) and seeds their inputs. */
  readonly what: string;
  readonly shape: readonly number[];
  readonly axis: number;
  readonly temperature?: number;
  /** A random mask of this shape (broadcast onto the input). */
  readonly mask?: readonly number[];
  /** The inputs are uniform in +-scale (default 6)... */
  readonly scale?: number;
  /** ...or each picked at random from these (float32-representable) values. */
  readonly picks?: readonly number[];
  /** Include the Jacobian (shape * n results). */
  readonly jacobian: boolean;
}

/** Uniform values rounded to float32, so every dtype gets the same numbers. */
function float32Values(count: number, seed: number, scale: number): Float64Array {
  return Float64Array.from(uniformValues(count, seed, scale), Math.fround);
}

/** Values picked at random from `picks`, rounded to float32. */
function pickValues(count: number, seed: number, picks: readonly number[]): Float64Array {
  const next = seededRandom(seed);
  return Float64Array.from({ length: count }, () => Math.fround(picks[Math.floor(next() * picks.length)]));
}

/** Options without the keys a setting leaves out. */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/** The setting's inputs and reference results, computed once for every dtype and mode. */
export class FamilyInputs {
  readonly options: LogSumExpOptions;
  readonly forward = {
    softmax: new Memo<Tensor<Float64Array>>(),
    logSoftmax: new Memo<Tensor<Float64Array>>(),
    logSumExp: new Memo<Tensor<Float64Array>>(),
  };
  readonly backward = {
    softmaxBackward: new Memo<GradientReference>(),
    logSoftmaxBackward: new Memo<GradientReference>(),
  };
  readonly jacobian = new Memo<GradientReference>();
  private readonly x = new Memo<Float64Array>();
  private readonly dy = new Memo<Float64Array>();
  private readonly rounded = { softmax: new Memo<Float64Array>(), logSoftmax: new Memo<Float64Array>() };
  private readonly seed: number;

  constructor(readonly setting: FamilySetting) {
    this.seed = seedOf(setting.what);
    const where = setting.mask === undefined ? undefined : randomMask(setting.mask, this.seed + 1, 0.8);
    this.options = defined({ axis: setting.axis, temperature: setting.temperature, where });
  }

  tensor(dtype: DType, values: ArrayLike<number>): Tensor {
    return makeTensor(dtype, values, this.setting.shape);
  }

  values(): Float64Array {
    const { shape, picks, scale } = this.setting;
    return this.x.get(() =>
      picks === undefined
        ? float32Values(sizeOf(shape), this.seed, scale ?? 6)
        : pickValues(sizeOf(shape), this.seed, picks),
    );
  }

  dyValues(): Float64Array {
    return this.dy.get(() => float32Values(sizeOf(this.setting.shape), this.seed + 2, 1));
  }

  /** softmax or log-softmax of x, rounded to float32: the forward input of the backward ops. */
  forwardOutput(op: 'softmax' | 'logSoftmax'): Float64Array {
    return this.rounded[op].get(() => {
      const x = this.tensor('float64', this.values());
      const want = this.forward[op].get(() => REFERENCE_FORWARD[op](x, this.options));
      return Float64Array.from(want.data, Math.fround);
    });
  }
}

export function familyCases(inputs: FamilyInputs, dtype: DType): ConformanceCase[] {
  const { setting, options } = inputs;
  const label = `${shapeName(setting.shape)} ${setting.what} [${dtype}]`;
  const size = sizeOf(setting.shape);
  const x = () => inputs.tensor(dtype, inputs.values());
  const dy = () => inputs.tensor(dtype, inputs.dyValues());
  const cases = (['softmax', 'logSoftmax', 'logSumExp'] as const).map((op) =>
    makeCase(`${op} ${label}`, [op], [dtype], size, async (c) => {
      const input = x();
      const got = await expectForward(c, op, input, options, label, inputs.forward[op]);
      // Each element may pass its (absolute) tolerance while a naive sum leaves the row's.
      if (op === 'softmax') assertSlicesSumToOne(got, input, options, label);
    }),
  );
  cases.push(
    makeCase(`softmaxBackward ${label}`, ['softmaxBackward'], [dtype], size, (c) =>
      expectBackward(
        c,
        'softmaxBackward',
        inputs.tensor(dtype, inputs.forwardOutput('softmax')),
        dy(),
        options,
        label,
        inputs.backward.softmaxBackward,
      ),
    ),
    makeCase(`logSoftmaxBackward ${label}`, ['logSoftmaxBackward'], [dtype], size, (c) =>
      expectBackward(
        c,
        'logSoftmaxBackward',
        inputs.tensor(dtype, inputs.forwardOutput('logSoftmax')),
        dy(),
        options,
        label,
        inputs.backward.logSoftmaxBackward,
      ),
    ),
  );
  if (setting.jacobian) {
    const n = setting.shape.at(setting.axis) ?? 1;
    cases.push(
      makeCase(`softmaxJacobian ${label}`, ['softmaxJacobian'], [dtype], size * n, (c) =>
        expectJacobian(
          c,
          inputs.tensor(dtype, inputs.forwardOutput('softmax')),
          options,
          label,
          inputs.jacobian,
        ),
      ),
    );
  }
  return cases;
}

export interface CrossEntropySetting {
  readonly what: string;
  readonly shape: readonly number[];
  readonly axis: number;
  readonly reduction: Reduction;
  readonly target: 'labels' | 'probabilities';
  /** Every k-th class of each sample is -Infinity (a masked vocabulary); labels avoid them. */
  readonly minusInfinityEvery?: number;
  /** Every k-th sample is ignored (labels). */
  readonly ignoreEvery?: number;
  readonly labelSmoothing?: number;
  readonly weights?: boolean;
}

export class CrossEntropyInputs {
  readonly reference = new Memo<CrossEntropyReference>();
  private readonly logits = new Memo<Float64Array>();
  private readonly targets = new Memo<Float64Array>();
  private readonly labelValues = new Memo<Int32Array>();
  private readonly lanes: { outer: number; n: number; inner: number };
  /** The logits' shape without the class axis: the labels' shape. */
  private readonly sampleShape: number[];

  constructor(readonly setting: CrossEntropySetting) {
    const { shape } = setting;
    const axis = setting.axis < 0 ? setting.axis + shape.length : setting.axis;
    this.lanes = {
      outer: sizeOf(shape.slice(0, axis)),
      n: shape[axis],
      inner: sizeOf(shape.slice(axis + 1)),
    };
    this.sampleShape = shape.filter((_, d) => d !== axis);
  }

  private isMasked(j: number): boolean {
    const every = this.setting.minusInfinityEvery;
    return every !== undefined && j % every === 3;
  }

  logitValues(): Float64Array {
    return this.logits.get(() => {
      const { n, inner } = this.lanes;
      const values = float32Values(sizeOf(this.setting.shape), seedOf(this.setting.what), 6);
      for (let k = 0; k < values.length; k++) {
        if (this.isMasked(Math.floor(k / inner) % n)) values[k] = Number.NEGATIVE_INFINITY;
      }
      return values;
    });
  }

  target(dtype: DType): Labels | Tensor {
    const { setting } = this;
    const { outer, n, inner } = this.lanes;
    if (setting.target === 'probabilities') {
      const values = this.targets.get(() => {
        const rows = randomDistributions(outer * inner, n, seedOf(`${setting.what} q`));
        // Lay each distribution out along the class axis.
        const data = new Float64Array(outer * n * inner);
        for (let r = 0; r < outer * inner; r++) {
          const o = Math.floor(r / inner);
          const i = r % inner;
          for (let c = 0; c < n; c++) data[(o * n + c) * inner + i] = Math.fround(rows[r * n + c]);
        }
        return data;
      });
      return makeTensor(dtype, values, setting.shape);
    }
    const labels = this.labelValues.get(() => {
      const next = seededRandom(seedOf(`${setting.what} labels`));
      return Int32Array.from({ length: outer * inner }, (_, s) => {
        if (setting.ignoreEvery !== undefined && s % setting.ignoreEvery === 2) return -100;
        let label = Math.floor(next() * n);
        while (this.isMasked(label)) label = (label + 1) % n;
        return label;
      });
    });
    return makeLabels(labels, this.sampleShape);
  }

  options(dtype: DType): CrossEntropyOptions {
    const { setting } = this;
    const { n } = this.lanes;
    const weights = setting.weights
      ? makeTensor(
          dtype,
          Array.from({ length: n }, (_, c) => Math.fround(0.25 + ((c * 7) % 5) * 0.4)),
          [n],
        )
      : undefined;
    return defined({
      axis: setting.axis,
      reduction: setting.reduction,
      labelSmoothing: setting.labelSmoothing,
      weights,
    });
  }
}

export function crossEntropyCase(inputs: CrossEntropyInputs, dtype: DType): ConformanceCase {
  const { setting } = inputs;
  const label = `softmaxCrossEntropy ${shapeName(setting.shape)} ${setting.what}, ${setting.reduction} [${dtype}]`;
  return makeCase(label, ['softmaxCrossEntropy'], [dtype], sizeOf(setting.shape), (c) =>
    expectCrossEntropy(
      c,
      makeTensor(dtype, inputs.logitValues(), setting.shape),
      inputs.target(dtype),
      inputs.options(dtype),
      label,
      inputs.reference,
    ),
  );
}
