/**
 * New result arrays for backends whose kernels write every element of their results
 * (Capabilities.writesWholeResults). Large ones come from the backend's own memory where it
 * keeps some (Backend.newResult), else skip zeroing where the runtime can (Node, Bun:
 * Buffer.allocUnsafeSlow): a zeroed 16 MB array costs a pass of page faults or a memset before the
 * kernel's own write, about as long as the rest of a wasm softmax end to end. Smaller results,
 * and runtimes without Buffer (browsers), get a zeroed typed array as before.
 */
import type { DType, FloatArray } from './types.js';

/** A backend that may give new result memory itself (the part of Backend this file uses). */
export interface ResultProvider {
  readonly name: string;
  newResult?(dtype: DType, length: number): FloatArray | null;
}

/** How a new result is made: false, zeroed; true, unzeroed; a provider, unzeroed and from it first. */
export type Unzeroed = boolean | ResultProvider;

/** Below this many bytes zeroing costs little, and a plain typed array is the cheaper object. */
const UNZEROED_MIN_BYTES = 1 << 20;

interface UnzeroedBuffers {
  allocUnsafeSlow(size: number): { readonly buffer: ArrayBuffer; readonly byteOffset: number };
}

function unzeroedBuffers(): UnzeroedBuffers | undefined {
  const candidate = (globalThis as { Buffer?: Partial<UnzeroedBuffers> }).Buffer;
  return typeof candidate?.allocUnsafeSlow === 'function' ? (candidate as UnzeroedBuffers) : undefined;
}

let marker: number | undefined;

/**
 * For the conformance suite: while set, every result allocated for a writesWholeResults backend
 * (of any size) starts filled with `value`, so an element a kernel leaves unwritten fails the
 * suite's comparisons instead of passing as a zero. `undefined` turns it off.
 */
export function markUnwrittenResults(value: number | undefined): void {
  marker = value;
}

/** Fills a new result with the marker while one is set (see markUnwrittenResults). */
export function markUnwritten(array: FloatArray): FloatArray {
  return marker === undefined ? array : array.fill(marker);
}

/** The provider's array, after checking it is what was asked for (a broken backend fails loudly). */
function checkedResult(array: FloatArray, dtype: DType, length: number, provider: string): FloatArray {
  const type = dtype === 'float64' ? Float64Array : Float32Array;
  if (!(array instanceof type) || array.length !== length) {
    throw new TypeError(
      `Backend '${provider}': newResult(${dtype}, ${length}) gave ${array?.constructor?.name ?? typeof array} of ${array?.length} elements, not a ${type.name} of ${length}`,
    );
  }
  return array;
}

/**
 * A new array of `length` elements whose contents the caller overwrites entirely, from the
 * provider first when given; null to zero.
 */
export function unzeroedArray(dtype: DType, length: number, provider?: ResultProvider): FloatArray | null {
  const bytes = length * (dtype === 'float64' ? 8 : 4);
  if (bytes < UNZEROED_MIN_BYTES) return null;
  const own = provider?.newResult?.(dtype, length);
  if (provider && own) return checkedResult(own, dtype, length, provider.name);
  const buffers = unzeroedBuffers();
  if (buffers === undefined) return null;
  let memory: { readonly buffer: ArrayBuffer; readonly byteOffset: number };
  try {
    // its own ArrayBuffer of exactly `bytes`, never a slice of Node's shared pool
    memory = buffers.allocUnsafeSlow(bytes);
  } catch {
    return null; // past Buffer's own size limit (4 GiB in Node 20), which typed arrays exceed
  }
  return dtype === 'float64'
    ? new Float64Array(memory.buffer, memory.byteOffset, length)
    : new Float32Array(memory.buffer, memory.byteOffset, length);
}
