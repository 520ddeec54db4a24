import type { ForwardArgs } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { runForward, SOFTMAX } from './forward.js';

export function softmax(ctx: GpuContext, args: ForwardArgs): Promise<void> {
  return runForward(ctx, SOFTMAX, args);
}
