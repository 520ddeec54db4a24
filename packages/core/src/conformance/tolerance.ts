/**
 * SEMANTICS.md "Accuracy" as numbers: |got - want| <= max(abs, rel * |want|) per element; for
 * gradients, rel applies to the magnitude of the terms instead (gradient-bound.ts).
 */
import type { DType } from '../types.js';

export interface Tolerance {
  readonly rel: number;
  readonly abs: number;
}

/**
 * 'probability': softmax (4e-6 relative or 1e-7 absolute in float32).
 * 'gradient': backward ops, Jacobians and the cross-entropy gradient: the same numbers, with the
 *   relative part applied to the magnitude of the terms (max(1e-7, 4e-6 * M) in float32).
 * 'log': log-softmax, log-sum-exp and losses (2e-6 * max(1, |ref|) in float32).
 * float64: 1e-12 * max(1, |ref|) for everything (gradients: max(1e-12, 1e-12 * M)).
 */
export type Quantity = 'probability' | 'gradient' | 'log';

export function toleranceFor(dtype: DType, quantity: Quantity): Tolerance {
  if (dtype === 'float64') return { rel: 1e-12, abs: 1e-12 };
  return quantity === 'log' ? { rel: 2e-6, abs: 2e-6 } : { rel: 4e-6, abs: 1e-7 };
}

/** A tolerance scaled up, for checks that are looser by nature (finite differences). */
export function scaled(tolerance: Tolerance, factor: number): Tolerance {
  return { rel: tolerance.rel * factor, abs: tolerance.abs * factor };
}
