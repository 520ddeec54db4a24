// A backend for testing core's plumbing (validation, planning, sessions), not numerics:
// its kernels only record that they ran, so a test can prove bad input never reaches one.
import type { Backend, BackendFactory, DType, Kernels } from '../src/index.js';

export interface SpyBackend {
  readonly factory: BackendFactory;
  readonly calls: string[];
}

export function spyBackend(
  options: {
    name?: string;
    dtypes?: DType[];
    sync?: boolean;
    maxElements?: number;
    omit?: (keyof Kernels)[];
  } = {},
): SpyBackend {
  const calls: string[] = [];
  const name = options.name ?? 'spy';
  const dtypes = options.dtypes ?? ['float32', 'float64'];
  const sync = options.sync ?? true;
  const record = (op: string) => () => {
    calls.push(op);
    return sync ? undefined : Promise.resolve();
  };
  const all: Kernels = {
    softmax: record('softmax'),
    logSoftmax: record('logSoftmax'),
    logSumExp: record('logSumExp'),
    softmaxBackward: record('softmaxBackward'),
    logSoftmaxBackward: record('logSoftmaxBackward'),
    softmaxJacobian: record('softmaxJacobian'),
    softmaxCrossEntropy: record('softmaxCrossEntropy'),
  };
  const kernels: Kernels = Object.fromEntries(
    Object.entries(all).filter(([op]) => !(options.omit ?? []).includes(op as keyof Kernels)),
  );
  const backend: Backend = {
    name,
    capabilities: { dtypes, sync, maxElements: options.maxElements ?? Number.POSITIVE_INFINITY },
    kernels,
    dispose: () => {
      calls.push('dispose');
    },
  };
  return { factory: { name, dtypes, start: async () => backend }, calls };
}
