/**
 * The suite's own assertions: plain Errors with the element, the values and the tolerance, so
 * the suite runs under any test framework.
 */
import type { SoftmaxKitError } from '../errors.js';
import type { FloatArray, Tensor } from '../types.js';
import type { Tolerance } from './tolerance.js';

export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) fail(message());
}

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * How an element must match: 'close' within the tolerance (non-finite values identically),
 * 'positive-zero' exactly +0 (masked softmax), 'zero' exactly 0 of either sign (gradients),
 * 'same' identical (-Infinity where masked in log-softmax, NaN propagation).
 */
export type Match = 'close' | 'positive-zero' | 'zero' | 'same';

/**
 * One element's verdict, or undefined when it passes: within max(abs, rel * max(|want|, magnitude)),
 * where magnitude is that of the terms the element is computed from (gradients; else 0).
 */
function mismatch(
  got: number,
  want: number,
  match: Match,
  tolerance: Tolerance,
  magnitude: number,
): string | undefined {
  if (match === 'positive-zero') return Object.is(got, 0) ? undefined : 'must be exactly +0';
  if (match === 'zero') return got === 0 ? undefined : 'must be exactly 0';
  if (match === 'same' || !Number.isFinite(want)) {
    return Object.is(got, want) || (got === want && want !== 0) ? undefined : 'must be identical';
  }
  if (!Number.isFinite(got)) return 'must be finite';
  const allowed = Math.max(tolerance.abs, tolerance.rel * Math.max(Math.abs(want), magnitude));
  const error = Math.abs(got - want);
  return error <= allowed
    ? undefined
    : `error ${error.toExponential(3)} > allowed ${allowed.toExponential(3)}`;
}

export interface CloseOptions {
  readonly tolerance: Tolerance;
  /** Per element, how it must match; 'close' where absent. */
  readonly matches?: (index: number) => Match;
  /**
   * Per element, the magnitude of the terms it is a difference of (gradient-bound.ts): the
   * relative tolerance applies to it where it exceeds |want|.
   */
  readonly magnitudes?: ArrayLike<number>;
}

/** Every element of `got` matches `want`; reports the first few failures with their indices. */
export function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  what: string,
  options: CloseOptions,
): void {
  check(got.length === want.length, () => `${what}: length ${got.length}, want ${want.length}`);
  const failures: string[] = [];
  let count = 0;
  for (let k = 0; k < want.length; k++) {
    const match = options.matches?.(k) ?? 'close';
    const verdict = mismatch(got[k], want[k], match, options.tolerance, options.magnitudes?.[k] ?? 0);
    if (verdict !== undefined) {
      count++;
      if (failures.length < 5)
        failures.push(`  [${k}] got ${show(got[k])}, want ${show(want[k])}: ${verdict}`);
    }
  }
  if (count > 0) {
    const { rel, abs } = options.tolerance;
    fail(
      `${what}: ${count} of ${want.length} elements differ (tolerance rel ${rel}, abs ${abs}):\n${failures.join('\n')}`,
    );
  }
}

/** A result tensor has the expected shape, the expected array type and length. */
export function assertTensorShape(
  got: Tensor,
  shape: readonly number[],
  arrayType: Float32ArrayConstructor | Float64ArrayConstructor,
  what: string,
): void {
  check(
    got !== null && typeof got === 'object' && got.data instanceof arrayType,
    () => `${what}: data must be a ${arrayType.name}, got ${describeValue(got?.data)}`,
  );
  const same = got.shape.length === shape.length && got.shape.every((d, i) => d === shape[i]);
  check(same, () => `${what}: shape ${shapeText(got.shape)}, want ${shapeText(shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  check(got.data.length === size, () => `${what}: data length ${got.data.length}, want ${size}`);
}

export function arrayTypeOf(data: FloatArray): Float32ArrayConstructor | Float64ArrayConstructor {
  return data instanceof Float64Array ? Float64Array : Float32Array;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? value.constructor.name : typeof value;
}

/** The error class the suite expects, by name (so case files can name it). */
export type ErrorClass = new (...args: never[]) => SoftmaxKitError;

/**
 * `call` fails, synchronously or by rejecting (only by rejecting when `mustReject`), with an
 * instance of `type` whose `argument` is `argument` (when given). Returns the error.
 */
export async function assertRejects(
  call: () => unknown,
  type: ErrorClass,
  argument: string | undefined,
  what: string,
  mustReject = false,
): Promise<SoftmaxKitError> {
  let error: unknown;
  let threw = false;
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    // An async op must reject, not throw: a caller's .catch() would never see a thrown error.
    check(
      !mustReject,
      () => `${what}: the async op threw synchronously instead of returning a rejected Promise`,
    );
    threw = true;
    error = e;
  }
  if (!threw) {
    check(
      !mustReject || typeof (result as { then?: unknown } | null)?.then === 'function',
      () => `${what}: the async op did not return a Promise`,
    );
    try {
      await result;
    } catch (e) {
      threw = true;
      error = e;
    }
  }
  check(
    threw,
    () => `${what}: expected ${type.name}${argument ? ` about ${argument}` : ''}, but the call succeeded`,
  );
  check(
    error instanceof type,
    () =>
      `${what}: expected ${type.name}, got ${describeValue(error)}: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (argument !== undefined) {
    check(
      error.argument === argument,
      () =>
        `${what}: ${type.name} names argument '${String(error.argument)}', want '${argument}' (message: ${error.message})`,
    );
  }
  return error;
}
