// Shared Vitest settings: every package runs its tests the same way, and leaves its results
// in .vitest/results.json so the root test command can print one total.
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  reporters: ['default', 'json'],
  outputFile: { json: '.vitest/results.json' },
};
