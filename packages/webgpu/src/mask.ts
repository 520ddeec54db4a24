/**
 * The `where` mask on the GPU: the bytes packed four to a u32 word, and for a broadcast mask the
 * MaskView offsets (outer offsets, then inner offsets) in one buffer. Unmasked calls bind
 * 4-byte placeholders, so every masked shader has one layout.
 */
import type { MaskView } from '@softmax-kit/core';
import type { Binding, GpuCall } from './gpu-context.js';

/** The MASK override: 0 none, 1 dense, 2 broadcast. */
export type MaskForm = 0 | 1 | 2;

export interface GpuMask {
  readonly form: MaskForm;
  readonly words: Binding;
  readonly offsets: Binding;
  readonly nStride: number;
  /** where the inner offsets start in `offsets` */
  readonly innerBase: number;
}

const PLACEHOLDER = new Uint32Array(1);

export function uploadMask(call: GpuCall, mask: MaskView | null): GpuMask {
  if (mask === null) {
    const none = call.input(PLACEHOLDER);
    return { form: 0, words: none, offsets: none, nStride: 0, innerBase: 0 };
  }
  const words = call.input(mask.data);
  if (mask.dense) {
    return { form: 1, words, offsets: call.input(PLACEHOLDER), nStride: 0, innerBase: 0 };
  }
  const offsets = new Uint32Array(mask.outerOffsets.length + mask.innerOffsets.length);
  offsets.set(mask.outerOffsets);
  offsets.set(mask.innerOffsets, mask.outerOffsets.length);
  return {
    form: 2,
    words,
    offsets: call.input(offsets),
    nStride: mask.nStride,
    innerBase: mask.outerOffsets.length,
  };
}
