/**
 * The gradients' bound is relative to the magnitude of their terms (conformance/gradient-bound.ts):
 * a correct float32 kernel passes where dy_j and exp(logp_j) * sum(dy) nearly cancel (a bound
 * relative to |ref| would fail it), and a kernel off by 1e-4 still fails.
 */
import { describe, expect, it } from 'vitest';
import { backwardMagnitudes } from '../src/conformance/gradient-bound.js';
import { assertClose, toleranceFor } from '../src/conformance/index.js';
import * as reference from '../src/reference/index.js';
import type { Tensor } from '../src/types.js';

const T = 0.0214;
// dy_0 = 3 = p_0 * sum(dy) = 0.5 * 6: the first element is a difference of two terms of 3 / T.
const logp: Tensor = { data: Float32Array.from([0.5, 0.3, 0.2], Math.log), shape: [3] };
const dy: Tensor = { data: Float32Array.of(3, 1, 2), shape: [3] };
const options = { temperature: T };

/** logSoftmaxBackward as a float32 kernel computes it: every operation rounded to float32. */
function float32Kernel(scale = 1): Float32Array {
  let sum = 0;
  for (const v of dy.data) sum = Math.fround(sum + v);
  const invT = Math.fround(1 / T);
  return Float32Array.from(logp.data, (l, j) => {
    const term = Math.fround(Math.fround(Math.exp(l)) * sum);
    return Math.fround(Math.fround(dy.data[j] - term) * invT) * scale;
  });
}

describe('the gradient bound under cancellation (logSoftmaxBackward, float32, T = 0.0214)', () => {
  const want = reference.logSoftmaxBackward(logp, dy, options).data;
  const tolerance = toleranceFor('float32', 'gradient');
  const magnitudes = backwardMagnitudes('logSoftmaxBackward', logp, dy, options);

  it('M_j = (|dy_j| + exp(logp_j) sum_k |dy_k|) / T', () => {
    expect(magnitudes[0]).toBeCloseTo((3 + 0.5 * 6) / T, 3);
    expect(magnitudes[1]).toBeCloseTo((1 + 0.3 * 6) / T, 3);
    // The first element is tiny next to its terms: the cancellation.
    expect(Math.abs(want[0])).toBeLessThan(1e-4 * magnitudes[0]);
  });

  it('a correct float32 kernel fails a bound relative to |ref| and passes the bound relative to M', () => {
    const got = float32Kernel();
    expect(() => assertClose(got, want, 'relative to |ref|', { tolerance })).toThrow(
      /1 of 3 elements differ/,
    );
    expect(() => assertClose(got, want, 'relative to M', { tolerance, magnitudes })).not.toThrow();
  });

  it('a kernel off by 1e-4 relative still fails the bound relative to M', () => {
    expect(() =>
      assertClose(float32Kernel(1 + 1e-4), want, 'off by 1e-4', { tolerance, magnitudes }),
    ).toThrow(/elements differ/);
  });
});
