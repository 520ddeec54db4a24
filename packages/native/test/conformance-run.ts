import { runConformance } from '@softmax-kit/core/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { loadBinding } from '../src/load-binding.js';

/** The whole conformance suite on one vector target (when this CPU runs it). */
export function conformanceOn(isa: string): void {
  if (!loadBinding().isas().includes(isa)) {
    describe(`conformance on ${isa}`, () => {
      it.skip(`this CPU does not run ${isa} (it runs ${loadBinding().isas().join(', ')})`, () => {});
    });
    return;
  }
  runConformance(nativeBackend({ isa, threads: 2 }), { describe, it, beforeAll, afterAll });
}
