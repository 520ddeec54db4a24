import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../dist/index.js';

// Three worker threads on shared memory, and every call through them (inlineElements: 0):
// the asynchronous backend, blocks spread over the workers, long rows split.
runConformance(wasmBackend({ threads: 3, inlineElements: 0 }), { describe, it, beforeAll, afterAll });
