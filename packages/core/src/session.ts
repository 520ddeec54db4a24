/** Binds a started backend to the public ops: validate, plan, run the kernel, finish. */
import type { Capabilities, KernelResult } from './backend.js';
import { SoftmaxKitError } from './errors.js';
import type { AsyncOps, SyncOps } from './options.js';
import { planLogSoftmaxBackward, planSoftmaxBackward } from './plan/backward.js';
import { planCrossEntropy } from './plan/cross-entropy.js';
import { planForward } from './plan/forward.js';
import { planJacobian } from './plan/jacobian.js';
import { planLogSumExp } from './plan/log-sum-exp.js';
import type { Plan } from './plan/plan.js';
import type { SupportContext } from './validate/support.js';

/** What `createSoftmax` resolves to: every op, async; `sync` too when the backend is synchronous. */
export interface Softmax extends AsyncOps {
  /** The name of the backend that started ('native' | 'wasm' | 'webgpu' | 'js' | ...). */
  readonly backend: string;
  readonly capabilities: Capabilities;
  /** The same ops returning values directly; undefined when the backend is asynchronous. */
  readonly sync: SyncOps | undefined;
  /** Releases the backend; later calls throw. */
  dispose(): Promise<void>;
}

function isPromise(value: KernelResult): value is Promise<void> {
  return typeof (value as Promise<void> | undefined)?.then === 'function';
}

/**
 * Every op as "make a plan": the plan's checks all run before any kernel does, so a bad
 * argument never reaches a backend.
 */
function planners(context: SupportContext) {
  return {
    softmax: (...a: Parameters<SyncOps['softmax']>) => planForward(context, 'softmax', ...a),
    logSoftmax: (...a: Parameters<SyncOps['logSoftmax']>) => planForward(context, 'logSoftmax', ...a),
    logSumExp: (...a: Parameters<SyncOps['logSumExp']>) => planLogSumExp(context, ...a),
    softmaxBackward: (...a: Parameters<SyncOps['softmaxBackward']>) => planSoftmaxBackward(context, ...a),
    logSoftmaxBackward: (...a: Parameters<SyncOps['logSoftmaxBackward']>) =>
      planLogSoftmaxBackward(context, ...a),
    softmaxJacobian: (...a: Parameters<SyncOps['softmaxJacobian']>) => planJacobian(context, ...a),
    softmaxCrossEntropy: (...a: Parameters<SyncOps['softmaxCrossEntropy']>) =>
      planCrossEntropy(context, ...a),
  };
}

export function createSession(context: SupportContext): Softmax {
  const { backend } = context;
  let disposed = false;
  const plan = planners(context);

  const alive = () => {
    if (disposed) {
      throw new SoftmaxKitError(
        'ERR_SOFTMAX_DISPOSED',
        `This softmax (backend '${backend.name}') was disposed.`,
      );
    }
  };
  const runSync = <R>(make: () => Plan<R>): R => {
    alive();
    const p = make();
    const pending = p.run?.();
    if (isPromise(pending)) {
      // A backend bug, not a user error: it declared sync but its kernel is asynchronous.
      throw new SoftmaxKitError(
        'ERR_SOFTMAX_BACKEND',
        `Backend '${backend.name}' declares sync kernels but returned a Promise; use the async ops.`,
      );
    }
    return p.finish();
  };
  const runAsync = async <R>(make: () => Plan<R>): Promise<R> => {
    alive();
    const p = make();
    await p.run?.();
    return p.finish();
  };

  // The casts below restore each op's generic signature: plans are typed on the FloatArray
  // union, and every plan returns arrays of its input's dtype, which is what the generics say.
  const syncOps = {
    softmax: (x, o) => runSync(() => plan.softmax(x, o)),
    logSoftmax: (x, o) => runSync(() => plan.logSoftmax(x, o)),
    logSumExp: (x, o) => runSync(() => plan.logSumExp(x, o)),
    softmaxBackward: (y, dy, o) => runSync(() => plan.softmaxBackward(y, dy, o)),
    logSoftmaxBackward: (l, dy, o) => runSync(() => plan.logSoftmaxBackward(l, dy, o)),
    softmaxJacobian: (y, o) => runSync(() => plan.softmaxJacobian(y, o)),
    softmaxCrossEntropy: (x, t, o) => runSync(() => plan.softmaxCrossEntropy(x, t, o)),
  } as SyncOps;
  const asyncOps = {
    softmax: (x, o) => runAsync(() => plan.softmax(x, o)),
    logSoftmax: (x, o) => runAsync(() => plan.logSoftmax(x, o)),
    logSumExp: (x, o) => runAsync(() => plan.logSumExp(x, o)),
    softmaxBackward: (y, dy, o) => runAsync(() => plan.softmaxBackward(y, dy, o)),
    logSoftmaxBackward: (l, dy, o) => runAsync(() => plan.logSoftmaxBackward(l, dy, o)),
    softmaxJacobian: (y, o) => runAsync(() => plan.softmaxJacobian(y, o)),
    softmaxCrossEntropy: (x, t, o) => runAsync(() => plan.softmaxCrossEntropy(x, t, o)),
  } as AsyncOps;

  return {
    ...asyncOps,
    backend: backend.name,
    capabilities: backend.capabilities,
    sync: backend.capabilities.sync ? syncOps : undefined,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await backend.dispose();
    },
  };
}
