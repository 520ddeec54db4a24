import type { OnDevice, SoftmaxBackwardArgs } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { runBackward, SOFTMAX_BACKWARD } from './backward.js';

export function softmaxBackward(ctx: GpuContext, args: OnDevice<SoftmaxBackwardArgs>): Promise<void> {
  return runBackward(ctx, SOFTMAX_BACKWARD, args, args.y, args.dy, args.out);
}
