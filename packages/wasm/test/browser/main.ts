/**
 * The conformance suite in a browser page, on the package's browser build as a bundler sees it
 * (the .wasm files and the worker script found through new URL(..., import.meta.url)).
 * ?threads=N asks for N threads. The result lands in window.softmaxKitResult.
 */
import { createSoftmax } from '@softmax-kit/core';
import { runConformance } from '@softmax-kit/core/conformance';
import { wasmBackend } from '../../dist/browser.js';
import { createHarness, type RunSummary } from './harness.js';
import { type ResidentSmoke, residentSmoke } from './resident.js';

export interface PageResult extends RunSummary {
  capabilities: unknown;
  isolated: boolean;
  resident?: ResidentSmoke;
  error?: string;
}

declare global {
  interface Window {
    softmaxKitResult?: PageResult;
  }
}

async function main(): Promise<void> {
  const threads = Number(new URLSearchParams(location.search).get('threads') ?? '2');
  const factory = wasmBackend({ threads, inlineElements: 0 });
  const probe = await createSoftmax(factory);
  const capabilities = probe.capabilities;
  await probe.dispose();
  const harness = createHarness();
  runConformance(wasmBackend({ threads, inlineElements: 0 }), harness.api);
  const summary = await harness.run();
  const resident = await residentSmoke(threads);
  window.softmaxKitResult = {
    ...summary,
    capabilities,
    isolated: globalThis.crossOriginIsolated === true,
    resident,
  };
}

main().catch((error: unknown) => {
  window.softmaxKitResult = {
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [String(error)],
    capabilities: null,
    isolated: globalThis.crossOriginIsolated === true,
    error: String(error),
  };
});
