/**
 * `@softmax-kit/core/conformance`: the shared suite every backend runs with one call.
 * Also exports the data cases, the group builders and the checks the suite's own cases use,
 * so backend authors can write extra groups (`runConformance(factory, api, { groups })`).
 */
export { assertClose, ConformanceFailure, check, fail } from './assert.js';
export type { BackendInfo, CallMode, CaseContext, CaseGroup, ConformanceCase } from './case.js';
export type { BadInputCase, ExampleCase } from './case-files.js';
export { badInputs, specialValues, workedExamples } from './case-files.js';
export { expectBackward, expectCrossEntropy, expectForward, expectJacobian } from './expect.js';
export type { ConformanceApi, HookFunction, TestBody, TestFunction } from './framework.js';
export { makeCase, randomMask, randomTensor } from './generate.js';
export { badInputGroup } from './groups/bad-input.js';
export { specialValueGroup, workedExampleGroup } from './groups/examples.js';
export { allGroups } from './groups.js';
export { seededRandom } from './random.js';
export { runConformance } from './run-conformance.js';
export { skipReason } from './skips.js';
export type { ConformanceOptions, ExpectedFailure } from './suite-options.js';
export { type Quantity, type Tolerance, toleranceFor } from './tolerance.js';
