/** Skips come only from what the backend declares, never from test names. */
import type { BackendInfo, ConformanceCase } from './case.js';

/** Why a case cannot run on this backend, or undefined when it can. */
export function skipReason(testCase: ConformanceCase, backend: BackendInfo): string | undefined {
  const missingDtype = testCase.dtypes.find((d) => !backend.capabilities.dtypes.includes(d));
  if (missingDtype !== undefined) return `backend declares no ${missingDtype}`;
  const missingOp = testCase.ops.find((op) => !backend.ops.includes(op));
  if (missingOp !== undefined) return `backend has no ${missingOp} kernel`;
  if (testCase.elements > backend.capabilities.maxElements) {
    return `needs ${testCase.elements} elements, backend maxElements is ${backend.capabilities.maxElements}`;
  }
  return undefined;
}
