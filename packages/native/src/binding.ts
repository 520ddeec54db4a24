/**
 * The raw addon's interface (addon/addon.cc). Every method checks every argument itself and
 * throws a TypeError / RangeError naming it; the kernel layer (kernels.ts) calls it with
 * arguments core already validated.
 */
export type FloatArray = Float32Array | Float64Array;
type MaskArgs = [
  mask: Uint8Array | null,
  outerOffsets: Int32Array | null,
  innerOffsets: Int32Array | null,
  nStride: number,
];
type View = [outer: number, n: number, inner: number];

/** Returns undefined once done, or (async and large enough to leave the JS thread) a Promise. */
export type BindingResult = undefined | Promise<void>;

export interface RawBackend {
  isa(): string;
  threads(): number;
  dispose(): void;
  softmax(x: FloatArray, out: FloatArray, ...rest: [...View, number, ...MaskArgs, boolean]): BindingResult;
  logSoftmax(x: FloatArray, out: FloatArray, ...rest: [...View, number, ...MaskArgs, boolean]): BindingResult;
  logSumExp(x: FloatArray, out: FloatArray, ...rest: [...View, number, ...MaskArgs, boolean]): BindingResult;
  softmaxBackward(
    y: FloatArray,
    dy: FloatArray,
    out: FloatArray,
    ...rest: [...View, number, ...MaskArgs, boolean]
  ): BindingResult;
  logSoftmaxBackward(
    logp: FloatArray,
    dy: FloatArray,
    out: FloatArray,
    ...rest: [...View, number, ...MaskArgs, boolean]
  ): BindingResult;
  softmaxJacobian(
    y: FloatArray,
    out: FloatArray,
    ...rest: [...View, number, ...MaskArgs, boolean]
  ): BindingResult;
  softmaxCrossEntropy(
    logits: FloatArray,
    labels: Int32Array | null,
    ignoreIndex: number,
    probabilities: FloatArray | null,
    weights: FloatArray | null,
    labelSmoothing: number,
    gradScale: number,
    lossScale: number,
    lossOut: FloatArray,
    gradOut: FloatArray,
    ...rest: [...View, boolean]
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
}
