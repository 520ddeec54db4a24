/**
 * The shape every measured implementation has: ours (softmax-kit backends), the plain JS
 * baseline, peers (TensorFlow.js, ONNX Runtime) and the memory-copy limit.
 * Browser-safe.
 */
import type { CaseInputs, CaseResult, OpId } from '../workloads.js';

/** end to end as a user pays it (input to output in JS memory, fresh output), or kernel only. */
export type Mode = 'e2e' | 'kernel';
export const MODES: readonly Mode[] = ['e2e', 'kernel'];

export type ImplKind = 'ours' | 'baseline' | 'peer' | 'limit';

/** One call of a mode; may return a Promise (awaited inside the timing). */
export type Call = () => unknown;

export interface PreparedCase {
  /** The timed calls; a missing mode is not available for this implementation. */
  readonly calls: Partial<Record<Mode, Call>>;
  /**
   * Optional: calls of a mode that resolve to their own device time in ms (GPU timestamp
   * queries); where present, rounds record these times instead of wall times.
   */
  readonly deviceTimed?: Partial<Record<Mode, () => Promise<number>>>;
  /**
   * Optional: makes this implementation current before its calls run, where implementations
   * share one JS realm (the browser page): tfjs selects its backend. Not timed.
   */
  activate?(): void | Promise<void>;
  /** Runs one call of `mode` and returns its result in JS memory, for the correctness gate. */
  result(mode: Mode): Promise<CaseResult> | CaseResult;
  dispose?(): void | Promise<void>;
}

export interface LoadInfo {
  /** e.g. library version, backend name, adapter, threads */
  readonly detail: string;
}

export interface Impl {
  readonly id: string;
  readonly label: string;
  readonly kind: ImplKind;
  /** What 'e2e' and 'kernel' mean for this implementation (documented in the report). */
  readonly modes: Partial<Record<Mode, string>>;
  /** Throws when it cannot load; the error is reported. */
  load(): Promise<LoadInfo>;
  /** true, or why this op is not measured here. */
  supports(op: OpId): true | string;
  prepare(inputs: CaseInputs): Promise<PreparedCase>;
  dispose?(): void | Promise<void>;
}

/** Options given to an implementation's factory (from the registry and the flags). */
export interface ImplOptions {
  readonly threads?: number;
  readonly [key: string]: unknown;
}

export type ImplFactory = (options: ImplOptions) => Impl;
