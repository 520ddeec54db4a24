import type { LogSoftmaxBackwardArgs, OnDevice } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { LOG_SOFTMAX_BACKWARD, runBackward } from './backward.js';

export function logSoftmaxBackward(ctx: GpuContext, args: OnDevice<LogSoftmaxBackwardArgs>): Promise<void> {
  return runBackward(ctx, LOG_SOFTMAX_BACKWARD, args, args.logp, args.dy, args.out);
}
