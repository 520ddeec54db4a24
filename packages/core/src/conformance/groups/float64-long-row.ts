/**
 * One float64 row of 2^24 + 3 elements: its softmax sums to 1 within 1e-12, which a plain
 * float64 sum misses (its error grows to a few 1e-12 at this length). The row repeats a period
 * of 4099 random values, so the expected values come from the period alone, in float64 with a
 * compensated sum (the general reference would take seconds and gigabytes here).
 */
import { accurateSum } from '../../reference/sum.js';
import { check, fail } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { makeCase } from '../generate.js';
import { uniformValues } from '../random.js';
import { toleranceFor } from '../tolerance.js';

const LENGTH = 2 ** 24 + 3;
const PERIOD = 4099;

export function float64LongRowCase(): ConformanceCase {
  const name = `softmax of one float64 row of 2^24 + 3 elements sums to 1 within 1e-12 [float64]`;
  return makeCase(name, ['softmax'], ['float64'], LENGTH, async (context) => {
    const period = uniformValues(PERIOD, 24, 8);
    const x = new Float64Array(LENGTH);
    for (let k = 0; k < LENGTH; k++) x[k] = period[k % PERIOD];
    const got = await context.ops.softmax({ data: x, shape: [1, LENGTH] });
    for (let k = 0; k < LENGTH; k++) {
      if (x[k] !== period[k % PERIOD]) fail(`${name}: the input was modified at [${k}]`);
    }
    check(
      got.data instanceof Float64Array && got.data.length === LENGTH,
      () => `${name}: the result must be a Float64Array of ${LENGTH} elements`,
    );
    // sum_k exp(x_k - max) = sum over the period of (its count) * exp(x_i - max).
    const max = Math.max(...period);
    const exps = period.map((v) => Math.exp(v - max));
    const full = Math.floor(LENGTH / PERIOD);
    const total = accurateSum(exps.map((e, i) => e * (full + (i < LENGTH % PERIOD ? 1 : 0))));
    const { abs } = toleranceFor('float64', 'probability');
    let worst = 0;
    let at = 0;
    for (let k = 0; k < LENGTH; k++) {
      const error = Math.abs(got.data[k] - exps[k % PERIOD] / total);
      if (!(error <= worst)) {
        worst = error;
        at = k;
      }
    }
    check(
      worst <= abs,
      () => `${name}: element [${at}] is off by ${worst.toExponential(3)} (allowed ${abs})`,
    );
    const sum = accurateSum(got.data);
    check(
      Math.abs(sum - 1) <= abs,
      () => `${name}: the row sums to ${sum} (off by ${Math.abs(sum - 1).toExponential(3)}, allowed ${abs})`,
    );
  });
}
