// A broken backend under node:test: its softmax cases must be reported as failing.
import { after, before, describe, it } from 'node:test';
import { runConformance } from '@softmax-kit/core/conformance';
import { brokenFactory, brokenOptions } from './broken-backend.mjs';

runConformance(brokenFactory, { describe, it, before, after }, brokenOptions);
