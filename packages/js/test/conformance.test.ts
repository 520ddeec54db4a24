import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { jsBackend } from '../src/index.js';

runConformance(jsBackend(), { describe, it, beforeAll, afterAll });
