import { sharedTestOptions } from '@softmax-kit/tooling/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // Pack and install once; every file reuses that project (and runs one at a time: they call tsc).
    globalSetup: ['test/setup/install-tarballs.ts'],
    fileParallelism: false,
  },
});
