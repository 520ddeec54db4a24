/** Messages between the coordinator and a worker process (one implementation per worker). */
import type { GateResult } from './gate.js';
import type { ImplKind, Mode } from './impls/types.js';
import type { OpId, Workload } from './workloads.js';

export interface ExpectedFiles {
  out?: string;
  grad?: string;
  loss?: number;
}

export type Request =
  | { t: 'load' }
  | { t: 'prepare'; op: OpId; workload: Workload; seed: number; expected: ExpectedFiles | null }
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
  | { ok: false; error: string };

export interface Envelope<T> {
  id: number;
  body: T;
}
