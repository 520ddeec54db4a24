/** Binds a started backend to the public ops: validate, plan, run the kernel, finish. */
import type { Capabilities, KernelResult } from './backend.js';
import { isDeviceArray } from './device.js';
import type { AnyTensor, DeviceOps, DeviceTensor } from './device-ops.js';
import { SoftmaxKitError } from './errors.js';
import { ALL_OPS, type AsyncOps, OPS, type OpName, type SyncOps } from './ops.js';
import { placeCall, runViaHost } from './placement.js';
import { isDeviceCall, planOnDevice } from './plan/device.js';
import type { Plan } from './plan/plan.js';
import type { FloatArray, Tensor } from './types.js';
import { checkTensor } from './validate/arrays.js';
import type { SupportContext } from './validate/support.js';

/** What every session has: the async ops, the backend's name and capabilities, dispose. */
export interface SoftmaxSession extends AsyncOps {
  /** The name of the backend that started ('native' | 'wasm' | 'webgpu' | 'js' | ...). */
  readonly backend: string;
  readonly capabilities: Capabilities;
  /**
   * Copies a tensor into the backend's memory (a device tensor, owned by the session: dispose
   * it, or `sm.dispose()` releases it). Backends without device memory return it as it is.
   */
  upload<A extends FloatArray>(t: Tensor<A>): Promise<Tensor<A> | DeviceTensor>;
  /** Copies a device tensor to host memory; a host tensor is returned as it is. */
  download(t: AnyTensor): Promise<Tensor>;
  /** Releases the backend; later calls throw (ERR_SOFTMAX_DISPOSED). */
  dispose(): Promise<void>;
}

/**
 * What `createSoftmax` resolves to: every op, async; `sync` too when the backend is
 * synchronous. `Sync` is what the factories declared: `true` types `sync` as present, `false`
 * leaves it out of the type, `boolean` (unknown beforehand) makes it `SyncOps | undefined`.
 */
export type Softmax<Sync extends boolean = boolean> = SoftmaxSession &
  DeviceOps &
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

/** Makes an op's plan from the call's arguments (at most three: first, second, options). */
type Planner = (args: readonly unknown[]) => Plan<unknown>;

function planner(context: SupportContext, op: OpName): Planner {
  // The table's planners take each op's own parameters; the public op types (from the same
  // table) have already checked them at the call site, and core checks them again at run time.
  const plan = OPS[op].plan as (
    context: SupportContext,
    a?: unknown,
    b?: unknown,
    c?: unknown,
  ) => Plan<unknown>;
  // Fixed arguments, no spread: this runs on every call (an op with two parameters ignores c).
  return (args) => plan(context, args[0], args[1], args[2]);
}

/** Builds one function per op from `run`, keyed as the op table is. */
function bindOps<R>(context: SupportContext, run: (op: OpName, args: unknown[], plan: Planner) => R) {
  const ops = {} as Record<OpName, (...args: unknown[]) => R>;
  for (const op of ALL_OPS) {
    const plan = planner(context, op);
    ops[op] = (...args) => run(op, args, plan);
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
  // Sync ops read host memory: device arrays are refused with the way to move them.
  const hostContext: SupportContext = { ...context, backend: { ...backend, device: undefined } };
  const runSync = (op: OpName, args: unknown[], plan: Planner): unknown => {
    alive();
    placeCall(hostContext, op, args);
    const p = plan(args);
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
  const runAsync = async (op: OpName, args: unknown[], plan: Planner): Promise<unknown> => {
    alive();
    const place = placeCall(context, op, args);
    if (place === 'device' && backend.device) {
      // Device calls stay on the device; a cross-entropy with device weights goes through host memory.
      if (!isDeviceCall(op, args))
        return runViaHost(backend.device, op, args, (hostArgs) => asyncPlanner(op)(hostArgs));
      const p = planOnDevice(context, backend.device, op, args);
      await p.run?.();
      return p.finish();
    }
    const p = plan(args);
    await p.run?.();
    return p.finish();
  };

  // Every plan returns arrays of its input's dtype, which is what the op table's generics say.
  const syncOps = bindOps(context, runSync) as SyncOps;
  // A backend may run its async ops on other kernels (off the JS thread) than its sync ones.
  const asyncContext = backend.asyncKernels
    ? { ...context, backend: { ...backend, kernels: backend.asyncKernels } }
    : context;
  const bound = bindOps(asyncContext, runAsync);
  // One set of functions serves both typings: host tensors in (AsyncOps), device tensors in (DeviceOps).
  const asyncOps: AsyncOps & DeviceOps = Object.assign(bound as AsyncOps, bound as DeviceOps);
  const asyncPlanner = (op: OpName) => planner(asyncContext, op);

  return {
    ...asyncOps,
    backend: backend.name,
    capabilities: backend.capabilities,
    sync: backend.capabilities.sync ? syncOps : undefined,
    async upload<A extends FloatArray>(t: Tensor<A>): Promise<Tensor<A> | DeviceTensor> {
      alive();
      const host = checkTensor(t, 'tensor');
      if (!backend.device) return t;
      return { data: backend.device.upload(host.data), shape: [...host.shape] };
    },
    async download(t: AnyTensor): Promise<Tensor> {
      alive();
      const data = (t as { data?: unknown } | null)?.data;
      if (!isDeviceArray(data)) {
        checkTensor(t, 'tensor');
        return t as Tensor;
      }
      return { data: await data.download(), shape: [...t.shape] };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await backend.dispose();
    },
  };
}
