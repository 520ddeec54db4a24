/**
 * The one table of operations: each op's parameters, result and kernel arguments (the types
 * of `sm`, `sm.sync` and a backend's `Kernels` derive from it), and what core needs at run time (argument names, accepted option
 * keys, the planner). `ALL_OPS` lists its keys in order.
 */
import type {
  CrossEntropyArgs,
  ForwardArgs,
  JacobianArgs,
  LogSoftmaxBackwardArgs,
  LogSumExpArgs,
  SoftmaxBackwardArgs,
} from './backend.js';
import type { CrossEntropyOptions, CrossEntropyResult, LogSumExpOptions, SoftmaxOptions } from './options.js';
import { planLogSoftmaxBackward, planSoftmaxBackward } from './plan/backward.js';
import { planCrossEntropy } from './plan/cross-entropy.js';
import { planForward } from './plan/forward.js';
import { planJacobian } from './plan/jacobian.js';
import { planLogSumExp } from './plan/log-sum-exp.js';
import type { Plan } from './plan/plan.js';
import type { FloatArray, Labels, Tensor } from './types.js';
import { CROSS_ENTROPY_OPTIONS, LOG_SUM_EXP_OPTIONS, SOFTMAX_OPTIONS } from './validate/option-keys.js';
import type { SupportContext } from './validate/support.js';

/** One op: its positional parameters (options last), its result and what its kernel gets. */
interface Signature<P extends readonly unknown[], R, K> {
  readonly params: P;
  readonly result: R;
  readonly kernel: K;
}

/**
 * Every op's signature for inputs backed by arrays of type A (so results keep the input's
 * array type: a Float64Array in, a Float64Array out).
 */
export interface OpSignatures<A extends FloatArray> {
  softmax: Signature<[x: Tensor<A>, options?: SoftmaxOptions], Tensor<A>, ForwardArgs>;
  logSoftmax: Signature<[x: Tensor<A>, options?: SoftmaxOptions], Tensor<A>, ForwardArgs>;
  logSumExp: Signature<[x: Tensor<A>, options?: LogSumExpOptions], Tensor<A>, LogSumExpArgs>;
  softmaxBackward: Signature<
    [y: Tensor<A>, dy: Tensor<A>, options?: SoftmaxOptions],
    Tensor<A>,
    SoftmaxBackwardArgs
  >;
  logSoftmaxBackward: Signature<
    [logp: Tensor<A>, dy: Tensor<A>, options?: SoftmaxOptions],
    Tensor<A>,
    LogSoftmaxBackwardArgs
  >;
  softmaxJacobian: Signature<[y: Tensor<A>, options?: SoftmaxOptions], Tensor<A>, JacobianArgs>;
  softmaxCrossEntropy: Signature<
    [logits: Tensor<A>, target: Labels | Tensor<A>, options?: CrossEntropyOptions],
    CrossEntropyResult<A>,
    CrossEntropyArgs
  >;
}

/** Names of every operation, used by capabilities and error messages. */
export type OpName = keyof OpSignatures<FloatArray>;

/** What each op's kernel gets (backend.ts documents each): `Kernels` derives from it. */
export type KernelArgs = { readonly [K in OpName]: OpSignatures<FloatArray>[K]['kernel'] };

type Params<K extends OpName, A extends FloatArray> = OpSignatures<A>[K]['params'];
type Result<K extends OpName, A extends FloatArray> = OpSignatures<A>[K]['result'];

/** Every op, returning values directly; the type of `sm.sync`. */
export type SyncOps = {
  readonly [K in OpName]: <A extends FloatArray>(...args: Params<K, A>) => Result<K, A>;
};

/** Every op, returning Promises; results keep the input's array type. */
export type AsyncOps = {
  readonly [K in OpName]: <A extends FloatArray>(...args: Params<K, A>) => Promise<Result<K, A>>;
};

/** What core knows of one op at run time. */
export interface OpEntry<K extends OpName> {
  /** The positional arguments' names, as errors name them (`x`, `y`, `dy`, `logits`, ...). */
  readonly args: readonly string[];
  /** Every option key the op accepts; any other key is a ValueError. */
  readonly options: readonly string[];
  /** Checks a call and makes its plan; every check runs before any kernel does. */
  readonly plan: (context: SupportContext, ...args: Params<K, FloatArray>) => Plan<Result<K, FloatArray>>;
}

export const OPS: { readonly [K in OpName]: OpEntry<K> } = {
  softmax: {
    args: ['x'],
    options: SOFTMAX_OPTIONS,
    plan: (context, x, options) => planForward(context, 'softmax', x, options),
  },
  logSoftmax: {
    args: ['x'],
    options: SOFTMAX_OPTIONS,
    plan: (context, x, options) => planForward(context, 'logSoftmax', x, options),
  },
  logSumExp: { args: ['x'], options: LOG_SUM_EXP_OPTIONS, plan: planLogSumExp },
  softmaxBackward: { args: ['y', 'dy'], options: SOFTMAX_OPTIONS, plan: planSoftmaxBackward },
  logSoftmaxBackward: { args: ['logp', 'dy'], options: SOFTMAX_OPTIONS, plan: planLogSoftmaxBackward },
  softmaxJacobian: { args: ['y'], options: SOFTMAX_OPTIONS, plan: planJacobian },
  softmaxCrossEntropy: {
    args: ['logits', 'target'],
    options: CROSS_ENTROPY_OPTIONS,
    plan: planCrossEntropy,
  },
};

/** Every op name, in the table's order. */
export const ALL_OPS: readonly OpName[] = Object.freeze(Object.keys(OPS) as OpName[]);
