/**
 * `@softmax-kit/core/conformance`: the shared suite every backend runs with one call.
 * Also exports the data cases and group builders, so other harnesses can reuse them.
 */
export { ConformanceFailure } from './assert.js';
export type { BackendInfo, CallMode, CaseContext, CaseGroup, ConformanceCase } from './case.js';
export type { BadInputCase, ExampleCase } from './case-files.js';
export { badInputs, specialValues, workedExamples } from './case-files.js';
export type { ConformanceApi, TestBody, TestFunction } from './framework.js';
export { badInputGroup } from './groups/bad-input.js';
export { specialValueGroup, workedExampleGroup } from './groups/examples.js';
export { allGroups } from './groups.js';
export { seededRandom } from './random.js';
export { runConformance } from './run-conformance.js';
export { skipReason } from './skips.js';
export { type Quantity, type Tolerance, toleranceFor } from './tolerance.js';
