/**
 * What core's self-tests of the conformance suite share: a minimal recording framework, and
 * canonical-view kernels that delegate to the float64 reference (core cannot depend on a real
 * backend). These kernels stand in for a correct backend; tests replace one with a broken one.
 */
import type { Backend, BackendFactory, CrossEntropyArgs, Kernels, MaskView, View } from '../src/backend.js';
import { type ConformanceApi, type ConformanceOptions, runConformance } from '../src/conformance/index.js';
import * as reference from '../src/reference/index.js';
import type { DType, FloatArray, Labels, Mask, OpName, Tensor } from '../src/types.js';

export function viewTensor(data: FloatArray, view: View): Tensor {
  return { data, shape: [view.outer, view.n, view.inner] };
}

export function viewMask(mask: MaskView | null, view: View): Mask | undefined {
  if (mask === null) return undefined;
  const flags = new Uint8Array(view.outer * view.n * view.inner);
  for (let o = 0; o < view.outer; o++) {
    for (let j = 0; j < view.n; j++) {
      for (let i = 0; i < view.inner; i++) {
        const m = mask.data[mask.outerOffsets[o] + j * mask.nStride + mask.innerOffsets[i]];
        flags[(o * view.n + j) * view.inner + i] = m !== 0 ? 1 : 0;
      }
    }
  }
  return { data: flags, shape: [view.outer, view.n, view.inner] };
}

export const viewOptions = (a: { view: View; mask: MaskView | null; invTemperature: number }) => ({
  axis: 1,
  temperature: 1 / a.invTemperature,
  where: viewMask(a.mask, a.view),
});

/** The per-sample losses and the gradient of their sum, from the reference. */
export function referenceCrossEntropy(a: CrossEntropyArgs): { loss: Float64Array; grad: Float64Array } {
  const { outer, n, inner } = a.view;
  const target: Labels | Tensor =
    a.target.kind === 'labels'
      ? { data: a.target.labels, shape: [outer, inner] }
      : viewTensor(a.target.probabilities, a.view);
  const { loss, grad } = reference.softmaxCrossEntropy(viewTensor(a.logits, a.view), target, {
    axis: 1,
    reduction: 'none',
    labelSmoothing: a.labelSmoothing,
    weights: a.weights === null ? undefined : { data: a.weights, shape: [n] },
    ignoreIndex: a.target.kind === 'labels' ? a.target.ignoreIndex : undefined,
  });
  return { loss: loss.data, grad: grad.data };
}

export const referenceKernels: Required<Kernels> = {
  softmax: (a) => a.out.set(reference.softmax(viewTensor(a.x, a.view), viewOptions(a)).data),
  logSoftmax: (a) => a.out.set(reference.logSoftmax(viewTensor(a.x, a.view), viewOptions(a)).data),
  logSumExp: (a) => a.out.set(reference.logSumExp(viewTensor(a.x, a.view), viewOptions(a)).data),
  softmaxBackward: (a) =>
    a.out.set(
      reference.softmaxBackward(viewTensor(a.y, a.view), viewTensor(a.dy, a.view), viewOptions(a)).data,
    ),
  logSoftmaxBackward: (a) =>
    a.out.set(
      reference.logSoftmaxBackward(viewTensor(a.logp, a.view), viewTensor(a.dy, a.view), viewOptions(a)).data,
    ),
  softmaxJacobian: (a) => a.out.set(reference.softmaxJacobian(viewTensor(a.y, a.view), viewOptions(a)).data),
  softmaxCrossEntropy: (a) => {
    const { loss, grad } = referenceCrossEntropy(a);
    for (let k = 0; k < loss.length; k++) a.lossOut[k] = loss[k] * a.lossScale;
    for (let k = 0; k < grad.length; k++) a.gradOut[k] = grad[k] * a.gradScale;
  },
};

export interface TestBackendOptions {
  readonly name?: string;
  readonly dtypes?: readonly DType[];
  readonly sync?: boolean;
  readonly maxElements?: number;
  readonly writesWholeResults?: boolean;
  readonly kernels?: Kernels;
  /** Declared by the factory; what the kernels give when absent. */
  readonly ops?: readonly OpName[];
  readonly onDispose?: () => void;
}

/** A factory declaring its capabilities up front, as runConformance needs. */
export function testFactory(options: TestBackendOptions = {}): BackendFactory {
  const name = options.name ?? 'test';
  const kernels = options.kernels ?? referenceKernels;
  const capabilities = {
    dtypes: options.dtypes ?? ['float32'],
    sync: options.sync ?? true,
    maxElements: options.maxElements ?? Number.POSITIVE_INFINITY,
    ...(options.writesWholeResults === undefined ? {} : { writesWholeResults: options.writesWholeResults }),
  };
  const ops =
    options.ops ?? (Object.keys(kernels) as OpName[]).filter((op) => typeof kernels[op] === 'function');
  return {
    name,
    dtypes: capabilities.dtypes,
    capabilities,
    ops,
    start: async (): Promise<Backend> => ({
      name,
      capabilities,
      kernels,
      dispose: () => options.onDispose?.(),
    }),
  };
}

export interface Recorded {
  readonly name: string;
  readonly skipped: boolean;
  readonly body: () => void | Promise<void>;
}

/** A minimal framework in Mocha's shape (before/after): records tests with their describe path. */
export function recordingApi(hooks: 'vitest' | 'mocha' | 'none' = 'mocha') {
  const tests: Recorded[] = [];
  const before: (() => void | Promise<void>)[] = [];
  const after: (() => void | Promise<void>)[] = [];
  const logs: string[] = [];
  const path: string[] = [];
  const record = (skipped: boolean) => (name: string, body: () => void | Promise<void>) => {
    tests.push({ name: [...path, name].join(' > '), skipped, body });
  };
  const it = Object.assign(record(false), { skip: record(true) });
  const addBefore = (body: () => void | Promise<void>) => {
    before.push(body);
  };
  const addAfter = (body: () => void | Promise<void>) => {
    after.push(body);
  };
  const api: ConformanceApi = {
    describe: (name, body) => {
      path.push(name);
      const result: unknown = body();
      path.pop();
      if (result !== undefined) throw new Error('the suite passed an async describe callback');
    },
    it,
    ...(hooks === 'vitest' ? { beforeAll: addBefore, afterAll: addAfter } : {}),
    ...(hooks === 'mocha' ? { before: addBefore, after: addAfter } : {}),
    log: (message) => {
      logs.push(message);
    },
  };
  return { api, tests, before, after, logs };
}

export interface SuiteRun {
  /** Last name segment of every failed test, with its message. */
  readonly failures: Map<string, string>;
  readonly passed: string[];
  readonly skipped: Recorded[];
  readonly ran: Recorded[];
  readonly logs: string[];
  readonly hookError: unknown;
}

const lastSegment = (name: string) => name.split(' > ').at(-1) ?? name;

/** Registers the suite, then runs it as a framework would: hooks, tests in order, hooks. */
export async function runSuite(
  factory: BackendFactory,
  options: ConformanceOptions = {},
  hooks: 'vitest' | 'mocha' | 'none' = 'mocha',
): Promise<SuiteRun> {
  const recorder = recordingApi(hooks);
  runConformance(factory, recorder.api, options);
  let hookError: unknown;
  try {
    for (const body of recorder.before) await body();
  } catch (error) {
    hookError = error;
  }
  const failures = new Map<string, string>();
  const passed: string[] = [];
  const ran = recorder.tests.filter((t) => !t.skipped);
  for (const t of ran) {
    try {
      await t.body();
      passed.push(lastSegment(t.name));
    } catch (error) {
      failures.set(lastSegment(t.name), error instanceof Error ? error.message : String(error));
    }
  }
  for (const body of recorder.after) await body();
  return {
    failures,
    passed,
    skipped: recorder.tests.filter((t) => t.skipped),
    ran,
    logs: recorder.logs,
    hookError,
  };
}
