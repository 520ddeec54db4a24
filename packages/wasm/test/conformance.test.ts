import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../dist/index.js';

// One thread: the synchronous backend, every kernel on the calling thread.
runConformance(wasmBackend({ threads: 1 }), { describe, it, beforeAll, afterAll });
