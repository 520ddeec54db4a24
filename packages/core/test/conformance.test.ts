/**
 * Self-test of the conformance suite inside core (core cannot depend on a real backend):
 * 1. the data cases (worked examples, special values, bad inputs) against the float64 reference,
 *    whose golden values were computed independently (mpmath, cases/generate.py);
 * 2. runConformance's plumbing (synchronous registration, hooks, skips from declared
 *    capabilities, expected failures, extra groups, the summary, sync and async modes, dispose)
 *    against backends whose kernels delegate to the reference (conformance-harness.ts). That
 *    part checks the suite's plumbing, not numerics; conformance-broken.test.ts shows it
 *    catches broken kernels.
 */
import { describe, expect, it } from 'vitest';
import type { BackendFactory, Kernels } from '../src/backend.js';
import {
  allGroups,
  type BackendInfo,
  badInputGroup,
  type CaseGroup,
  makeCase,
  runConformance,
  specialValueGroup,
  workedExampleGroup,
} from '../src/conformance/index.js';
import type { AsyncOps } from '../src/options.js';
import * as reference from '../src/reference/index.js';
import type { DType, FloatArray, Tensor } from '../src/types.js';
import { ALL_OPS } from '../src/types.js';
import { recordingApi, referenceKernels, runSuite, testFactory } from './conformance-harness.js';

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

// ---- runConformance's plumbing, with backends whose kernels delegate to the reference.

/** float32 only, four of the seven kernels, sync, at most 100k elements. */
const partialKernels: Kernels = {
  softmax: referenceKernels.softmax,
  logSoftmax: referenceKernels.logSoftmax,
  logSumExp: referenceKernels.logSumExp,
  softmaxBackward: referenceKernels.softmaxBackward,
};

const DECLARED_SKIP =
  /\(skipped: (backend declares no float64|backend has no \w+ kernel|needs \d+ elements, backend maxElements is 100000)\)$/;

describe('runConformance plumbing', () => {
  it('registers every case synchronously, before the backend starts, and starts it in the before hook', async () => {
    let starts = 0;
    const factory = testFactory({ maxElements: 100_000 });
    const counting = {
      ...factory,
      start: () => {
        starts++;
        return factory.start();
      },
    };
    const recorder = recordingApi('mocha');
    runConformance(counting, recorder.api);
    expect(starts).toBe(0);
    expect(recorder.tests.length).toBeGreaterThan(1000);
    expect(recorder.before).toHaveLength(1);
    expect(recorder.after).toHaveLength(1);
    await recorder.before[0]();
    expect(starts).toBe(1);
    await recorder.tests[0].body();
    expect(starts).toBe(1);
    // The plan is printed at registration: every skip with its declared reason.
    expect(recorder.logs[0]).toMatch(
      /softmax-kit conformance 'test': \d+ cases \(async \+ sync\), \d+ skipped/,
    );
  });

  it('runs a float32-only backend with four kernels: skips only from declarations, passes what it runs, disposes once', async () => {
    let disposed = 0;
    const factory = testFactory({
      kernels: partialKernels,
      maxElements: 100_000,
      onDispose: () => {
        disposed++;
      },
    });
    const run = await runSuite(factory, {}, 'vitest');
    expect(run.hookError).toBeUndefined();
    expect(run.ran.length).toBeGreaterThan(50);
    expect(run.skipped.length).toBeGreaterThan(50);
    for (const t of run.skipped) expect(t.name).toMatch(DECLARED_SKIP);
    const skippedNames = run.skipped.map((t) => t.name);
    expect(skippedNames.some((n) => n.includes('backend has no softmaxJacobian kernel'))).toBe(true);
    expect(skippedNames.some((n) => n.includes('backend declares no float64'))).toBe(true);
    expect(skippedNames.some((n) => n.includes('needs 262147 elements, backend maxElements is 100000'))).toBe(
      true,
    );
    const ranNames = run.ran.map((t) => t.name);
    expect(ranNames.some((n) => n.includes('> async ops >'))).toBe(true);
    expect(ranNames.some((n) => n.includes('> sync ops >'))).toBe(true);
    // Missing kernels and dtypes are tested as refusals rather than silently ignored.
    expect(
      ranNames.some((n) => n.includes('softmaxJacobian on float32: no kernel -> UnsupportedError')),
    ).toBe(true);
    expect(
      ranNames.some((n) => n.includes('softmax on float64: float64 is not declared -> UnsupportedError')),
    ).toBe(true);
    expect([...run.failures.entries()]).toEqual([]);
    const logs = run.logs.join('\n');
    expect(logs).toContain('skipped: async: backend has no softmaxJacobian kernel');
    expect(logs).toContain(
      "softmax-kit conformance 'test' finished: 0 failed as expected, 0 unexpected passes",
    );
    expect(disposed).toBe(1);
  });

  it('without hooks, starts on the first case and disposes in a last test', async () => {
    let disposed = 0;
    const factory = testFactory({
      kernels: { softmax: referenceKernels.softmax },
      maxElements: 1000,
      onDispose: () => {
        disposed++;
      },
    });
    const run = await runSuite(factory, {}, 'none');
    expect(run.ran.at(-1)?.name).toMatch(/ > disposes the backend$/);
    expect([...run.failures.entries()]).toEqual([]);
    expect(disposed).toBe(1);
  });

  it('needs the factory to declare capabilities and ops', () => {
    const { capabilities, ops, ...undeclared } = testFactory();
    expect(capabilities).toBeDefined();
    expect(ops).toBeDefined();
    expect(() => runConformance(undeclared, recordingApi().api)).toThrow(
      /factory 'test' must declare 'capabilities' and 'ops'/,
    );
  });

  it('fails its first case when the started backend declares differently from its factory', async () => {
    const factory = testFactory({
      kernels: partialKernels,
      ops: ['softmax', 'logSoftmax'],
      maxElements: 100,
    });
    const run = await runSuite(factory);
    expect(run.failures.get('the started backend declares what its factory declared')).toMatch(
      /has kernels \[softmax, logSoftmax, logSumExp, softmaxBackward\], the factory declares \[softmax, logSoftmax\]/,
    );
  });

  it('reports a backend that cannot start in the hook and in every case', async () => {
    const factory: BackendFactory = {
      ...testFactory({ name: 'broken', kernels: partialKernels }),
      start: async () => {
        throw new Error('no device');
      },
    };
    const run = await runSuite(factory);
    expect(run.hookError).toEqual(new Error('no device'));
    expect(run.passed).toEqual([]);
    expect(run.failures.size).toBeGreaterThan(50);
    for (const message of run.failures.values())
      expect(message).toBe("backend 'broken' did not start: no device");
  });

  it('runs extra groups in both modes, with skips from the declarations', async () => {
    const calls: string[] = [];
    const extra: CaseGroup = {
      name: "the author's own cases",
      cases: [
        makeCase('a case of my own', ['softmax'], ['float32'], 3, async (c) => {
          calls.push(c.mode);
        }),
        makeCase('a float64 case of my own', ['softmax'], ['float64'], 3, async () => {
          calls.push('float64');
        }),
      ],
    };
    const factory = testFactory({ kernels: { softmax: referenceKernels.softmax }, maxElements: 100 });
    const run = await runSuite(factory, { groups: [extra] });
    expect(calls).toEqual(['async', 'sync']);
    expect(run.skipped.map((t) => t.name)).toContain(
      "softmax-kit conformance: test > async ops > the author's own cases > a float64 case of my own (skipped: backend declares no float64)",
    );
    expect(() => runConformance(testFactory(), recordingApi().api, { groups: [extra, extra] })).toThrow(
      "two cases are named 'a case of my own'",
    );
  });

  it('runs expected failures inverted, and reports each outcome in the summary', async () => {
    const halfSoftmax: Kernels['softmax'] = (a) => {
      referenceKernels.softmax(a);
      for (let k = 0; k < a.out.length; k++) a.out[k] *= 0.5;
    };
    const failing = 'softmax [3, 1, 0.2] [float32]';
    const passing = 'log-softmax [3, 1, 0.2] [float32]';
    const run = await runSuite(
      testFactory({
        kernels: { softmax: halfSoftmax, logSoftmax: referenceKernels.logSoftmax },
        maxElements: 100,
      }),
      {
        expectedFailures: [
          { name: failing, reason: 'halves every probability' },
          { name: passing, reason: 'stale entry', mode: 'sync' },
          { name: 'no such case', reason: 'typo' },
        ],
      },
    );
    // The broken case passes (as an expected failure); the listed passing one fails in sync mode only.
    expect(run.passed).toContain(`${failing} (expected to fail: halves every probability)`);
    expect(run.passed).toContain(passing);
    expect(run.failures.get(`${passing} (expected to fail: stale entry)`)).toMatch(
      /^unexpected pass: 'log-softmax \[3, 1, 0.2\] \[float32\]' \[sync\] is listed as an expected failure \(stale entry\)/,
    );
    expect(run.failures.get('every expected failure names a case of the suite')).toBe(
      "expectedFailures names no case: 'no such case'",
    );
    const logs = run.logs.join('\n');
    expect(logs).toContain(`expected to fail: ${failing}: halves every probability`);
    expect(logs).toContain(`failed as expected: ${failing} [async]: halves every probability`);
    expect(logs).toContain(`failed as expected: ${failing} [sync]: halves every probability`);
    expect(logs).toContain(`UNEXPECTED PASS: ${passing} [sync] (listed as failing: stale entry)`);
  });

  it('sweeps every declared dtype: a float64-only backend runs as many cases as a float32-only one', () => {
    const count = (dtypes: readonly DType[]) => {
      const recorder = recordingApi();
      runConformance(testFactory({ dtypes }), recorder.api);
      const ran = recorder.tests.filter((t) => !t.skipped);
      const groups = new Set(ran.map((t) => t.name.split(' > ')[2]));
      return { ran: ran.length, groups };
    };
    const f32 = count(['float32']);
    const f64 = count(['float64']);
    const both = count(['float32', 'float64']);
    // The groups that hold float32-only or float64-only settings differ by a few cases.
    expect(f64.ran).toBeGreaterThan(0.9 * f32.ran);
    expect(both.ran).toBeGreaterThan(1.8 * f32.ran);
    // No group is left out for a float64-only backend.
    expect([...f32.groups].filter((g) => !f64.groups.has(g))).toEqual([]);
  });

  it('names every case uniquely (expected failures use the names)', () => {
    const info: BackendInfo = {
      name: 'all',
      capabilities: { dtypes: ['float32', 'float64'], sync: true, maxElements: Number.POSITIVE_INFINITY },
      ops: ALL_OPS,
    };
    const names = allGroups(info).flatMap((g) => g.cases.map((c) => c.name));
    expect(names.filter((n, k) => names.indexOf(n) !== k)).toEqual([]);
  });
});
