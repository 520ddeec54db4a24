// The conformance suite under node:test: `node --test test/runners/node-test.mjs`.
import { after, before, describe, it } from 'node:test';
import { runConformance } from '@softmax-kit/core/conformance';
import { factory, options } from './conformance-options.mjs';

runConformance(factory, { describe, it, before, after }, options);
