import type { Backend, BackendFactory, Kernels } from '../backend.js';
import { UnsupportedError } from '../errors.js';
import type { Unzeroed } from '../result-memory.js';
import type { DType, OpName } from '../types.js';

/** What a session knows to check a call against its backend's declared capabilities. */
export interface SupportContext {
  readonly backend: Backend;
  /** Every factory given to createSoftmax, to say which one would support a refused call. */
  readonly factories: readonly BackendFactory[];
}

function dtypeHint(context: SupportContext, dtype: DType): string {
  const others = context.factories
    .filter((f) => f.name !== context.backend.name && f.dtypes.includes(dtype))
    .map((f) => `'${f.name}'`);
  return others.length > 0
    ? `Backends given to createSoftmax that support ${dtype}: ${others.join(', ')}.`
    : `The js backend (@softmax-kit/js) supports ${dtype}; list it in createSoftmax([...]) as a fallback.`;
}

/**
 * How new result arrays are made: unzeroed, from the backend's newResult first, when the backend
 * writes every element of its results; zeroed (false) otherwise.
 */
export function unzeroedResults(context: SupportContext): Unzeroed {
  return context.backend.capabilities.writesWholeResults === true ? context.backend : false;
}

/** Throws UnsupportedError unless the backend declares the op, the dtype and the sizes. */
export function requireSupport<K extends OpName>(
  context: SupportContext,
  op: K,
  dtype: DType,
  elements: readonly number[],
): NonNullable<Kernels[K]> {
  const { backend } = context;
  const kernel = backend.kernels[op];
  if (typeof kernel !== 'function') {
    throw new UnsupportedError(`Backend '${backend.name}' does not implement ${op}.`, backend.name);
  }
  if (!backend.capabilities.dtypes.includes(dtype)) {
    throw new UnsupportedError(
      `Backend '${backend.name}' does not support ${dtype} (it supports ${backend.capabilities.dtypes.join(', ')}). ${dtypeHint(context, dtype)}`,
      backend.name,
    );
  }
  let largest = 0;
  for (const count of elements) if (count > largest) largest = count;
  if (largest > backend.capabilities.maxElements) {
    throw new UnsupportedError(
      `${op} needs ${largest} elements in one array but backend '${backend.name}' handles at most ${backend.capabilities.maxElements}.`,
      backend.name,
    );
  }
  return kernel;
}
