/**
 * A minimal test runner in the page, with the functions runConformance needs (describe, it,
 * it.skip, beforeAll, afterAll): tests run in registration order, hooks around their suite.
 */
import type { ConformanceApi, TestBody } from '@softmax-kit/core/conformance';

interface Suite {
  readonly name: string;
  readonly children: (Suite | Test)[];
  readonly before: TestBody[];
  readonly after: TestBody[];
}
interface Test {
  readonly name: string;
  readonly body: TestBody | null;
}

export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

export function createHarness(): { api: ConformanceApi; run(): Promise<RunSummary> } {
  const root: Suite = { name: '', children: [], before: [], after: [] };
  let current = root;
  const pending: Promise<void>[] = [];
  const it = Object.assign(
    (name: string, body: TestBody) => {
      current.children.push({ name, body });
    },
    {
      skip: (name: string) => {
        current.children.push({ name, body: null });
      },
    },
  );
  const api: ConformanceApi = {
    describe(name, body) {
      const suite: Suite = { name, children: [], before: [], after: [] };
      current.children.push(suite);
      const parent = current;
      current = suite;
      const result: unknown = body();
      current = parent;
      if (result instanceof Promise) pending.push(result);
    },
    it,
    beforeAll: (body) => {
      current.before.push(body);
    },
    afterAll: (body) => {
      current.after.push(body);
    },
    log: (message) => console.info(message),
  };
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const runSuite = async (suite: Suite, path: string): Promise<void> => {
    for (const hook of suite.before) await hook();
    for (const child of suite.children) {
      const name = `${path} > ${child.name}`;
      if ('children' in child) {
        await runSuite(child, name);
      } else if (child.body === null) {
        summary.skipped++;
      } else {
        try {
          await child.body();
          summary.passed++;
        } catch (error) {
          summary.failed++;
          if (summary.failures.length < 20) summary.failures.push(`${name}: ${String(error)}`);
        }
      }
    }
    for (const hook of suite.after) await hook();
  };
  return {
    api,
    async run() {
      await Promise.all(pending);
      await runSuite(root, '');
      return summary;
    },
  };
}
