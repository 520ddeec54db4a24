/**
 * Tensors larger than one storage binding (maxStorageBufferBindingSize) run in chunks of whole
 * slices: ranges of the outer index whose arrays each fit one binding. Host arrays are cut with
 * subarray (no copy); a device array's range is copied into a scratch buffer for the chunk and
 * the result copied back (see GpuCall.bind / result), all in one command encoder per chunk.
 */
import type { FloatArray, MaskView, View } from '@softmax-kit/core';
import { UnsupportedError } from '@softmax-kit/core';
import { GpuArray, GpuWindow } from './device-array.js';
import type { KernelData } from './gpu-context.js';

/** [start, end) ranges of the outer index; `bytesPerOuter` is the largest array's bytes per outer index. */
export function outerChunks(
  outer: number,
  bytesPerOuter: number,
  maxBindingBytes: number,
): [number, number][] {
  if (bytesPerOuter * outer <= maxBindingBytes) return [[0, outer]];
  if (bytesPerOuter > maxBindingBytes) {
    throw new UnsupportedError(
      `one slice block needs ${bytesPerOuter} bytes but a WebGPU storage binding holds at most ${maxBindingBytes} on this device`,
      'webgpu',
    );
  }
  const step = Math.floor(maxBindingBytes / bytesPerOuter);
  const ranges: [number, number][] = [];
  for (let o = 0; o < outer; o += step) ranges.push([o, Math.min(outer, o + step)]);
  return ranges;
}

/** Elements [start, end) of a host or device array (a device range is copied when bound). */
export function part(data: KernelData, start: number, end: number): KernelData {
  // The whole array (one chunk): bound as it is, no copy.
  if (data instanceof GpuArray) {
    return start === 0 && end === data.length ? data : new GpuWindow(data, start, end - start);
  }
  if (data instanceof GpuWindow) return new GpuWindow(data.array, data.start + start, end - start);
  return (data as FloatArray).subarray(start, end);
}

/** The mask of outer indices [o0, o1) of a view. */
export function partMask(mask: MaskView | null, view: View, o0: number, o1: number): MaskView | null {
  if (mask === null) return null;
  if (mask.dense) {
    const per = view.n * view.inner;
    return {
      ...mask,
      data: mask.data.subarray(o0 * per, o1 * per),
      outerOffsets: mask.outerOffsets.subarray(o0, o1),
    };
  }
  return { ...mask, outerOffsets: mask.outerOffsets.subarray(o0, o1) };
}
