/**
 * onnxruntime-node (CPU execution provider; its CPU binaries ship in the package, and pnpm
 * never runs its install script, which downloads CUDA binaries: see pnpm-workspace.yaml).
 * intra-op threads from the options: the bench sweeps 1 and all cores.
 */
import { availableParallelism } from 'node:os';
import type { ImplFactory } from '../impls/types.js';
import { createOrt } from './ort-common.js';
import { ortModuleFrom } from './ort-module.js';

export const create: ImplFactory = (options) => {
  const threads = options.threads ?? 1;
  const all = threads === availableParallelism();
  return createOrt({
    id: `ort-node:${threads}t`,
    label: `onnxruntime-node ${threads}t${all && threads > 1 ? ' (all)' : ''}`,
    async load() {
      const o = ortModuleFrom(await import('onnxruntime-node'), 'onnxruntime-node');
      return {
        ort: o,
        detail: `onnxruntime-node ${o.env.versions?.node ?? o.env.versions?.common ?? ''}, CPU EP, intra-op threads ${threads}, inter-op 1`,
        sessionOptions: {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
        },
      };
    },
  });
};
