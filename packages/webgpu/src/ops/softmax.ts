import type { ForwardArgs, OnDevice } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { runForward, SOFTMAX } from './forward.js';

export function softmax(ctx: GpuContext, args: OnDevice<ForwardArgs>): Promise<void> {
  return runForward(ctx, SOFTMAX, args);
}
