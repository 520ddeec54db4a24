import { runConformance } from '@softmax-kit/core/conformance';
import { describe, it } from 'vitest';
import { jsBackend } from '../src/index.js';

runConformance(jsBackend(), { describe, it });
