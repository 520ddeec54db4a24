/**
 * Neumaier (improved Kahan) summation: the float64 reference should not lose digits to a
 * naive sum over rows of 100k+ elements, since float64 backends are held to 1e-12.
 */
export function accurateSum(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const total = sum + compensation;
  // Infinite or NaN terms make the compensation NaN; the plain sum then holds the right answer.
  return Number.isFinite(total) ? total : sum;
}
