import type { JacobianArgs } from '@softmax-kit/core';

/**
 * J[o, j, i, k] = (y_j [j == k] - y_j y_k) * invT for each slice (o, i); 0 in every row and
 * column of a position that does not take part. Meant for small n; written in output order.
 */
export function softmaxJacobian(args: JacobianArgs): void {
  const { view, mask, y, out, invTemperature: invT } = args;
  const { outer, n, inner } = view;
  let q = 0;
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    const mo = mask === null || mask.dense ? 0 : mask.outerOffsets[o];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < inner; i++) {
        const yj = y[block + j * inner + i];
        if (mask === null) {
          for (let k = 0; k < n; k++) {
            const t = yj * y[block + k * inner + i];
            out[q++] = (j === k ? yj - t : -t) * invT;
          }
          continue;
        }
        const md = mask.data;
        // Mask index of (o, m, i) is mb + m * ms, dense or broadcast.
        const mb = mask.dense ? block + i : mo + mask.innerOffsets[i];
        const ms = mask.dense ? inner : mask.nStride;
        const takeJ = md[mb + j * ms] !== 0;
        for (let k = 0; k < n; k++) {
          if (!takeJ || md[mb + k * ms] === 0) {
            out[q++] = 0;
            continue;
          }
          const t = yj * y[block + k * inner + i];
          out[q++] = (j === k ? yj - t : -t) * invT;
        }
      }
    }
  }
}
