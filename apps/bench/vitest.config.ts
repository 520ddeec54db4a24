import { sharedTestOptions } from '@softmax-kit/tooling/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { ...sharedTestOptions, testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false },
});
