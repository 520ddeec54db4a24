/**
 * @softmax-kit/js: the softmax-kit kernels in plain TypeScript. Synchronous, float32 and
 * float64, any axis without a transpose, allocation-free per call. float32 uses a table-driven
 * exp (relative error < 1e-8); float64 uses Math.exp.
 *
 *   const sm = await createSoftmax(jsBackend());
 *   const y = sm.sync.softmax(tensor([[1, 2, 3]]));
 */
import {
  ALL_OPS,
  type Backend,
  type Capabilities,
  type DType,
  type Kernels,
  type SyncBackendFactory,
} from '@softmax-kit/core';
import { logSoftmax } from './log-softmax.js';
import { logSoftmaxBackward } from './log-softmax-backward.js';
import { logSumExp } from './log-sum-exp.js';
import { softmax } from './softmax.js';
import { softmaxBackward } from './softmax-backward.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { softmaxJacobian } from './softmax-jacobian.js';
import { Workspace } from './workspace.js';

export { fastExp } from './fast-exp.js';

export interface JsBackendOptions {
  /**
   * Use the table-driven exp for float32 (default true). It is accurate to < 1e-8 relative,
   * far inside float32's own rounding; false uses Math.exp everywhere (slower).
   */
  fastExp?: boolean;
}

const DTYPES: readonly DType[] = ['float32', 'float64'];

const CAPABILITIES: Capabilities<true> = {
  dtypes: DTYPES,
  sync: true,
  maxElements: Number.MAX_SAFE_INTEGER,
  // every kernel stores each of its output elements
  writesWholeResults: true,
};

/** The pure-TypeScript backend. Creates nothing until `start()`. */
export function jsBackend(options: JsBackendOptions = {}): SyncBackendFactory {
  const useFastExp = options.fastExp ?? true;
  return {
    name: 'js',
    dtypes: DTYPES,
    capabilities: CAPABILITIES,
    ops: ALL_OPS,
    start(): Promise<Backend> {
      return Promise.resolve(createJsBackend(useFastExp));
    },
  };
}

function createJsBackend(useFastExp: boolean): Backend {
  const ws = new Workspace(useFastExp);
  const capabilities = CAPABILITIES;
  const kernels: Kernels = {
    softmax: (args) => softmax(args, ws),
    logSoftmax: (args) => logSoftmax(args, ws),
    logSumExp: (args) => logSumExp(args, ws),
    softmaxBackward: (args) => softmaxBackward(args, ws),
    logSoftmaxBackward: (args) => logSoftmaxBackward(args, ws),
    softmaxJacobian: (args) => softmaxJacobian(args),
    softmaxCrossEntropy: (args) => softmaxCrossEntropy(args, ws),
  };
  return {
    name: 'js',
    capabilities,
    kernels,
    dispose(): void {
      ws.dispose();
    },
  };
}
