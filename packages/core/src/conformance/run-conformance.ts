/**
 * runConformance: one call in a backend's test file registers the whole suite, under Vitest,
 * Jest, Mocha or node:test.
 *
 *   import { describe, it, beforeAll, afterAll } from 'vitest';
 *   runConformance(myBackend(), { describe, it, beforeAll, afterAll });
 *
 * Every case is registered synchronously from what the factory declares (`capabilities` and
 * `ops`), each skip decided from those declarations with its reason; the backend starts in the
 * before-all hook (a first case checks it declares what its factory did) and is disposed in the
 * after-all hook, which also prints the expected failures' outcome.
 */
import type { BackendFactory } from '../backend.js';
import { markUnwrittenResults } from '../result-memory.js';
import { fail } from './assert.js';
import type { BackendInfo, CallMode, CaseContext, CaseGroup, ConformanceCase } from './case.js';
import type { ConformanceApi, TestBody } from './framework.js';
import { allGroups } from './groups.js';
import { SuiteReport } from './report.js';
import { skipReason } from './skips.js';
import { checkDeclarations, declaredInfo, StartedBackend } from './started-backend.js';
import type { ConformanceOptions, ExpectedFailure } from './suite-options.js';

const MODES: readonly CallMode[] = ['async', 'sync'];

function extraGroups(options: ConformanceOptions, info: BackendInfo): readonly CaseGroup[] {
  const { groups } = options;
  if (groups === undefined) return [];
  return typeof groups === 'function' ? groups(info) : groups;
}

/** Case names are the keys of expected failures, so each must be unique. */
function checkUniqueNames(groups: readonly CaseGroup[]): void {
  const seen = new Set<string>();
  for (const group of groups) {
    for (const testCase of group.cases) {
      if (seen.has(testCase.name)) {
        throw new Error(`runConformance: two cases are named '${testCase.name}' (group '${group.name}')`);
      }
      seen.add(testCase.name);
    }
  }
}

function expectedFailureOf(
  expected: readonly ExpectedFailure[],
  name: string,
  mode: CallMode,
): ExpectedFailure | undefined {
  return expected.find((e) => e.name === name && (e.mode === undefined || e.mode === mode));
}

/**
 * What new results hold before the kernel runs, for backends that declare writesWholeResults:
 * a finite value (so that a NaN result cannot hide it) that no case's result comes near.
 */
const UNWRITTEN = 4242.5;

/** Runs a case with new results marked as unwritten where the backend claims to write them all. */
async function runMarked(testCase: ConformanceCase, context: CaseContext, marked: boolean): Promise<void> {
  if (!marked) return testCase.run(context);
  markUnwrittenResults(UNWRITTEN);
  try {
    await testCase.run(context);
  } finally {
    markUnwrittenResults(undefined);
  }
}

/** A case's test body: the case itself, or, when it is listed as failing, the inverse. */
function caseBody(
  testCase: ConformanceCase,
  mode: CallMode,
  started: StartedBackend,
  expected: ExpectedFailure | undefined,
  report: SuiteReport,
): TestBody {
  return async () => {
    const context = await started.context(mode);
    // context() has started the backend: start() hands back the same one
    const { backend } = await started.start();
    const run = () => runMarked(testCase, context, backend.capabilities.writesWholeResults === true);
    if (expected === undefined) return run();
    try {
      await run();
    } catch {
      report.failed(testCase.name, mode, expected.reason);
      return;
    }
    report.passed(testCase.name, mode, expected.reason);
    fail(
      `unexpected pass: '${testCase.name}' [${mode}] is listed as an expected failure (${expected.reason}) but passed; remove it from expectedFailures`,
    );
  };
}

interface PlannedCase {
  readonly testCase: ConformanceCase;
  readonly skip: string | undefined;
  readonly expected: ExpectedFailure | undefined;
}

interface PlannedGroup {
  readonly name: string;
  readonly cases: readonly PlannedCase[];
}

/** Decides every skip and expected failure up front, so the plan is printed before any test runs. */
function planMode(
  groups: readonly CaseGroup[],
  mode: CallMode,
  info: BackendInfo,
  options: ConformanceOptions,
  report: SuiteReport,
): PlannedGroup[] {
  const expected = options.expectedFailures ?? [];
  const limit = options.maxElements;
  return groups.map((group) => ({
    name: group.name,
    cases: group.cases.map((testCase) => {
      const skip =
        skipReason(testCase, info) ??
        (limit !== undefined && testCase.elements > limit
          ? `larger than the run's maxElements option (${limit})`
          : undefined);
      const listed = expectedFailureOf(expected, testCase.name, mode);
      report.plan(mode, skip);
      if (skip !== undefined && listed !== undefined) report.expectedButSkipped(testCase.name, mode);
      return { testCase, skip, expected: listed };
    }),
  }));
}

function registerMode(
  api: ConformanceApi,
  plan: readonly PlannedGroup[],
  mode: CallMode,
  started: StartedBackend,
  report: SuiteReport,
): void {
  for (const group of plan) {
    api.describe(group.name, () => {
      for (const { testCase, skip, expected } of group.cases) {
        if (skip !== undefined) {
          api.it.skip(`${testCase.name} (skipped: ${skip})`, () => {});
        } else if (expected === undefined) {
          api.it(testCase.name, caseBody(testCase, mode, started, undefined, report));
        } else {
          const name = `${testCase.name} (expected to fail: ${expected.reason})`;
          api.it(name, caseBody(testCase, mode, started, expected, report));
        }
      }
    });
  }
}

/** Expected failures that name no case of the suite (a typo, or a case since renamed). */
function unknownExpectedFailures(
  expected: readonly ExpectedFailure[],
  groups: readonly CaseGroup[],
): ExpectedFailure[] {
  const names = new Set(groups.flatMap((g) => g.cases.map((c) => c.name)));
  return expected.filter((e) => !names.has(e.name));
}

export function runConformance(
  factory: BackendFactory,
  api: ConformanceApi,
  options: ConformanceOptions = {},
): void {
  const log = api.log ?? ((message: string) => console.info(message));
  const before = api.beforeAll ?? api.before;
  const after = api.afterAll ?? api.after;
  const info = declaredInfo(factory);
  const groups = [...allGroups(info), ...extraGroups(options, info)];
  checkUniqueNames(groups);
  const expected = options.expectedFailures ?? [];
  const report = new SuiteReport(info.name, expected);
  const started = new StartedBackend(factory, info);

  const count = groups.reduce((n, g) => n + g.cases.length, 0);
  const plans = new Map<CallMode, PlannedGroup[]>();
  for (const mode of MODES) {
    if (mode === 'sync' && !info.capabilities.sync) report.plan(mode, 'backend declares sync: false', count);
    else plans.set(mode, planMode(groups, mode, info, options, report));
  }
  log(report.planText());

  api.describe(`softmax-kit conformance: ${factory.name}`, () => {
    // A failed start fails the hook, which every framework reports (and then skips the cases).
    before?.(async () => {
      await started.start();
    });
    after?.(async () => {
      await started.dispose();
      log(report.resultText());
    });
    api.it('the started backend declares what its factory declared', async () => {
      const { backend, session } = await started.get();
      checkDeclarations(info, backend, session);
    });
    const unknown = unknownExpectedFailures(expected, groups);
    if (unknown.length > 0) {
      api.it('every expected failure names a case of the suite', () =>
        fail(`expectedFailures names no case: ${unknown.map((e) => `'${e.name}'`).join(', ')}`),
      );
    }
    for (const mode of MODES) {
      api.describe(`${mode} ops`, () => {
        const plan = plans.get(mode);
        if (plan === undefined) {
          api.it.skip(`${count} cases on sm.sync (skipped: backend declares sync: false)`, () => {});
        } else {
          registerMode(api, plan, mode, started, report);
        }
      });
    }
    // Without an after-all hook, dispose in a last test (frameworks run tests in registration order).
    if (after === undefined) {
      api.it('disposes the backend', async () => {
        await started.dispose();
        log(report.resultText());
      });
    }
  });
}
