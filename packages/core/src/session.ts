/** Binds a started backend to the public ops: validate, plan, run the kernel, finish. */
import type { Capabilities, KernelResult } from './backend.js';
import { SoftmaxKitError } from './errors.js';
import { ALL_OPS, type AsyncOps, OPS, type OpName, type SyncOps } from './ops.js';
import type { Plan } from './plan/plan.js';
import type { SupportContext } from './validate/support.js';

/** What every session has: the async ops, the backend's name and capabilities, dispose. */
export interface SoftmaxSession extends AsyncOps {
  /** The name of the backend that started ('native' | 'wasm' | 'webgpu' | 'js' | ...). */
  readonly backend: string;
  readonly capabilities: Capabilities;
  /** Releases the backend; later calls throw (ERR_SOFTMAX_DISPOSED). */
  dispose(): Promise<void>;
}

/**
 * What `createSoftmax` resolves to: every op, async; `sync` too when the backend is
 * synchronous. `Sync` is what the factories declared: `true` types `sync` as present, `false`
 * leaves it out of the type, `boolean` (unknown beforehand) makes it `SyncOps | undefined`.
 */
export type Softmax<Sync extends boolean = boolean> = SoftmaxSession &
  ([Sync] extends [true]
    ? { readonly sync: SyncOps }
    : [Sync] extends [false]
      ? Record<never, never>
      : {
          /** The same ops returning values directly; undefined when the backend is asynchronous. */
          readonly sync: SyncOps | undefined;
        });

function isPromise(value: KernelResult): value is Promise<void> {
  return typeof (value as Promise<void> | undefined)?.then === 'function';
}

/** A plan maker for every op, from the op table. */
type Planner = (...args: unknown[]) => Plan<unknown>;

function planner(context: SupportContext, op: OpName): Planner {
  // The table's planners take each op's own parameters; the public op types (from the same
  // table) have already checked them at the call site, and core checks them again at run time.
  const plan = OPS[op].plan as (context: SupportContext, ...args: unknown[]) => Plan<unknown>;
  return (...args) => plan(context, ...args);
}

/** Builds one function per op from `run`, keyed as the op table is. */
function bindOps<R>(context: SupportContext, run: (make: () => Plan<unknown>) => R) {
  const ops: Record<string, (...args: unknown[]) => R> = {};
  for (const op of ALL_OPS) {
    const plan = planner(context, op);
    ops[op] = (...args) => run(() => plan(...args));
  }
  return ops;
}

export function createSession(context: SupportContext): Softmax {
  const { backend } = context;
  let disposed = false;

  const alive = () => {
    if (disposed) {
      throw new SoftmaxKitError(
        'ERR_SOFTMAX_DISPOSED',
        `This softmax (backend '${backend.name}') was disposed; create another with createSoftmax.`,
      );
    }
  };
  const runSync = (make: () => Plan<unknown>): unknown => {
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
  const runAsync = async (make: () => Plan<unknown>): Promise<unknown> => {
    alive();
    const p = make();
    await p.run?.();
    return p.finish();
  };

  // Every plan returns arrays of its input's dtype, which is what the op table's generics say.
  const syncOps = bindOps(context, runSync) as SyncOps;
  // A backend may run its async ops on other kernels (off the JS thread) than its sync ones.
  const asyncContext = backend.asyncKernels
    ? { ...context, backend: { ...backend, kernels: backend.asyncKernels } }
    : context;
  const asyncOps = bindOps(asyncContext, runAsync) as AsyncOps;

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
