import type { FloatArray, LogSoftmaxBackwardArgs, MaskView, View } from '@softmax-kit/core';
import { fastExp } from './fast-exp.js';
import { LANES, type Workspace } from './workspace.js';

const NO_OFFSETS = new Int32Array(0);

/**
 * out = (dy - exp(logp) * sum(dy)) * invT along n, the sum over the positions that take part;
 * positions masked out or with logp = -Infinity get 0 and their dy is ignored.
 */
export function logSoftmaxBackward(args: LogSoftmaxBackwardArgs, ws: Workspace): void {
  const { view, mask, logp, dy, out, invTemperature } = args;
  if (view.inner !== 1 || mask !== null) {
    backwardStrided(view, mask, logp, dy, out, invTemperature, ws);
  } else if (ws.fastExp && logp instanceof Float32Array) {
    backwardRowsF32(logp, dy, out, view.outer, view.n, invTemperature);
  } else {
    backwardRows(logp, dy, out, view.outer, view.n, invTemperature);
  }
}

function backwardRowsF32(
  logp: Float32Array,
  dy: FloatArray,
  out: FloatArray,
  outer: number,
  n: number,
  invT: number,
): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    let s = 0;
    for (let j = start; j < end; j++) if (logp[j] !== -Infinity) s += dy[j];
    for (let j = start; j < end; j++) {
      const lp = logp[j];
      out[j] = lp === -Infinity ? 0 : (dy[j] - fastExp(lp) * s) * invT;
    }
  }
}

function backwardRows(
  logp: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  outer: number,
  n: number,
  invT: number,
): void {
  for (let o = 0; o < outer; o++) {
    const start = o * n;
    const end = start + n;
    let s = 0;
    for (let j = start; j < end; j++) if (logp[j] !== -Infinity) s += dy[j];
    for (let j = start; j < end; j++) {
      const lp = logp[j];
      out[j] = lp === -Infinity ? 0 : (dy[j] - Math.exp(lp) * s) * invT;
    }
  }
}

/** Any axis and mask: LANES neighbouring slices advance together through the [n, inner] block. */
function backwardStrided(
  view: View,
  mask: MaskView | null,
  logp: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  invT: number,
  ws: Workspace,
): void {
  const { outer, n, inner } = view;
  const L = ws.lanes;
  const fast = ws.fastExp && logp instanceof Float32Array;
  const md = mask === null ? null : mask.data;
  const dense = mask?.dense === true;
  const ns = mask === null ? 0 : mask.nStride;
  const io = mask === null ? NO_OFFSETS : mask.innerOffsets;
  for (let o = 0; o < outer; o++) {
    const mo = mask === null || dense ? 0 : mask.outerOffsets[o];
    const block = o * n * inner;
    for (let i0 = 0; i0 < inner; i0 += LANES) {
      const w = Math.min(LANES, inner - i0);
      for (let l = 0; l < w; l++) L[l] = 0;
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          if (logp[row + l] === -Infinity) continue;
          if (md !== null && md[dense ? row + l : mrow + io[i0 + l]] === 0) continue;
          L[l] += dy[row + l];
        }
      }
      for (let j = 0; j < n; j++) {
        const row = block + j * inner + i0;
        const mrow = mo + j * ns;
        for (let l = 0; l < w; l++) {
          const lp = logp[row + l];
          const take = lp !== -Infinity && (md === null || md[dense ? row + l : mrow + io[i0 + l]] !== 0);
          out[row + l] = take ? (dy[row + l] - (fast ? fastExp(lp) : Math.exp(lp)) * L[l]) * invT : 0;
        }
      }
    }
  }
}
