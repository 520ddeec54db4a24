/**
 * softmax-kit's backends in the page: every built workspace package, by folder, picked up
 * without changes here. A package with a browser entry (dist/browser.js, what its "browser"
 * export condition names: wasm) is loaded through it, never through its Node entry. The native
 * backend is a Node addon with no browser build: it is listed, unavailable, with that reason.
 */
import type { Candidate } from '../src/driver.js';
import { createOurs, type ModuleLoader, OUR_BACKENDS } from '../src/impls/ours.js';
import { localCandidate } from '../src/local-runner.js';

const builtPackages = import.meta.glob([
  '../../../packages/*/dist/index.js',
  '../../../packages/*/dist/browser.js',
  '!../../../packages/native/dist/index.js',
  '!../../../packages/wasm/dist/index.js',
]);

const loadModule: ModuleLoader = async (pkg) => {
  if (pkg === '@softmax-kit/core') return (await import('@softmax-kit/core')) as Record<string, unknown>;
  const folder = pkg.replace(/^@softmax-kit\//, '');
  const loader =
    builtPackages[`../../../packages/${folder}/dist/browser.js`] ??
    builtPackages[`../../../packages/${folder}/dist/index.js`];
  if (!loader)
    throw new Error(
      folder === 'native'
        ? 'a Node addon: no browser build'
        : `${pkg} is not in this build (no packages/${folder}/dist/index.js when the page was built)`,
    );
  return (await loader()) as Record<string, unknown>;
};

/** One candidate per backend, and per thread count for threaded ones (the CLI's sweep). */
export function ourCandidates(threadCounts: readonly number[]): Candidate[] {
  return OUR_BACKENDS.flatMap((c) =>
    (c.threaded ? threadCounts : [undefined]).map((threads) =>
      localCandidate(createOurs(c, loadModule, threads === undefined ? undefined : { threads }), {
        gpu: c.gpu === true,
      }),
    ),
  );
}
