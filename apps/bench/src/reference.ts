/**
 * Expected results for the gate, from `@softmax-kit/core/reference` (float64, same arguments
 * as the public API). Should that module fail to load, a small float64 reference local to the
 * bench is used instead and the run says so loudly (source: 'bench-local').
 * Browser-safe (the core reference is loaded with a dynamic import).
 */
import { memberOf } from './untyped.js';
import type { CaseInputs, Expected } from './workloads.js';

interface T {
  data: Float32Array | Float64Array | Uint8Array | Int32Array;
  shape: readonly number[];
}

/** The subset of the core reference the bench calls. */
export interface ReferenceModule {
  softmax(x: T, options?: object): { data: ArrayLike<number> };
  logSoftmax(x: T, options?: object): { data: ArrayLike<number> };
  softmaxBackward(y: T, dy: T, options?: object): { data: ArrayLike<number> };
  softmaxCrossEntropy(
    logits: T,
    target: T,
    options?: object,
  ): { loss: { data: ArrayLike<number> }; grad: { data: ArrayLike<number> } };
}

export interface Reference {
  /** 'core' = @softmax-kit/core/reference; 'bench-local' = the fallback below */
  source: 'core' | 'bench-local';
  /** why the core reference could not be used, when it could not */
  note?: string;
  expected(inputs: CaseInputs): Expected;
}

function f64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

export function referenceFrom(mod: ReferenceModule, source: Reference['source'], note?: string): Reference {
  return {
    source,
    ...(note ? { note } : {}),
    expected(inp: CaseInputs): Expected {
      const shape = [inp.rows, inp.cols];
      const t = <A extends T['data']>(data: A | undefined): T => {
        if (!data) throw new Error(`input missing for ${inp.op}`);
        return { data, shape };
      };
      switch (inp.op) {
        case 'softmax':
          return { out: f64(mod.softmax(t(inp.x), { axis: -1 }).data) };
        case 'logSoftmax':
          return { out: f64(mod.logSoftmax(t(inp.x), { axis: -1 }).data) };
        case 'maskedSoftmax':
          return { out: f64(mod.softmax(t(inp.x), { axis: -1, where: t(inp.mask) }).data) };
        case 'softmaxBackward':
          return { out: f64(mod.softmaxBackward(t(inp.y), t(inp.dy), { axis: -1 }).data) };
        case 'crossEntropy': {
          const r = mod.softmaxCrossEntropy(
            t(inp.x),
            { data: inp.labels!, shape: [inp.rows] },
            { reduction: 'mean' },
          );
          return { loss: Number(r.loss.data[0]), grad: f64(r.grad.data) };
        }
      }
    },
  };
}

/** Minimal float64 reference over the last axis (fallback only; the core one is authoritative). */
export const localReference: ReferenceModule = {
  softmax(x, options) {
    const where = (options as { where?: T } | undefined)?.where?.data;
    const [rows, cols] = [x.shape[0], x.shape[1]];
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < cols; j++) if ((!where || where[o + j]) && x.data[o + j] > m) m = x.data[o + j];
      if (m === Number.NEGATIVE_INFINITY) continue;
      let s = 0;
      for (let j = 0; j < cols; j++) if (!where || where[o + j]) s += Math.exp(x.data[o + j] - m);
      for (let j = 0; j < cols; j++)
        out[o + j] = !where || where[o + j] ? Math.exp(x.data[o + j] - m) / s : 0;
    }
    return { data: out };
  },
  logSoftmax(x) {
    const [rows, cols] = [x.shape[0], x.shape[1]];
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < cols; j++) if (x.data[o + j] > m) m = x.data[o + j];
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(x.data[o + j] - m);
      const lse = m + Math.log(s);
      for (let j = 0; j < cols; j++) out[o + j] = x.data[o + j] - lse;
    }
    return { data: out };
  },
  softmaxBackward(y, dy) {
    const [rows, cols] = [y.shape[0], y.shape[1]];
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += y.data[o + j] * dy.data[o + j];
      for (let j = 0; j < cols; j++) out[o + j] = y.data[o + j] * (dy.data[o + j] - s);
    }
    return { data: out };
  },
  softmaxCrossEntropy(logits, target) {
    const [rows, cols] = [logits.shape[0], logits.shape[1]];
    const grad = new Float64Array(rows * cols);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < cols; j++) if (logits.data[o + j] > m) m = logits.data[o + j];
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(logits.data[o + j] - m);
      const label = target.data[r];
      loss += -(logits.data[o + label] - m - Math.log(s));
      for (let j = 0; j < cols; j++)
        grad[o + j] = (Math.exp(logits.data[o + j] - m) / s - (j === label ? 1 : 0)) / rows;
    }
    return { loss: { data: [loss / rows] }, grad: { data: grad } };
  },
};

/** Throws, naming the first missing function, unless mod has the four functions used here. */
function assertReferenceModule(mod: unknown): asserts mod is ReferenceModule {
  for (const name of ['softmax', 'logSoftmax', 'softmaxBackward', 'softmaxCrossEntropy']) {
    if (typeof memberOf(mod, name) !== 'function')
      throw new Error(`@softmax-kit/core/reference has no ${name}()`);
  }
}

/** Loads the core reference, or the local fallback with the reason. */
export async function loadReference(): Promise<Reference> {
  try {
    const mod: unknown = await import('@softmax-kit/core/reference');
    assertReferenceModule(mod);
    return referenceFrom(mod, 'core');
  } catch (e) {
    return referenceFrom(
      localReference,
      'bench-local',
      `@softmax-kit/core/reference unavailable (${(e as Error).message}); using the bench's own float64 reference`,
    );
  }
}
