/** How large an array core allocates, and the typed errors for anything larger. */
import { SizeError } from './errors.js';
import { markUnwritten, type Unzeroed, unzeroedArray } from './result-memory.js';
import type { DType, FloatArray } from './types.js';

/**
 * The most elements of a typed array core allocates: 2^32 - 1, under every engine's limit
 * (V8's is 2^32 in Node 20). A result needing more is a SizeError before anything is allocated.
 */
export const MAX_LENGTH = 2 ** 32 - 1;

/** The most dimensions a shape may have (NumPy's limit), which keeps nested-array walks shallow. */
export const MAX_RANK = 64;

function times(elements: number, limit: number): string {
  const ratio = elements / limit;
  return ratio >= 1e6 ? `${ratio.toExponential(2)} times` : `${ratio.toFixed(2)} times`;
}

/** Throws a SizeError when `elements` (a result's length) exceeds `limit`. */
export function checkLength(
  elements: number,
  what: string,
  argument: string | undefined,
  limit = MAX_LENGTH,
): void {
  if (elements <= limit) return;
  throw new SizeError(
    `${what} would have ${elements} elements, ${times(elements, limit)} the most a typed array can hold here (${limit}); ${elements - limit} too many. Split the input or reduce over a shorter axis.`,
    argument,
    elements,
    limit,
  );
}

/**
 * A zeroed typed array of `length` elements (with `unzeroed`, one whose contents the caller
 * overwrites entirely, see result-memory.ts); a SizeError (not a bare RangeError) when the
 * length is over the limit or the engine cannot give the memory.
 */
export function allocate(
  dtype: DType,
  length: number,
  what: string,
  argument?: string,
  unzeroed: Unzeroed = false,
): FloatArray {
  checkLength(length, what, argument);
  try {
    const fast =
      unzeroed === false ? null : unzeroedArray(dtype, length, unzeroed === true ? undefined : unzeroed);
    const array = fast ?? (dtype === 'float64' ? new Float64Array(length) : new Float32Array(length));
    return unzeroed === false ? array : markUnwritten(array);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const bytes = length * (dtype === 'float64' ? 8 : 4);
    throw new SizeError(
      `${what} needs ${length} ${dtype} elements (${(bytes / 2 ** 30).toFixed(2)} GiB), which this engine could not allocate (${error.message}).`,
      argument,
      length,
      MAX_LENGTH,
    );
  }
}

/** allocate() for Uint8Array (masks). */
export function allocateBytes(length: number, what: string, argument?: string): Uint8Array {
  checkLength(length, what, argument);
  try {
    return new Uint8Array(length);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new SizeError(
      `${what} needs ${length} bytes (${(length / 2 ** 30).toFixed(2)} GiB), which this engine could not allocate (${error.message}).`,
      argument,
      length,
      MAX_LENGTH,
    );
  }
}
