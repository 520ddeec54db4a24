// A broken backend under Mocha: its softmax cases must be reported as failing.
import { runConformance } from '@softmax-kit/core/conformance';
import { brokenFactory, brokenOptions } from './broken-backend.mjs';

const { describe, it, before, after } = globalThis;
runConformance(brokenFactory, { describe, it, before, after }, brokenOptions);
