/**
 * The conformance suite inside a browser page: a minimal test runner with the shape the suite
 * needs (describe / it / beforeAll / afterAll), run sequentially on navigator.gpu, with the
 * results left on `window.conformance` for the Node side (browser.test.ts) to read.
 */
import { runConformance } from '@softmax-kit/core/conformance';
import { webgpuBackend } from '../../src/index.js';

interface Test {
  readonly name: string;
  readonly body?: () => void | Promise<void>;
}

export interface BrowserResults {
  readonly adapter: string;
  readonly passed: number;
  readonly skipped: number;
  readonly failed: readonly { readonly name: string; readonly error: string }[];
  readonly log: readonly string[];
}

const tests: Test[] = [];
const before: (() => unknown)[] = [];
const after: (() => unknown)[] = [];
const path: string[] = [];
const log: string[] = [];

function describe(name: string, body: () => void): void {
  path.push(name);
  body();
  path.pop();
}
function it(name: string, body: () => void | Promise<void>): void {
  tests.push({ name: [...path, name].join(' > '), body });
}
it.skip = (name: string): void => {
  tests.push({ name: [...path, name].join(' > ') });
};

async function main(): Promise<BrowserResults> {
  const gpu = navigator.gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  const info = adapter?.info;
  const adapterName = info
    ? `${info.description || info.device} (${info.vendor}, ${info.architecture})`
    : 'none';
  runConformance(webgpuBackend(), {
    describe,
    it,
    beforeAll: (body) => before.push(body),
    afterAll: (body) => after.push(body),
    log: (message) => log.push(message),
  });
  let passed = 0;
  let skipped = 0;
  const failed: { name: string; error: string }[] = [];
  for (const hook of before) await hook();
  for (const test of tests) {
    if (!test.body) {
      skipped++;
      continue;
    }
    try {
      await test.body();
      passed++;
    } catch (error) {
      failed.push({ name: test.name, error: String((error as Error)?.message ?? error) });
    }
  }
  for (const hook of after) await hook();
  return { adapter: adapterName, passed, skipped, failed, log };
}

declare global {
  interface Window {
    /** The suite's results, for browser.test.ts. */
    conformance?: BrowserResults;
    conformanceError?: string;
  }
}

main().then(
  (results) => {
    window.conformance = results;
  },
  (error: unknown) => {
    window.conformanceError = String((error as Error)?.stack ?? error);
  },
);
