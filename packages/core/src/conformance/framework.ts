/**
 * The few test-framework functions the suite needs, in the shape vitest, jest, mocha and
 * node:test share. Pass them in: `runConformance(jsBackend(), { describe, it, beforeAll, afterAll })`.
 */
export type TestBody = () => void | Promise<void>;

export interface TestFunction {
  (name: string, body: TestBody): unknown;
  /** Registers a test that is reported as skipped. */
  skip(name: string, body: TestBody): unknown;
}

export interface ConformanceApi {
  /**
   * Groups tests. The suite's top-level callback is async (it starts the backend to read what it
   * declares before registering the cases), which vitest and node:test await.
   */
  describe(name: string, body: () => void | Promise<void>): unknown;
  it: TestFunction;
  beforeAll?(body: () => void | Promise<void>): unknown;
  afterAll?(body: () => void | Promise<void>): unknown;
  /** Where the skip summary goes; console.info by default. */
  log?(message: string): void;
}
