// Shared Vitest settings: every package runs its tests the same way.
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  reporters: ['default'],
};
