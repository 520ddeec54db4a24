/** What a backend author may add to the suite: extra case groups and expected failures. */
import type { BackendInfo, CallMode, CaseGroup } from './case.js';

/**
 * A case known to fail on this backend, run anyway: it passes while it fails, and fails (an
 * "unexpected pass") once it starts passing, so the list never goes stale silently. Like the
 * per-backend test lists of onnxruntime-web. Both are reported in the summary.
 */
export interface ExpectedFailure {
  /** The case's exact name, as the suite registers it (never a pattern). */
  readonly name: string;
  /** Why it fails; printed in the test's name and in the summary. */
  readonly reason: string;
  /** Only in this call mode; both when absent. */
  readonly mode?: CallMode;
}

export interface ConformanceOptions {
  /**
   * More groups, registered after the suite's own and run like them: in both call modes, with
   * skips from the declared capabilities. A builder gets what the factory declares.
   */
  readonly groups?: readonly CaseGroup[] | ((backend: BackendInfo) => readonly CaseGroup[]);
  readonly expectedFailures?: readonly ExpectedFailure[];
  /**
   * Run only the cases of at most this many elements, skipping the others with that reason: a
   * quicker subset (say, for a second test runner). The whole suite when absent.
   */
  readonly maxElements?: number;
}
