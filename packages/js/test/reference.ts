/**
 * An independent, deliberately plain float64 implementation of the kernel semantics, used only
 * by the tests. One slice at a time, indices spelled out, no tricks shared with src/.
 */

export interface Dims {
  outer: number;
  n: number;
  inner: number;
}

/** takes(o, j, i): does element (o, j, i) take part. */
export type Takes = (o: number, j: number, i: number) => boolean;

export const everything: Takes = () => true;

const at = (d: Dims, o: number, j: number, i: number): number => (o * d.n + j) * d.inner + i;

/** The per-slice forward results: softmax, log-softmax, log-sum-exp. */
function forwardSlice(values: number[], takes: boolean[], invT: number) {
  const n = values.length;
  // A -Infinity input behaves exactly like a masked one.
  const part = values.map((v, j) => takes[j] && v !== -Infinity);
  const soft = new Array<number>(n).fill(0);
  const logs = new Array<number>(n).fill(-Infinity);
  if (part.some((p, j) => p && Number.isNaN(values[j]))) {
    for (let j = 0; j < n; j++) {
      if (part[j]) {
        soft[j] = Number.NaN;
        logs[j] = Number.NaN;
      }
    }
    return { soft, logs, lse: Number.NaN };
  }
  const nPart = part.filter(Boolean).length;
  if (nPart === 0) return { soft, logs, lse: -Infinity };
  const kInf = values.filter((v, j) => part[j] && v === Infinity).length;
  if (kInf > 0) {
    for (let j = 0; j < n; j++) {
      if (part[j] && values[j] === Infinity) {
        soft[j] = 1 / kInf;
        logs[j] = -Math.log(kInf);
      }
    }
    return { soft, logs, lse: Infinity };
  }
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (part[j]) max = Math.max(max, values[j] * invT);
  let sum = 0;
  for (let j = 0; j < n; j++) if (part[j]) sum += Math.exp(values[j] * invT - max);
  const logSum = Math.log(sum);
  for (let j = 0; j < n; j++) {
    if (part[j]) {
      soft[j] = Math.exp(values[j] * invT - max) / sum;
      // Subtract max first: x - (max + log sum) would lose log sum next to a large max.
      logs[j] = values[j] * invT - max - logSum;
    }
  }
  const lse = max + logSum;
  return { soft, logs, lse };
}

function slice(d: Dims, data: ArrayLike<number>, o: number, i: number): number[] {
  const r: number[] = [];
  for (let j = 0; j < d.n; j++) r.push(data[at(d, o, j, i)]);
  return r;
}

function sliceTakes(d: Dims, takes: Takes, o: number, i: number): boolean[] {
  const r: boolean[] = [];
  for (let j = 0; j < d.n; j++) r.push(takes(o, j, i));
  return r;
}

export function refForward(d: Dims, x: ArrayLike<number>, takes: Takes, invT: number) {
  const soft = new Float64Array(d.outer * d.n * d.inner);
  const logs = new Float64Array(soft.length);
  const lse = new Float64Array(d.outer * d.inner);
  for (let o = 0; o < d.outer; o++) {
    for (let i = 0; i < d.inner; i++) {
      const r = forwardSlice(slice(d, x, o, i), sliceTakes(d, takes, o, i), invT);
      for (let j = 0; j < d.n; j++) {
        soft[at(d, o, j, i)] = r.soft[j];
        logs[at(d, o, j, i)] = r.logs[j];
      }
      lse[o * d.inner + i] = r.lse;
    }
  }
  return { soft, logs, lse };
}

export function refSoftmaxBackward(
  d: Dims,
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  takes: Takes,
  invT: number,
): Float64Array {
  const out = new Float64Array(y.length);
  for (let o = 0; o < d.outer; o++) {
    for (let i = 0; i < d.inner; i++) {
      let s = 0;
      for (let j = 0; j < d.n; j++) {
        const k = at(d, o, j, i);
        if (takes(o, j, i) && y[k] !== 0) s += y[k] * dy[k];
      }
      for (let j = 0; j < d.n; j++) {
        const k = at(d, o, j, i);
        out[k] = takes(o, j, i) && y[k] !== 0 ? y[k] * (dy[k] - s) * invT : 0;
      }
    }
  }
  return out;
}

export function refLogSoftmaxBackward(
  d: Dims,
  logp: ArrayLike<number>,
  dy: ArrayLike<number>,
  takes: Takes,
  invT: number,
): Float64Array {
  const out = new Float64Array(logp.length);
  for (let o = 0; o < d.outer; o++) {
    for (let i = 0; i < d.inner; i++) {
      let s = 0;
      for (let j = 0; j < d.n; j++) {
        const k = at(d, o, j, i);
        if (takes(o, j, i) && logp[k] !== -Infinity) s += dy[k];
      }
      for (let j = 0; j < d.n; j++) {
        const k = at(d, o, j, i);
        out[k] = takes(o, j, i) && logp[k] !== -Infinity ? (dy[k] - Math.exp(logp[k]) * s) * invT : 0;
      }
    }
  }
  return out;
}

export function refJacobian(d: Dims, y: ArrayLike<number>, takes: Takes, invT: number): Float64Array {
  const out = new Float64Array(y.length * d.n);
  for (let o = 0; o < d.outer; o++) {
    for (let j = 0; j < d.n; j++) {
      for (let i = 0; i < d.inner; i++) {
        for (let k = 0; k < d.n; k++) {
          const yj = y[at(d, o, j, i)];
          const yk = y[at(d, o, k, i)];
          const both = takes(o, j, i) && takes(o, k, i);
          out[at(d, o, j, i) * d.n + k] = both ? ((j === k ? yj : 0) - yj * yk) * invT : 0;
        }
      }
    }
  }
  return out;
}

export interface RefCrossEntropy {
  labels?: ArrayLike<number>;
  ignoreIndex?: number;
  probabilities?: ArrayLike<number>;
  labelSmoothing: number;
  weights: ArrayLike<number> | null;
  gradScale: number;
  /** What each sample's loss is multiplied by (core's lossScale); default 1. */
  lossScale?: number;
}

export function refCrossEntropy(d: Dims, logits: ArrayLike<number>, t: RefCrossEntropy) {
  const loss = new Float64Array(d.outer * d.inner);
  const grad = new Float64Array(logits.length);
  const e = t.labelSmoothing;
  for (let o = 0; o < d.outer; o++) {
    for (let i = 0; i < d.inner; i++) {
      const z = slice(d, logits, o, i);
      const { logs } = forwardSlice(
        z,
        z.map(() => true),
        1,
      );
      const a: number[] = [];
      for (let c = 0; c < d.n; c++) {
        const w = t.weights === null ? 1 : t.weights[c];
        if (t.labels !== undefined) {
          const y = t.labels[o * d.inner + i];
          a.push(y === t.ignoreIndex ? 0 : (1 - e) * w * (c === y ? 1 : 0) + (e / d.n) * w);
        } else if (t.probabilities !== undefined) {
          a.push(w * ((1 - e) * t.probabilities[at(d, o, c, i)] + e / d.n));
        }
      }
      const sumA = a.reduce((p, q) => p + q, 0);
      let l = 0;
      for (let c = 0; c < d.n; c++) if (a[c] !== 0) l -= a[c] * logs[c];
      loss[o * d.inner + i] = (t.lossScale ?? 1) * l;
      const ignored = t.labels !== undefined && t.labels[o * d.inner + i] === t.ignoreIndex;
      for (let c = 0; c < d.n; c++) {
        grad[at(d, o, c, i)] = ignored ? 0 : t.gradScale * (Math.exp(logs[c]) * sumA - a[c]);
      }
    }
  }
  return { loss, grad };
}
