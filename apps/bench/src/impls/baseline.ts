/**
 * "Plain three-pass JS": what one writes without thinking about memory traffic, on Float32Array.
 * softmax: a max pass, a Math.exp + sum pass writing the output, a scale pass. The other ops
 * are written the same plain way. The js backend's goal is >= 2x this.
 * Browser-safe.
 */
import type { CaseInputs, CaseResult } from '../workloads.js';
import type { Impl, ImplFactory, PreparedCase } from './types.js';

function softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number, mask?: Uint8Array) {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = o; j < o + cols; j++) if ((!mask || mask[j]) && x[j] > m) m = x[j];
    let s = 0;
    for (let j = o; j < o + cols; j++) {
      const e = !mask || mask[j] ? Math.exp(x[j] - m) : 0;
      out[j] = e;
      s += e;
    }
    const inv = s > 0 ? 1 / s : 0;
    for (let j = o; j < o + cols; j++) out[j] *= inv;
  }
  return out;
}

function logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number) {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = o; j < o + cols; j++) if (x[j] > m) m = x[j];
    let s = 0;
    for (let j = o; j < o + cols; j++) s += Math.exp(x[j] - m);
    const lse = m + Math.log(s);
    for (let j = o; j < o + cols; j++) out[j] = x[j] - lse;
  }
  return out;
}

function backwardRows(y: Float32Array, dy: Float32Array, out: Float32Array, rows: number, cols: number) {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = o; j < o + cols; j++) s += y[j] * dy[j];
    for (let j = o; j < o + cols; j++) out[j] = y[j] * (dy[j] - s);
  }
  return out;
}

function crossEntropyRows(
  x: Float32Array,
  labels: Int32Array,
  grad: Float32Array,
  rows: number,
  cols: number,
) {
  let loss = 0;
  const scale = 1 / rows;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = o; j < o + cols; j++) if (x[j] > m) m = x[j];
    let s = 0;
    for (let j = o; j < o + cols; j++) {
      const e = Math.exp(x[j] - m);
      grad[j] = e;
      s += e;
    }
    const inv = scale / s;
    for (let j = o; j < o + cols; j++) grad[j] *= inv;
    grad[o + labels[r]] -= scale;
    loss -= x[o + labels[r]] - m - Math.log(s);
  }
  return loss * scale;
}

export function baselineRun(inp: CaseInputs, out: Float32Array): CaseResult {
  const { rows, cols } = inp;
  switch (inp.op) {
    case 'softmax':
      return { out: softmaxRows(inp.x!, out, rows, cols) };
    case 'maskedSoftmax':
      return { out: softmaxRows(inp.x!, out, rows, cols, inp.mask) };
    case 'logSoftmax':
      return { out: logSoftmaxRows(inp.x!, out, rows, cols) };
    case 'softmaxBackward':
      return { out: backwardRows(inp.y!, inp.dy!, out, rows, cols) };
    case 'crossEntropy':
      return { loss: crossEntropyRows(inp.x!, inp.labels!, out, rows, cols), grad: out };
  }
}

export const create: ImplFactory = () => {
  const impl: Impl = {
    id: 'baseline',
    label: 'plain 3-pass JS',
    kind: 'baseline',
    modes: {
      e2e: 'allocates a new Float32Array output per call',
      kernel: 'writes into a preallocated output',
    },
    async load() {
      return { detail: 'max pass, Math.exp + sum pass writing the output, scale pass; Float32Array' };
    },
    supports: () => true,
    async prepare(inp): Promise<PreparedCase> {
      const n = inp.rows * inp.cols;
      const out = new Float32Array(n);
      return {
        calls: {
          e2e: () => baselineRun(inp, new Float32Array(n)),
          kernel: () => baselineRun(inp, out),
        },
        result: (mode) => baselineRun(inp, mode === 'e2e' ? new Float32Array(n) : out),
      };
    },
  };
  return impl;
};
