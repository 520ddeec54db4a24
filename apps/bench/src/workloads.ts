/**
 * What the bench measures: the ops, the standard workloads, the bytes counted for each,
 * and the deterministic inputs every implementation (in every process) rebuilds identically.
 * Browser-safe: no Node imports.
 */

import { seededRandom } from '@softmax-kit/core/conformance';

export type OpId = 'softmax' | 'logSoftmax' | 'maskedSoftmax' | 'softmaxBackward' | 'crossEntropy';

export const OP_IDS: readonly OpId[] = [
  'softmax',
  'logSoftmax',
  'maskedSoftmax',
  'softmaxBackward',
  'crossEntropy',
];

export interface OpInfo {
  readonly id: OpId;
  readonly label: string;
  /** Bytes of memory traffic counted per element of the [rows, cols] tensor. */
  readonly bytesPerElement: number;
  /** Bytes counted per row on top (labels). */
  readonly bytesPerRow: number;
  /** What is counted, for the docs and the report. */
  readonly bytesDoc: string;
}

export const OPS: Readonly<Record<OpId, OpInfo>> = {
  softmax: {
    id: 'softmax',
    label: 'softmax',
    bytesPerElement: 8,
    bytesPerRow: 0,
    bytesDoc: 'reads x, writes y: 4 + 4 = 8 B/element',
  },
  logSoftmax: {
    id: 'logSoftmax',
    label: 'log-softmax',
    bytesPerElement: 8,
    bytesPerRow: 0,
    bytesDoc: 'reads x, writes log y: 4 + 4 = 8 B/element',
  },
  maskedSoftmax: {
    id: 'maskedSoftmax',
    label: 'masked softmax',
    bytesPerElement: 9,
    bytesPerRow: 0,
    bytesDoc: 'reads x (4) and a same-shape uint8/bool mask (1), writes y (4): 9 B/element',
  },
  softmaxBackward: {
    id: 'softmaxBackward',
    label: 'softmax backward',
    bytesPerElement: 12,
    bytesPerRow: 0,
    bytesDoc: 'reads y and dy, writes dx: 4 + 4 + 4 = 12 B/element',
  },
  crossEntropy: {
    id: 'crossEntropy',
    label: 'cross-entropy (loss + grad)',
    bytesPerElement: 8,
    bytesPerRow: 4,
    bytesDoc:
      'reads logits (4), writes grad (4): 8 B/element, plus 4 B/row of int32 labels (loss is one scalar)',
  },
};

export interface Workload {
  /** e.g. '4096x1024' */
  readonly id: string;
  readonly rows: number;
  readonly cols: number;
}

export const WORKLOADS: readonly Workload[] = [
  { id: '4096x1024', rows: 4096, cols: 1024 },
  { id: '32768x128', rows: 32768, cols: 128 },
  { id: '64x32000', rows: 64, cols: 32000 },
  { id: '1x1e6', rows: 1, cols: 1_000_000 },
  { id: '1x10', rows: 1, cols: 10 },
];

/** Parses '4096x1024', '1x1e6' (any positive integers, 'e' notation allowed). */
export function parseWorkload(id: string): Workload {
  const known = WORKLOADS.find((w) => w.id === id);
  if (known) return known;
  const m = /^(\d+(?:e\d+)?)x(\d+(?:e\d+)?)$/i.exec(id.trim());
  if (!m) throw new Error(`bad size '${id}': expected ROWSxCOLS, e.g. 4096x1024 or 1x1e6`);
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`bad size '${id}': rows and cols must be positive integers`);
  }
  return { id, rows, cols };
}

export function elementsOf(w: Workload): number {
  return w.rows * w.cols;
}

export function bytesCounted(op: OpId, w: Workload): number {
  const info = OPS[op];
  return info.bytesPerElement * w.rows * w.cols + info.bytesPerRow * w.rows;
}

/** GB/s (1e9 bytes) for `bytes` moved in `ms`. */
export function gbPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? bytes / (ms * 1e6) : Number.NaN;
}

export function caseId(op: OpId, w: Workload): string {
  return `${op}@${w.id}`;
}

/** The inputs of one case, as float32 / uint8 / int32 arrays over a [rows, cols] layout. */
export interface CaseInputs {
  readonly op: OpId;
  readonly rows: number;
  readonly cols: number;
  /** logits (softmax, logSoftmax, maskedSoftmax, crossEntropy) */
  readonly x?: Float32Array;
  /** softmax output (softmaxBackward); `x` holds the logits it came from (for autodiff peers) */
  readonly y?: Float32Array;
  /** upstream gradient (softmaxBackward) */
  readonly dy?: Float32Array;
  /** same shape as x, non-zero = takes part (maskedSoftmax); every row has a part */
  readonly mask?: Uint8Array;
  /** one class per row, in [0, cols) (crossEntropy) */
  readonly labels?: Int32Array;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function uniform(n: number, lo: number, hi: number, r: () => number): Float32Array {
  const a = new Float32Array(n);
  const span = hi - lo;
  for (let i = 0; i < n; i++) a[i] = lo + span * r();
  return a;
}

/** float32 softmax rows computed in float64 (used only to build a valid `y` input). */
function softmaxRows(x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (x[o + j] > m) m = x[o + j];
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[o + j] - m);
    for (let j = 0; j < cols; j++) y[o + j] = Math.exp(x[o + j] - m) / s;
  }
  return y;
}

/** Builds the inputs of a case; the same (op, workload, seed) gives the same bytes everywhere. */
export function makeInputs(op: OpId, w: Workload, seed = 1): CaseInputs {
  const r = seededRandom(hash(`${op}:${w.rows}x${w.cols}:${seed}`));
  const n = w.rows * w.cols;
  const base = { op, rows: w.rows, cols: w.cols };
  switch (op) {
    case 'softmax':
    case 'logSoftmax':
      return { ...base, x: uniform(n, -8, 8, r) };
    case 'maskedSoftmax': {
      const x = uniform(n, -8, 8, r);
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = r() < 0.8 ? 1 : 0;
      // every row keeps at least one position (fully masked rows are a semantics test, not a workload)
      for (let row = 0; row < w.rows; row++) mask[row * w.cols + Math.floor(r() * w.cols)] = 1;
      return { ...base, x, mask };
    }
    case 'softmaxBackward': {
      const x = uniform(n, -8, 8, r);
      return { ...base, x, y: softmaxRows(x, w.rows, w.cols), dy: uniform(n, -1, 1, r) };
    }
    case 'crossEntropy': {
      const x = uniform(n, -8, 8, r);
      const labels = new Int32Array(w.rows);
      for (let i = 0; i < w.rows; i++) labels[i] = Math.floor(r() * w.cols);
      return { ...base, x, labels };
    }
  }
}

/** What an implementation returns for one call: `out`, or `loss` + `grad` for cross-entropy. */
export interface CaseResult {
  out?: ArrayLike<number>;
  loss?: number;
  grad?: ArrayLike<number>;
}

/** The float64 expected result of a case. */
export interface Expected {
  out?: Float64Array;
  loss?: number;
  grad?: Float64Array;
}
