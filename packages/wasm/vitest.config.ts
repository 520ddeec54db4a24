import { sharedTestOptions } from '@softmax-kit/tooling/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: sharedTestOptions });
