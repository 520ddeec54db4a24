/**
 * The requests a running implementation answers and its replies: the case driver's language.
 * The same messages travel over IPC to a worker process (the CLI) or are answered in the same
 * JS realm (the browser page). Browser-safe.
 */
import type { GateResult } from './gate.js';
import type { ImplKind, Mode } from './impls/types.js';
import type { Expected, OpId, Workload } from './workloads.js';

/** The reference as files (over IPC: 16 MB of float64 is not sent as JSON). */
export interface ExpectedFiles {
  out?: string;
  grad?: string;
  loss?: number;
}

/** `E`: how the reference travels: in memory (Expected) or as files (ExpectedFiles, over IPC). */
export type Request<E = Expected> =
  | { t: 'load' }
  | { t: 'prepare'; op: OpId; workload: Workload; seed: number; expected: E | null }
  | { t: 'warmup'; mode: Mode; minCalls: number; minMs: number; maxMs: number }
  | { t: 'round'; mode: Mode; targetMs: number; estimateMs: number; maxSamples: number }
  | { t: 'release' }
  | { t: 'exit' };

export interface ModeCheck {
  /** false: this implementation has no such mode */
  available: boolean;
  gate?: GateResult;
  /** the call threw */
  error?: string;
}

export type Failure = { ok: false; error: string };

export type Reply =
  | {
      ok: true;
      t: 'loaded';
      id: string;
      label: string;
      kind: ImplKind;
      detail: string;
      modes: Partial<Record<Mode, string>>;
    }
  | { ok: true; t: 'prepared'; supported: true | string; modes: Partial<Record<Mode, ModeCheck>> }
  | { ok: true; t: 'warm'; estimateMs: number }
  | { ok: true; t: 'samples'; samples: number[] }
  | { ok: true; t: 'done' }
  | Failure;

export type ReplyOf<T extends string> = Extract<Reply, { t: T }>;

/** The reply as the kind expected, or a failure (also when another kind came back). */
export function replyOf<T extends Exclude<Reply, Failure>['t']>(r: Reply, t: T): ReplyOf<T> | Failure {
  if (!r.ok) return r;
  if (r.t !== t) return { ok: false, error: `expected a '${t}' reply, got '${r.t}'` };
  return r as ReplyOf<T>;
}

export interface Envelope<T> {
  id: number;
  body: T;
}
