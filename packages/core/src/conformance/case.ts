/** What one conformance case is, and what it needs from the backend. */
import type { Capabilities } from '../backend.js';
import type { AsyncOps } from '../options.js';
import type { DType, OpName } from '../types.js';

/** Everything the case generators may know about the backend under test (all of it declared). */
export interface BackendInfo {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** The ops the backend has kernels for. */
  readonly ops: readonly OpName[];
}

/** How a case calls the ops: the async ones, or the sync ones made to look the same. */
export type CallMode = 'async' | 'sync';

export interface CaseContext {
  /** The backend's ops through the public API. */
  readonly ops: AsyncOps;
  readonly mode: CallMode;
  readonly backend: BackendInfo;
}

export interface ConformanceCase {
  readonly name: string;
  /** Ops the case calls; a backend without one of these kernels skips the case. */
  readonly ops: readonly OpName[];
  /** Element types the case passes; a backend that does not declare one skips the case. */
  readonly dtypes: readonly DType[];
  /** The largest array (in elements) the case passes or gets back, checked against maxElements. */
  readonly elements: number;
  readonly run: (context: CaseContext) => Promise<void>;
}

/** A named list of cases; registered as one `describe`. */
export interface CaseGroup {
  readonly name: string;
  readonly cases: readonly ConformanceCase[];
}

/** Builds a group's cases; generators see the declared capabilities (e.g. to test a missing dtype). */
export type GroupBuilder = (backend: BackendInfo) => CaseGroup;
