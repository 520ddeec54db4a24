/** The suite's printed plan (skips and expected failures, known before any test runs) and results. */
import type { CallMode } from './case.js';
import type { ExpectedFailure } from './suite-options.js';

const line = (count: number, what: string) => `  ${count} ${what}`;

export class SuiteReport {
  private readonly skips = new Map<string, number>();
  private skipped = 0;
  private planned = 0;
  private readonly failedAsExpected: string[] = [];
  private readonly unexpectedPasses: string[] = [];
  private readonly notRun: string[] = [];

  constructor(
    private readonly backend: string,
    private readonly expected: readonly ExpectedFailure[],
  ) {}

  /** One registered case: run (reason undefined) or skipped for the declared reason. */
  plan(mode: CallMode, skipReason: string | undefined, count = 1): void {
    this.planned += count;
    if (skipReason === undefined) return;
    const key = `${mode}: ${skipReason}`;
    this.skips.set(key, (this.skips.get(key) ?? 0) + count);
    this.skipped += count;
  }

  /** An expected failure whose case exists but is skipped by the declared capabilities. */
  expectedButSkipped(name: string, mode: CallMode): void {
    this.notRun.push(`${name} [${mode}]`);
  }

  failed(name: string, mode: CallMode, reason: string): void {
    this.failedAsExpected.push(`${name} [${mode}]: ${reason}`);
  }

  passed(name: string, mode: CallMode, reason: string): void {
    this.unexpectedPasses.push(`${name} [${mode}] (listed as failing: ${reason})`);
  }

  /** Printed when the cases are registered. */
  planText(): string {
    const lines = [
      `softmax-kit conformance '${this.backend}': ${this.planned} cases (async + sync), ${this.skipped} skipped, ${this.expected.length} listed as expected failures`,
      ...[...this.skips.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => line(n, `skipped: ${r}`)),
      ...this.expected.map(
        (e) => `  expected to fail: ${e.name}${e.mode ? ` [${e.mode}]` : ''}: ${e.reason}`,
      ),
    ];
    return lines.join('\n');
  }

  /** Printed after the last case. */
  resultText(): string {
    const lines = [
      `softmax-kit conformance '${this.backend}' finished: ${this.failedAsExpected.length} failed as expected, ${this.unexpectedPasses.length} unexpected passes`,
      ...this.failedAsExpected.map((s) => `  failed as expected: ${s}`),
      ...this.unexpectedPasses.map((s) => `  UNEXPECTED PASS: ${s}`),
      ...this.notRun.map((s) => `  expected failure not run (skipped by the declared capabilities): ${s}`),
    ];
    return lines.join('\n');
  }
}
