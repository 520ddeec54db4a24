import type { LogSumExpArgs, OnDevice } from '@softmax-kit/core';
import type { GpuContext } from '../gpu-context.js';
import { LOG_SUM_EXP, runForward } from './forward.js';

export function logSumExp(ctx: GpuContext, args: OnDevice<LogSumExpArgs>): Promise<void> {
  return runForward(ctx, LOG_SUM_EXP, args);
}
