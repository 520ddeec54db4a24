/**
 * The few test-framework functions the suite needs, in the shape Vitest, Jest, Mocha and
 * node:test share. Pass them in:
 *
 *   Vitest, Jest: runConformance(myBackend(), { describe, it, beforeAll, afterAll })
 *   Mocha, node:test: runConformance(myBackend(), { describe, it, before, after })
 *
 * Every callback the suite passes is synchronous (cases are registered from what the factory
 * declares); the backend starts in the before-all hook and is disposed in the after-all hook.
 */
export type TestBody = () => void | Promise<void>;

export interface TestFunction {
  (name: string, body: TestBody): unknown;
  /** Registers a test that is reported as skipped. */
  skip(name: string, body: TestBody): unknown;
}

export type HookFunction = (body: () => void | Promise<void>) => unknown;

export interface ConformanceApi {
  /** Groups tests; the suite's callbacks are synchronous. */
  describe(name: string, body: () => void): unknown;
  it: TestFunction;
  /** Runs once before the suite's tests (Vitest, Jest): the backend starts here. */
  beforeAll?: HookFunction;
  /** Runs once after them (Vitest, Jest): the backend is disposed and the summary printed. */
  afterAll?: HookFunction;
  /** Mocha's and node:test's name for beforeAll. */
  before?: HookFunction;
  /** Mocha's and node:test's name for afterAll. */
  after?: HookFunction;
  /** Where the plan and the summary go; console.info by default. */
  log?(message: string): void;
}
