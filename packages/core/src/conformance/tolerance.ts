/** SEMANTICS.md "Accuracy" as numbers: |got - want| <= max(abs, rel * |want|) per element. */
import type { DType } from '../types.js';

export interface Tolerance {
  readonly rel: number;
  readonly abs: number;
}

/**
 * 'probability': softmax, gradients, Jacobians (4e-6 relative or 1e-7 absolute in float32).
 * 'log': log-softmax, log-sum-exp and losses (2e-6 * max(1, |ref|) in float32).
 * float64: 1e-12 * max(1, |ref|) for everything.
 */
export type Quantity = 'probability' | 'log';

export function toleranceFor(dtype: DType, quantity: Quantity): Tolerance {
  if (dtype === 'float64') return { rel: 1e-12, abs: 1e-12 };
  return quantity === 'probability' ? { rel: 4e-6, abs: 1e-7 } : { rel: 2e-6, abs: 2e-6 };
}

/** A tolerance scaled up, for checks that are looser by nature (finite differences). */
export function scaled(tolerance: Tolerance, factor: number): Tolerance {
  return { rel: tolerance.rel * factor, abs: tolerance.abs * factor };
}
