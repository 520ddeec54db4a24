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

/** Counts skips by reason for the printed summary. */
export class SkipTally {
  private readonly counts = new Map<string, number>();
  private total = 0;

  add(reason: string, count = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + count);
    this.total += count;
  }

  get skipped(): number {
    return this.total;
  }

  /** Reason lines, the commonest first. */
  lines(): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `  ${count} skipped: ${reason}`);
  }
}
