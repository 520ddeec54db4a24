/**
 * Backend.device for the wasm backend: arrays resident in its linear memory (uploads, results),
 * writes into them, the check that an array can be used by this session, and the kernels that
 * run the C exports directly on resident addresses.
 */
import {
  type DeviceArray,
  type DeviceKernels,
  type DeviceMemory,
  type DType,
  type FloatArray,
  ValueError,
} from '@softmax-kit/core';
import { allocateOrThrow } from './heap.js';
import { countIn } from './transfers.js';
import { type ArrayOwner, WasmArray } from './wasm-array.js';

const elementBytes = (dtype: DType) => (dtype === 'float64' ? 8 : 4);
const dtypeOf = (data: FloatArray): DType => (data instanceof Float64Array ? 'float64' : 'float32');

/** `array` as this session's live WasmArray, or the ValueError core expects, naming `argument`. */
export function ownArray(owner: ArrayOwner, array: DeviceArray, argument: string): WasmArray {
  if (!(array instanceof WasmArray)) {
    throw new ValueError(
      `${argument} is a device array of backend '${array.backend}', not of this wasm backend: download() it and upload it here`,
      argument,
    );
  }
  if (array.owner !== owner) {
    throw new ValueError(
      `${argument} belongs to another wasm session${array.owner.disposed ? ' (disposed)' : ''}: download() it and upload it here`,
      argument,
    );
  }
  if (array.disposed) {
    throw new ValueError(
      `${argument} is a device array that was disposed; it can no longer be used`,
      argument,
    );
  }
  return array;
}

export function wasmDeviceMemory(owner: ArrayOwner, backend: string, kernels: DeviceKernels): DeviceMemory {
  const allocate = (dtype: DType, length: number, what: string, argument: string): WasmArray => {
    const bytes = length * elementBytes(dtype);
    const address = allocateOrThrow(
      owner.heap,
      bytes,
      `${what} (${length} ${dtype} elements)`,
      argument,
      backend,
    );
    return new WasmArray(owner, address, dtype, length);
  };
  const write = (target: WasmArray, data: FloatArray) => {
    if (data.length !== target.length) {
      throw new ValueError(
        `writing ${data.length} elements into a device array of ${target.length}`,
        'options.out',
      );
    }
    countIn(target.byteLength);
    target.view().set(data);
  };
  return {
    upload(data: FloatArray): DeviceArray {
      const array = allocate(dtypeOf(data), data.length, 'uploading a tensor', 'tensor');
      write(array, data);
      return array;
    },
    allocate(dtype: DType, length: number): DeviceArray {
      return allocate(dtype, length, 'a result', 'options.out');
    },
    write(target: DeviceArray, data: FloatArray): void {
      write(ownArray(owner, target, 'options.out'), data);
    },
    check(array: DeviceArray, argument: string): void {
      ownArray(owner, array, argument);
    },
    kernels,
  };
}
