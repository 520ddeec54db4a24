/**
 * Neumaier (improved Kahan) summation in float64: the one sum core and the reference use for
 * reductions (cross-entropy's mean and sum, the reference's slice sums), so that many float32
 * terms or rows of 100k+ float64 terms keep their digits.
 *
 * Infinite or NaN terms make the compensation Infinity - Infinity = NaN even where the plain
 * sum is right (+Infinity for a loss of +Infinity), so a non-finite result falls back to the
 * plain sum: +Infinity stays +Infinity, and a NaN term or +Infinity + -Infinity stays NaN.
 */
export function accurateSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const total = sum + compensation;
  return Number.isFinite(total) ? total : sum;
}
