// A backend with both sync kernels (for sm.sync) and async ones (for the async ops, e.g. off the
// JS thread): each path must reach its own kernels, with the same validated arguments.
import { describe, expect, it } from 'vitest';
import { type Backend, createSoftmax, type ForwardArgs, type Kernels, tensor } from '../src/index.js';

function twoPathBackend(calls: string[]): Backend {
  const forward = (path: string) => (args: ForwardArgs) => {
    calls.push(`${path}:${args.view.outer}x${args.view.n}`);
    args.out.fill(path === 'sync' ? 1 : 2);
  };
  const kernels: Kernels = { softmax: forward('sync') };
  const asyncKernels: Kernels = {
    softmax: async (args) => {
      await Promise.resolve();
      forward('async')(args);
    },
  };
  return {
    name: 'two-path',
    capabilities: { dtypes: ['float32'], sync: true, maxElements: Number.POSITIVE_INFINITY },
    kernels,
    asyncKernels,
    dispose: () => {},
  };
}

describe('Backend.asyncKernels', () => {
  it('serve the async ops while kernels serve sm.sync', async () => {
    const calls: string[] = [];
    const backend = twoPathBackend(calls);
    const sm = await createSoftmax({ name: 'two-path', dtypes: ['float32'], start: async () => backend });
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const viaAsync = await sm.softmax(x);
    const viaSync = sm.sync?.softmax(x);
    expect(Array.from(viaAsync.data)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(Array.from(viaSync?.data ?? [])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(calls).toEqual(['async:2x3', 'sync:2x3']);
    await sm.dispose();
  });
});
