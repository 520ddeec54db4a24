// The conformance suite under Mocha (its globals): `mocha test/runners/mocha.mjs`.
import { runConformance } from '@softmax-kit/core/conformance';
import { factory, options } from './conformance-options.mjs';

const { describe, it, before, after } = globalThis;
runConformance(factory, { describe, it, before, after }, options);
