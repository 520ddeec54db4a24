/**
 * Finds the compiled addon: the prebuilt binary the package ships for this platform, then a
 * local build (addon/build/Release). When neither loads, the error lists what to do.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Binding } from './binding.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the addon may be, in the order tried. SOFTMAX_KIT_NATIVE_BINARY names a binary to try
 * first (e.g. the sanitizer build of scripts/sanitize.sh).
 */
export function bindingCandidates(root = packageRoot): string[] {
  const override = process.env.SOFTMAX_KIT_NATIVE_BINARY;
  return [
    ...(override ? [override] : []),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'softmax-kit-native.node'),
    join(root, 'addon', 'build', 'Release', 'softmax_kit_native.node'),
  ];
}

/** Thrown by start() when no binary loads; createSoftmax then moves on to the next backend. */
export class NativeAddonUnavailableError extends Error {
  override readonly name = 'NativeAddonUnavailableError';
}

let cached: Binding | undefined;

export function loadBinding(root = packageRoot): Binding {
  if (cached !== undefined && root === packageRoot) return cached;
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const path of bindingCandidates(root)) {
    try {
      const binding = require(path) as Binding;
      if (root === packageRoot) cached = binding;
      return binding;
    } catch (error) {
      const reason =
        (error as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'not found' : (error as Error).message;
      failures.push(`  - ${path}: ${reason}`);
    }
  }
  throw new NativeAddonUnavailableError(
    [
      `@softmax-kit/native has no binary that loads on ${process.platform}-${process.arch} (Node ${process.versions.node}):`,
      ...failures,
      'Possible solutions:',
      '  - list a fallback after it: createSoftmax([nativeBackend(), wasmBackend(), jsBackend()]);',
      `  - build it from the package's sources (needs a C++17 compiler, make and Python 3): in node_modules/@softmax-kit/native run "npm install --no-save node-gyp@12 node-addon-api@8 && node scripts/build-addon.mjs";`,
      '  - on linux-x64, reinstall the package: the published tarball ships prebuilds/linux-x64/softmax-kit-native.node.',
    ].join('\n'),
  );
}
