/**
 * The correctness gate: before anything is timed, each implementation's result is compared
 * with the float64 reference. A result that fails is shown as wrong and never timed.
 *
 * Two levels:
 * - pass (the gate): every element within 1e-4 relative + 1e-6 of the case's largest |value|
 *   (log-softmax: 1e-4 * max(1, |ref|)), exact where the reference is exactly 0 / +-Infinity
 *   (masked positions), no NaN, and a relative L2 error <= 1e-4 (so an all-zero output always
 *   fails, whatever the tolerance per element). This catches wrong results, not float32 ulps.
 * - strict: the conformance tolerances of SEMANTICS.md (softmax and gradients: 4e-6 relative or 1e-7
 *   absolute per element; log-softmax: 2e-6 * max(1, |ref|)). Shown per row, not required of peers.
 * Browser-safe.
 */
import type { CaseResult, Expected, OpId } from './workloads.js';

export interface GateResult {
  pass: boolean;
  strict: boolean;
  /** largest |result - reference| */
  maxAbsErr: number;
  /** largest |result - reference| / |reference| over non-zero references */
  maxRelErr: number;
  /** relative L2 error of the whole output */
  relL2: number;
  /** why it failed (first problem found), when it did */
  reason?: string;
}

export interface GateTolerance {
  rel: number;
  absOfMax: number;
  log: number;
  l2: number;
}

export const BENCH_TOLERANCE: GateTolerance = { rel: 1e-4, absOfMax: 1e-6, log: 1e-4, l2: 1e-4 };

type Kind = 'prob' | 'log';

interface ArrayCheck {
  pass: boolean;
  strict: boolean;
  maxAbsErr: number;
  maxRelErr: number;
  relL2: number;
  reason?: string;
}

function checkArray(
  name: string,
  got: ArrayLike<number> | undefined,
  ref: Float64Array,
  kind: Kind,
  tol: GateTolerance,
): ArrayCheck {
  const fail = (reason: string): ArrayCheck => ({
    pass: false,
    strict: false,
    maxAbsErr: Number.NaN,
    maxRelErr: Number.NaN,
    relL2: Number.NaN,
    reason,
  });
  if (!got) return fail(`no ${name} returned`);
  if (got.length !== ref.length) return fail(`${name} has ${got.length} elements, expected ${ref.length}`);
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const a = Math.abs(ref[i]);
    if (Number.isFinite(a) && a > scale) scale = a;
  }
  let pass = true;
  let strict = true;
  let reason: string | undefined;
  let maxAbs = 0;
  let maxRel = 0;
  let errSq = 0;
  let refSq = 0;
  const note = (msg: string) => {
    pass = false;
    strict = false;
    if (reason === undefined) reason = msg;
  };
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    const g = got[i];
    if (!Number.isFinite(r) || (r === 0 && kind === 'prob')) {
      // exact positions: masked (0) or -Infinity in log space
      if (!(g === r)) note(`${name}[${i}] = ${g}, expected exactly ${r}`);
      continue;
    }
    if (Number.isNaN(g) || !Number.isFinite(g)) {
      note(`${name}[${i}] = ${g}, expected ${r}`);
      continue;
    }
    const d = Math.abs(g - r);
    errSq += d * d;
    refSq += r * r;
    if (d > maxAbs) maxAbs = d;
    const rel = d / Math.abs(r);
    if (rel > maxRel) maxRel = rel;
    if (kind === 'log') {
      const m = Math.max(1, Math.abs(r));
      if (d > tol.log * m) note(`${name}[${i}] = ${g}, expected ${r} (error ${d.toExponential(2)})`);
      if (d > 2e-6 * m) strict = false;
    } else {
      if (d > tol.rel * Math.abs(r) + tol.absOfMax * scale) {
        note(`${name}[${i}] = ${g}, expected ${r} (error ${d.toExponential(2)})`);
      }
      if (d > Math.max(4e-6 * Math.abs(r), 1e-7)) strict = false;
    }
  }
  const relL2 = refSq > 0 ? Math.sqrt(errSq / refSq) : 0;
  if (relL2 > tol.l2) note(`${name}: relative L2 error ${relL2.toExponential(2)} > ${tol.l2}`);
  return { pass, strict: strict && pass, maxAbsErr: maxAbs, maxRelErr: maxRel, relL2, reason };
}

function checkScalar(name: string, got: number | undefined, ref: number, tol: GateTolerance): ArrayCheck {
  if (got === undefined || typeof got !== 'number') {
    return {
      pass: false,
      strict: false,
      maxAbsErr: Number.NaN,
      maxRelErr: Number.NaN,
      relL2: Number.NaN,
      reason: `no ${name} returned`,
    };
  }
  const d = Math.abs(got - ref);
  const m = Math.max(1, Math.abs(ref));
  const pass = Number.isFinite(got) && d <= tol.log * m;
  return {
    pass,
    strict: pass && d <= 2e-6 * m,
    maxAbsErr: d,
    maxRelErr: ref !== 0 ? d / Math.abs(ref) : d,
    relL2: ref !== 0 ? d / Math.abs(ref) : d,
    reason: pass ? undefined : `${name} = ${got}, expected ${ref}`,
  };
}

function merge(parts: ArrayCheck[]): GateResult {
  const failed = parts.find((p) => !p.pass);
  return {
    pass: parts.every((p) => p.pass),
    strict: parts.every((p) => p.strict),
    maxAbsErr: Math.max(...parts.map((p) => p.maxAbsErr)),
    maxRelErr: Math.max(...parts.map((p) => p.maxRelErr)),
    relL2: Math.max(...parts.map((p) => p.relL2)),
    ...(failed ? { reason: failed.reason } : {}),
  };
}

/** Checks one implementation's result for `op` against the reference. */
export function gate(
  op: OpId,
  got: CaseResult,
  expected: Expected,
  tol: GateTolerance = BENCH_TOLERANCE,
): GateResult {
  if (op === 'crossEntropy') {
    if (expected.grad === undefined || expected.loss === undefined)
      throw new Error('reference lacks loss/grad');
    return merge([
      checkScalar('loss', got.loss, expected.loss, tol),
      checkArray('grad', got.grad, expected.grad, 'prob', tol),
    ]);
  }
  if (!expected.out) throw new Error('reference lacks out');
  return merge([checkArray('out', got.out, expected.out, op === 'logSoftmax' ? 'log' : 'prob', tol)]);
}
