/**
 * Self-test of the conformance suite inside core (core cannot depend on a real backend):
 * 1. the data cases (worked examples, special values, bad inputs) against the float64 reference,
 *    whose golden values were computed independently (mpmath, cases/generate.py);
 * 2. runConformance's plumbing (registration, skips from declared capabilities, the summary,
 *    sync and async modes, dispose) against a fake backend whose kernels delegate to the
 *    reference through a tiny adapter. That part checks the suite's plumbing, not numerics.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BackendFactory, Kernels, MaskView, View } from '../src/backend.js';
import {
  type BackendInfo,
  badInputGroup,
  type ConformanceApi,
  runConformance,
  specialValueGroup,
  workedExampleGroup,
} from '../src/conformance/index.js';
import type { AsyncOps } from '../src/options.js';
import * as reference from '../src/reference/index.js';
import type { FloatArray, Mask, Tensor } from '../src/types.js';
import { ALL_OPS } from '../src/types.js';

/** The reference returns float64; fed float64 inputs that is the input's own type. */
function same<A extends FloatArray>(x: Tensor<A>, result: Tensor<Float64Array>): Tensor<A> {
  if (!(x.data instanceof Float64Array)) throw new Error('the reference ops stand in for float64 only');
  return { data: result.data as A, shape: result.shape };
}

/** The reference as the public async ops, for float64 cases. */
const referenceOps: AsyncOps = {
  softmax: async (x, o) => same(x, reference.softmax(x, o)),
  logSoftmax: async (x, o) => same(x, reference.logSoftmax(x, o)),
  logSumExp: async (x, o) => same(x, reference.logSumExp(x, o)),
  softmaxBackward: async (y, dy, o) => same(y, reference.softmaxBackward(y, dy, o)),
  logSoftmaxBackward: async (l, dy, o) => same(l, reference.logSoftmaxBackward(l, dy, o)),
  softmaxJacobian: async (y, o) => same(y, reference.softmaxJacobian(y, o)),
  softmaxCrossEntropy: async (x, t, o) => {
    const { loss, grad } = reference.softmaxCrossEntropy(x, t, o);
    return { loss: same(x, loss), grad: same(x, grad) };
  },
};

const float64Reference: BackendInfo = {
  name: 'reference',
  capabilities: { dtypes: ['float64'], sync: false, maxElements: Number.POSITIVE_INFINITY },
  ops: ALL_OPS,
};

describe("the suite's data cases hold for the float64 reference", () => {
  const groups = [workedExampleGroup(), specialValueGroup(), badInputGroup(float64Reference)];
  for (const group of groups) {
    describe(group.name, () => {
      for (const testCase of group.cases.filter((c) => c.dtypes.every((d) => d === 'float64'))) {
        it(testCase.name, () =>
          testCase.run({ ops: referenceOps, mode: 'async', backend: float64Reference }),
        );
      }
    });
  }
});

// ---- A fake backend for the plumbing test: canonical-view kernels delegating to the reference.

function viewTensor(data: FloatArray, view: View): Tensor {
  return { data, shape: [view.outer, view.n, view.inner] };
}

function viewMask(mask: MaskView | null, view: View): Mask | undefined {
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

/** float32 only, four of the seven kernels, sync, at most 100k elements. */
const partialKernels: Kernels = {
  softmax: (a) => {
    const options = { axis: 1, temperature: 1 / a.invTemperature, where: viewMask(a.mask, a.view) };
    a.out.set(reference.softmax(viewTensor(a.x, a.view), options).data);
  },
  logSoftmax: (a) => {
    const options = { axis: 1, temperature: 1 / a.invTemperature, where: viewMask(a.mask, a.view) };
    a.out.set(reference.logSoftmax(viewTensor(a.x, a.view), options).data);
  },
  logSumExp: (a) => {
    const options = { axis: 1, temperature: 1 / a.invTemperature, where: viewMask(a.mask, a.view) };
    a.out.set(reference.logSumExp(viewTensor(a.x, a.view), options).data);
  },
  softmaxBackward: (a) => {
    const options = { axis: 1, temperature: 1 / a.invTemperature, where: viewMask(a.mask, a.view) };
    a.out.set(reference.softmaxBackward(viewTensor(a.y, a.view), viewTensor(a.dy, a.view), options).data);
  },
};

function fakeFactory(disposed: { count: number }): BackendFactory {
  return {
    name: 'fake',
    dtypes: ['float32'],
    start: async (): Promise<Backend> => ({
      name: 'fake',
      capabilities: { dtypes: ['float32'], sync: true, maxElements: 100_000 },
      kernels: partialKernels,
      dispose: () => {
        disposed.count++;
      },
    }),
  };
}

interface Recorded {
  readonly name: string;
  readonly skipped: boolean;
  readonly body: () => void | Promise<void>;
}

/** A minimal framework: records tests (with their describe path) and awaits async describes. */
function recordingApi() {
  const tests: Recorded[] = [];
  const afterAll: (() => void | Promise<void>)[] = [];
  const logs: string[] = [];
  const pending: Promise<void>[] = [];
  const path: string[] = [];
  const record = (skipped: boolean) => (name: string, body: () => void | Promise<void>) => {
    tests.push({ name: [...path, name].join(' > '), skipped, body });
  };
  const it = Object.assign(record(false), { skip: record(true) });
  const api: ConformanceApi = {
    describe: (name, body) => {
      path.push(name);
      const result = body();
      if (result instanceof Promise) pending.push(result.finally(() => path.pop()));
      else path.pop();
    },
    it,
    afterAll: (body) => {
      afterAll.push(body);
    },
    log: (message) => {
      logs.push(message);
    },
  };
  return { api, tests, afterAll, logs, settled: () => Promise.all(pending) };
}

describe('runConformance plumbing with a fake float32-only backend with four kernels', () => {
  it('registers every case, skips only from declared capabilities, and passes what it runs', async () => {
    const disposed = { count: 0 };
    const recorder = recordingApi();
    runConformance(fakeFactory(disposed), recorder.api);
    await recorder.settled();

    const run = recorder.tests.filter((t) => !t.skipped);
    const skipped = recorder.tests.filter((t) => t.skipped);
    expect(run.length).toBeGreaterThan(50);
    expect(skipped.length).toBeGreaterThan(50);
    // Every skip names a declared reason; nothing is skipped for any other reason.
    for (const t of skipped) {
      expect(t.name).toMatch(
        /\(skipped: (backend declares no float64|backend has no \w+ kernel|needs \d+ elements, backend maxElements is 100000)\)$/,
      );
    }
    expect(skipped.some((t) => t.name.includes('backend has no softmaxJacobian kernel'))).toBe(true);
    expect(skipped.some((t) => t.name.includes('backend declares no float64'))).toBe(true);
    expect(skipped.some((t) => t.name.includes('needs 262147 elements, backend maxElements is 100000'))).toBe(
      true,
    );
    // Both modes are registered, since the fake backend declares sync.
    expect(run.some((t) => t.name.includes('> async ops >'))).toBe(true);
    expect(run.some((t) => t.name.includes('> sync ops >'))).toBe(true);
    // Missing kernels and dtypes are tested as refusals rather than silently ignored.
    expect(
      run.some((t) => t.name.includes('softmaxJacobian on float32: no kernel -> UnsupportedError')),
    ).toBe(true);
    expect(
      run.some((t) => t.name.includes('softmax on float64: float64 is not declared -> UnsupportedError')),
    ).toBe(true);

    const failures: string[] = [];
    for (const t of run) {
      try {
        await t.body();
      } catch (error) {
        failures.push(`${t.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);

    expect(recorder.logs.join('\n')).toMatch(
      /softmax-kit conformance 'fake': \d+ cases \(async \+ sync\), \d+ skipped/,
    );
    expect(recorder.logs.join('\n')).toContain('skipped: async: backend has no softmaxJacobian kernel');
    for (const body of recorder.afterAll) await body();
    expect(disposed.count).toBe(1);
  });

  it('reports a backend that cannot start as one failing test', async () => {
    const recorder = recordingApi();
    const broken: BackendFactory = {
      name: 'broken',
      dtypes: ['float32'],
      start: async () => {
        throw new Error('no device');
      },
    };
    runConformance(broken, recorder.api);
    await recorder.settled();
    expect(recorder.tests.map((t) => t.name)).toEqual([
      "softmax-kit conformance: broken > backend 'broken' starts",
    ]);
    await expect(Promise.resolve().then(() => recorder.tests[0].body())).rejects.toThrow('no device');
  });
});

describe('the suite catches a broken kernel', () => {
  /** The popular recipe: exp(x) / sum(exp(x)) with no max subtraction, summed naively in float32. */
  const naiveSoftmax: Kernels['softmax'] = (a) => {
    const { outer, n, inner } = a.view;
    const masked = viewMask(a.mask, a.view);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (j: number) => (o * n + j) * inner + i;
        const takesPart = (j: number) => masked === undefined || masked.data[at(j)] !== 0;
        let sum = 0;
        for (let j = 0; j < n; j++)
          if (takesPart(j)) sum = Math.fround(sum + Math.fround(Math.exp(a.x[at(j)] * a.invTemperature)));
        for (let j = 0; j < n; j++)
          a.out[at(j)] = takesPart(j) ? Math.exp(a.x[at(j)] * a.invTemperature) / sum : 0;
      }
    }
  };

  it('fails the overflow and long-row cases of a naive softmax, and passes its easy ones', async () => {
    const recorder = recordingApi();
    const naive: BackendFactory = {
      name: 'naive',
      dtypes: ['float32'],
      start: async () => ({
        name: 'naive',
        capabilities: { dtypes: ['float32'], sync: false, maxElements: Number.POSITIVE_INFINITY },
        kernels: { softmax: naiveSoftmax },
        dispose: () => {},
      }),
    };
    runConformance(naive, recorder.api);
    await recorder.settled();
    const failed = new Set<string>();
    for (const t of recorder.tests.filter((t) => !t.skipped)) {
      try {
        await t.body();
      } catch {
        failed.add(t.name.split(' > ').at(-1) ?? t.name);
      }
    }
    expect(failed).toContain('softmax [1000, 1000, 100] does not overflow [float32]');
    expect(failed).toContain('softmax [6, 7] uniform in +-1e4');
    expect(failed).toContain('softmax [1, 262147] axis -1, nearly equal values (every p about 4e-6)');
    expect(failed).not.toContain('softmax [3, 1, 0.2] [float32]');
    expect(failed).not.toContain('softmax [3, 5] axis 1');
    // An asynchronous backend has its sync mode reported as one skip with the reason.
    expect(recorder.tests.filter((t) => t.skipped).map((t) => t.name)).toContainEqual(
      expect.stringMatching(/sync ops > \d+ cases on sm\.sync \(skipped: backend declares sync: false\)$/),
    );
  });
});
