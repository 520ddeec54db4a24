import type { ForwardArgs, OnDevice } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { LOG_SOFTMAX, runForward } from './forward.js';

export function logSoftmax(ctx: GpuContext, args: OnDevice<ForwardArgs>): Promise<void> {
  return runForward(ctx, LOG_SOFTMAX, args);
}
