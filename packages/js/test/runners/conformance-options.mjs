// What the node:test and Mocha runs of the conformance suite share: the js backend as built
// (dist/), and a subset of the suite (cases up to 5,000 elements) to keep the extra runs short;
// Vitest runs the whole suite (../conformance.test.ts).
import { jsBackend } from '../../dist/index.js';

export const factory = jsBackend();
export const options = { maxElements: 5000 };
