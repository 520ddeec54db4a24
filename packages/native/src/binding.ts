/**
 * The raw addon's interface (addon/addon.cc). Every method checks every argument itself and
 * throws a TypeError / RangeError naming it; the kernel layer (kernels.ts) calls it with
 * arguments core already validated.
 */
export type FloatArray = Float32Array | Float64Array;

/** Returns undefined once done, or (async and large enough to leave the JS thread) a Promise. */
export type BindingResult = undefined | Promise<void>;

/**
 * Numbers travel in `params` (written just before each call), arrays as arguments:
 *   softmax, logSoftmax, logSumExp (x, out, mask, maskOuterOffsets, maskInnerOffsets)
 *   softmaxBackward, logSoftmaxBackward (y or logp, dy, out, mask, maskOuterOffsets, maskInnerOffsets)
 *   softmaxJacobian (y, out, mask, maskOuterOffsets, maskInnerOffsets)
 *     params: [outer, n, inner, invTemperature, maskNStride, async (0 | 1)]
 *   softmaxCrossEntropy (logits, labels | null, probabilities | null, weights | null, lossOut, gradOut)
 *     params: [outer, n, inner, ignoreIndex, labelSmoothing, gradScale, lossScale, async (0 | 1)]
 * A mask that is absent is null in all three mask positions, or left out (fewer arguments to
 * check: the small-input latency).
 *
 * The staged methods (softmaxStaged, ..., logSoftmaxBackwardStaged) take no arguments: their
 * arrays sit in `stage`, five 64-byte slots (inputs from slot 0, the result in the slot after
 * them), unmasked and sync: params [outer, n, inner, invTemperature, unused, 0, f64 (0 | 1)].
 * softmaxCrossEntropyStaged: logits, labels (int32) or probabilities, weights, lossOut, gradOut
 * in slots 0-4, sync: params [the eight above (async 0), f64, probabilities (0: labels, 1),
 * weights (0: none, 1)].
 * Reading a typed array argument costs a Node-API call or more each; for a 1x10 softmax those
 * were a third of the call.
 */
type Masks = [mask: Uint8Array | null, outerOffsets: Int32Array | null, innerOffsets: Int32Array | null] | [];

export interface RawBackend {
  readonly params: Float64Array;
  /** Five 64-byte slots for the staged methods (on the same ArrayBuffer as params). */
  readonly stage: Uint8Array;
  isa(): string;
  threads(): number;
  dispose(): void;
  softmax(x: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  logSoftmax(x: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  logSumExp(x: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  logSoftmaxBackward(logp: FloatArray, dy: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  softmaxStaged(): undefined;
  logSoftmaxStaged(): undefined;
  logSumExpStaged(): undefined;
  softmaxBackwardStaged(): undefined;
  logSoftmaxBackwardStaged(): undefined;
  softmaxCrossEntropyStaged(): undefined;
  softmaxJacobian(y: FloatArray, out: FloatArray, ...mask: Masks): BindingResult;
  softmaxCrossEntropy(
    logits: FloatArray,
    labels: Int32Array | null,
    probabilities: FloatArray | null,
    weights: FloatArray | null,
    lossOut: FloatArray,
    gradOut: FloatArray,
  ): BindingResult;
}

export interface Binding {
  /** new NativeBackend(threads, isa): starts `threads` pool threads. */
  NativeBackend: new (
    threads: number,
    isa: string,
  ) => RawBackend;
  /** The vector targets this CPU runs, best first ('avx512', 'avx2', 'scalar'). */
  isas(): string[];
  /**
   * An ArrayBuffer of exactly `bytes` (an integer in [1, 2^47]), not zeroed, from the addon's
   * result pool (addon/result-pool.h); null where the runtime refuses external buffers.
   */
  newResultBuffer(bytes: number): ArrayBuffer | null;
  /** [kept blocks, kept bytes, live blocks, results served since load, of which from kept blocks]. */
  resultPoolStats(): [number, number, number, number, number];
  /** Unmaps the kept blocks. */
  trimResultPool(): void;
}
