/**
 * Runs an implementation in this JS realm, for the case driver: the browser page (a browser has
 * no processes to give each implementation its own) and tests. A call cannot be interrupted
 * here, so request timeouts do not apply. Environment-neutral.
 */
import type { Candidate, Runner } from './driver.js';
import { createHost } from './impl-host.js';
import type { Impl } from './impls/types.js';

export function localCandidate(impl: Impl, options: { gpu?: boolean } = {}): Candidate {
  return {
    id: impl.id,
    kind: impl.kind,
    label: impl.label,
    ...(options.gpu ? { gpu: true } : {}),
    async start(): Promise<Runner> {
      const host = createHost(async () => ({ impl }));
      let closed = false;
      return {
        get alive() {
          return !closed;
        },
        request: (req) => host.handle(req),
        async close() {
          if (closed) return;
          closed = true;
          await host.handle({ t: 'exit' });
        },
      };
    },
  };
}
