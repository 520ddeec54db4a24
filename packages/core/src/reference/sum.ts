/**
 * The reference sums with core's one summation helper (Neumaier, with the plain sum as the
 * fallback for infinite and NaN terms): float64 backends are held to 1e-12 on rows of 100k+.
 */
export { accurateSum } from '../accurate-sum.js';
