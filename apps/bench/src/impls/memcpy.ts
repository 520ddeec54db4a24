/**
 * The limit: a memory copy of the same bytes. For a case that counts B bytes of traffic, it
 * copies B / 2 bytes (one read + one write = B). kernel: into a preallocated buffer
 * (TypedArray.prototype.set, i.e. memmove); e2e: slice() into a fresh buffer (page faults included).
 * Browser-safe.
 */
import { bytesCounted } from '../workloads.js';
import type { Impl, ImplFactory, PreparedCase } from './types.js';

export const create: ImplFactory = () => {
  const impl: Impl = {
    id: 'memcpy',
    label: 'memory copy',
    kind: 'limit',
    modes: {
      e2e: 'src.slice(): copy into a freshly allocated buffer',
      kernel: 'dst.set(src): copy into a preallocated buffer',
    },
    async load() {
      return { detail: 'Uint8Array copy of half the counted bytes (read + write = counted bytes)' };
    },
    supports: () => true,
    async prepare(inp): Promise<PreparedCase> {
      const bytes = Math.max(
        8,
        Math.round(bytesCounted(inp.op, { id: '', rows: inp.rows, cols: inp.cols }) / 2),
      );
      const src = new Uint8Array(bytes);
      for (let i = 0; i < bytes; i += 4096) src[i] = i & 255;
      const dst = new Uint8Array(bytes);
      let sink = 0;
      return {
        calls: {
          e2e: () => {
            sink ^= src.slice()[bytes - 1];
          },
          kernel: () => dst.set(src),
        },
        // the copy is not a softmax: the gate does not apply (its rows say so)
        result: () => ({}),
        dispose: () => {
          if (sink === 0.5) console.log(sink);
        },
      };
    },
  };
  return impl;
};
