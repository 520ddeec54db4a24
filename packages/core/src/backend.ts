/**
 * The kernel side of softmax-kit: what a backend package implements.
 *
 * Core validates every argument and normalises every op before a kernel runs, so a kernel
 * never re-derives shapes, never sees bad input and never sees a zero-size tensor
 * (outer * n * inner > 0, and outer * inner > 0 for log-sum-exp and cross-entropy).
 * All arrays a kernel gets in one call share the input's dtype (labels and masks aside).
 * A kernel writes every element of its output(s) and never writes anything else.
 */
import type { DeviceMemory } from './device.js';
import type { KernelArgs } from './ops.js';
import type { DType, FloatArray, OpName } from './types.js';

/**
 * The canonical view of a tensor for an op along one axis: the data seen as `[outer, n, inner]`,
 * row-major, where n is the axis length, outer the product of the dims before the axis and
 * inner the product of the dims after it. Element (o, j, i) sits at `(o * n + j) * inner + i`.
 * The slices an op normalises over are the n elements (o, 0..n-1, i), strided by `inner`.
 */
export interface View {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

/**
 * A mask broadcast onto a View. Element (o, j, i) takes part iff
 * `data[outerOffsets[o] + j * nStride + innerOffsets[i]] !== 0`.
 * `dense` is true when that index always equals the element's own index (same shape as the
 * input), so kernels may take a fast path that reads `data[(o * n + j) * inner + i]`.
 */
export interface MaskView {
  readonly data: Uint8Array;
  readonly outerOffsets: Int32Array;
  readonly nStride: number;
  readonly innerOffsets: Int32Array;
  readonly dense: boolean;
}

/** Arguments common to every kernel over one canonical view. */
export interface KernelBase {
  readonly view: View;
  /** null when every element takes part. */
  readonly mask: MaskView | null;
  /**
   * 1 / temperature: finite, > 0 and representable in the data's dtype (at most
   * 3.4028234663852886e38 for float32). For a smaller temperature core divides the input by it
   * itself (or scales the gradient afterwards) and passes 1.
   */
  readonly invTemperature: number;
}

/** softmax / logSoftmax: out[k] = softmax(x * invT)[k] (or its log) along n. `out` has x's length. */
export interface ForwardArgs extends KernelBase {
  readonly x: FloatArray;
  readonly out: FloatArray;
}

/** logSumExp: out[o * inner + i] = log sum_j exp(x[o, j, i] * invT), -Infinity when nothing takes part. */
export interface LogSumExpArgs extends KernelBase {
  readonly x: FloatArray;
  /** length outer * inner */
  readonly out: FloatArray;
}

/** softmaxBackward: out = y * (dy - sum(dy * y)) * invT, 0 where not taking part. */
export interface SoftmaxBackwardArgs extends KernelBase {
  readonly y: FloatArray;
  readonly dy: FloatArray;
  readonly out: FloatArray;
}

/**
 * logSoftmaxBackward: out = (dy - exp(logp) * sum(dy)) * invT, the sum over the positions that
 * take part; positions masked out or with logp = -Infinity get 0 and their dy is ignored.
 */
export interface LogSoftmaxBackwardArgs extends KernelBase {
  readonly logp: FloatArray;
  readonly dy: FloatArray;
  readonly out: FloatArray;
}

/**
 * softmaxJacobian: out has shape [outer, n, inner, n];
 * out[((o * n + j) * inner + i) * n + k] = (y_j * (j == k) - y_j * y_k) * invT, with
 * y_m = y[o, m, i], and 0 in every row and column of a position that does not take part.
 */
export interface JacobianArgs extends KernelBase {
  readonly y: FloatArray;
  /** length outer * n * inner * n */
  readonly out: FloatArray;
}

/** Integer targets for cross-entropy, one per (o, i), at `labels[o * inner + i]`. */
export interface LabelTarget {
  readonly kind: 'labels';
  /** Every entry is in [0, n) or equals ignoreIndex (core checked). */
  readonly labels: Int32Array;
  readonly ignoreIndex: number;
}

/** Probability targets shaped like the logits. */
export interface ProbabilityTarget {
  readonly kind: 'probabilities';
  readonly probabilities: FloatArray;
}

/**
 * softmaxCrossEntropy, fused (never via log(softmax)). For each sample s = (o, i) with
 * p = softmax(logits[o, :, i]) define the effective target weights a_c:
 *   labels y (not ignored): a_c = (1 - e) * w_y * [c == y] + (e / n) * w_c
 *   labels y == ignoreIndex: a_c = 0
 *   probabilities q:        a_c = w_c * ((1 - e) * q_c + e / n)
 * with e = labelSmoothing and w = weights (all 1 when null). Then
 *   lossOut[s]        = lossScale * -sum_c a_c * log p_c   (terms with a_c == 0 contribute 0)
 *   gradOut[o, j, i]  = gradScale * (p_j * sum_c a_c - a_j)
 * Core chooses both scales for the reduction and reduces lossOut itself. A sample whose target
 * puts weight on a class of probability 0 has loss +Infinity (never NaN); its gradient stays finite.
 */
export interface CrossEntropyArgs {
  readonly view: View;
  readonly logits: FloatArray;
  readonly target: LabelTarget | ProbabilityTarget;
  readonly labelSmoothing: number;
  /** length n, the logits' dtype; null means all ones */
  readonly weights: FloatArray | null;
  readonly gradScale: number;
  /**
   * What each sample's loss is multiplied by before it is stored: 1 / (the mean's denominator)
   * for reduction 'mean', else 1. Scaling before storing keeps a float32 mean finite where one
   * sample's loss alone would overflow float32 (a loss of 4e38 with weight 2 has mean 2e38).
   */
  readonly lossScale: number;
  /** length outer * inner */
  readonly lossOut: FloatArray;
  /** the logits' length */
  readonly gradOut: FloatArray;
}

/** A kernel returns nothing (sync backends) or a Promise that settles once its outputs are written. */
export type KernelResult = void | Promise<void>;

/**
 * The kernels a backend implements, one per op of the op table (ops.ts), each taking that op's
 * kernel arguments (ForwardArgs for softmax and logSoftmax, LogSumExpArgs, ...); an absent
 * kernel declares that op unsupported.
 */
export type Kernels = { readonly [K in OpName]?: (args: KernelArgs[K]) => KernelResult };

/** What a backend declares it can do. Core refuses anything else with an UnsupportedError. */
export interface Capabilities<Sync extends boolean = boolean> {
  /** Element types the kernels accept. */
  readonly dtypes: readonly DType[];
  /** True when every kernel completes before returning (returns undefined); enables `sm.sync`. */
  readonly sync: Sync;
  /** Largest number of elements any one input or output may have; Infinity when unlimited. */
  readonly maxElements: number;
  /** Threads the backend's kernels use (native, wasm); absent means 1. */
  readonly threads?: number;
  /**
   * True when every kernel writes every element of its result arrays (`out`, `gradOut`),
   * whatever they held before: core may then give a large new result unzeroed memory (Node's
   * Buffer.allocUnsafeSlow), which saves a pass over it. The conformance suite checks the claim
   * by filling each new result with a marker first. Absent: new results start zeroed.
   */
  readonly writesWholeResults?: boolean;
}

/** A started backend. */
export interface Backend {
  /** 'js' | 'wasm' | 'webgpu' | 'native' | a third party's name. */
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly kernels: Kernels;
  /**
   * Kernels for the async ops only (`sm.softmax(...)`), which may return Promises, e.g. to run
   * large inputs off the JS thread, while `kernels` (synchronous) serve `sm.sync`. Absent: the
   * async ops use `kernels` too. Must implement the same ops as `kernels`.
   */
  readonly asyncKernels?: Kernels;
  /**
   * Present when the backend keeps data in its own memory (webgpu, wasm): device arrays, `sm.upload`,
   * `sm.download` and the `output` option. Without it, device arrays are refused.
   */
  readonly device?: DeviceMemory;
  /**
   * Memory for a new result of `length` elements that the backend keeps warm (native: pages
   * reused once earlier results are collected), asked for only when `writesWholeResults` is
   * declared and the result takes 1 MiB or more: an array of exactly that type and length, its
   * contents anything, or null to let core allocate. Absent: core allocates.
   */
  newResult?(dtype: DType, length: number): FloatArray | null;
  /** Releases what `start` acquired (GPU device, wasm memory...). Idempotent. */
  dispose(): void | Promise<void>;
}

/**
 * What a backend package exports (e.g. `jsBackend()`): a recipe that creates nothing until
 * `start` is called. Starting may fail (no GPU, no native binary); the reason is reported.
 */
export interface BackendFactory<Sync extends boolean = boolean> {
  readonly name: string;
  /** The dtypes the backend will declare, known before starting (used in error hints). */
  readonly dtypes: readonly DType[];
  /**
   * What the started backend will declare, known before starting. The conformance suite needs
   * it (with `ops`) to register its cases synchronously, before the backend starts; it checks
   * that the started backend then declares the same (maxElements: at least as many).
   */
  readonly capabilities?: Capabilities<Sync>;
  /** The ops the started backend will have kernels for (what `supportedOps` will return). */
  readonly ops?: readonly OpName[];
  start(): Promise<Backend>;
}

/**
 * A factory that declares synchronous kernels: `createSoftmax` of it (or of a list of only
 * such factories) has `sm.sync` in its type.
 */
export type SyncBackendFactory = BackendFactory<true> & { readonly capabilities: Capabilities<true> };

/** A factory that declares asynchronous kernels: `sm.sync` is absent from the type. */
export type AsyncBackendFactory = BackendFactory<false> & { readonly capabilities: Capabilities<false> };

/** The op names a backend implements, in canonical order. */
export function supportedOps(backend: Backend): OpName[] {
  const ops: OpName[] = [];
  for (const op of Object.keys(backend.kernels) as OpName[]) {
    if (typeof backend.kernels[op] === 'function') ops.push(op);
  }
  return ops;
}
